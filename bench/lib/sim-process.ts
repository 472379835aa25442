import { join } from 'node:path';
import type { SimulatorOptions } from '../../src/simulator/server.ts';
import { spawnTracked, type Spawned } from './children.ts';
import { BENCH_DIR, ROOT } from './paths.ts';

/** What bench/lib/sim-host.ts prints once its simulator listens. */
export interface SimInfo {
  streamUrl: string;
  tokenUrl: string;
  controlUrl: string;
  clientId: string;
  clientSecret: string;
}

/** The simulator in a child process of its own (bench/lib/sim-host.ts), once it listens. */
export async function startSimProcess(
  options: SimulatorOptions,
  logName: string,
): Promise<{ sim: Spawned; info: SimInfo }> {
  const sim = spawnTracked(
    process.execPath,
    ['--import', 'tsx', join(BENCH_DIR, 'lib/sim-host.ts'), JSON.stringify(options)],
    { cwd: ROOT, logName },
  );
  try {
    const [, json] = await sim.waitForLine(/^SIM (.*)$/, 30_000);
    return { sim, info: JSON.parse(json!) as SimInfo };
  } catch (error) {
    await sim.stop();
    throw error;
  }
}

/** The relay's environment pointed at a simulator process: its stream, token endpoint and client credentials. */
export function relayEnvFor(info: SimInfo): Record<string, string> {
  return {
    LIVESTREAM_URL: info.streamUrl,
    ADOBE_CLIENT_ID: info.clientId,
    ADOBE_CLIENT_SECRET: info.clientSecret,
    ADOBE_SCOPES: 'openid',
    ADOBE_IMS_TOKEN_URL: info.tokenUrl,
  };
}
