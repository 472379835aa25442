import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Status } from '../../src/contract/index.ts';
import { spawnTracked, type Spawned } from './children.ts';
import { OUT_DIR, ROOT } from './paths.ts';

/**
 * The relay as it runs in production (`src/relay/main.ts`, the host), in a child process of its
 * own, on an ephemeral port with a temporary DATA_DIR and the embedded simulator.
 */

export interface RelayProcess {
  proc: Spawned;
  pid: number;
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  /** The embedded simulator's control API, e.g. `http://127.0.0.1:40001/__sim` (empty with LIVESTREAM_URL). */
  simControl: string;
  dataDir: string;
  status(): Promise<Status>;
  /** The value of one Prometheus counter or gauge of `/metrics`. */
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}

export interface RelayProcessOptions {
  env: Record<string, string>;
  /** Writes a V8 CPU profile of the whole run into this folder (`node --cpu-prof`). */
  cpuProfDir?: string;
  /** Name for the log file under bench/out/logs. */
  logName: string;
  /** Runs a bench-side host instead of src/relay/main.ts (prototypes of a change). */
  entry?: string;
}

export async function startRelayProcess(options: RelayProcessOptions): Promise<RelayProcess> {
  const dataDir = options.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'lsm-bench-'));
  const ownDataDir = options.env.DATA_DIR === undefined;
  const args = ['--import', 'tsx'];
  if (options.cpuProfDir) args.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfDir);
  args.push(options.entry ?? join(ROOT, 'src/relay/main.ts'));
  const proc = spawnTracked(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...options.env,
      DATA_DIR: dataDir,
    },
    logName: options.logName,
  });
  let url: string;
  let simControl: string;
  try {
    const [, dashboard] = await proc.waitForLine(/dashboard at (http:\/\/\S+?)\/?$/, 60_000);
    url = dashboard!;
    simControl = '';
    if (!options.env.LIVESTREAM_URL) {
      const [, control] = await proc.waitForLine(/embedded simulator \((?:control API )?(http:\/\/\S+\/__sim)/, 5_000);
      simControl = control!;
    }
  } catch (error) {
    await proc.stop();
    throw error;
  }
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    proc,
    pid: proc.pid,
    url,
    simControl,
    dataDir,
    status: () => getJson<Status>('/api/status'),
    async metric(name) {
      const text = await (await fetch(`${url}/metrics`)).text();
      const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
      return match ? Number(match[1]) : NaN;
    },
    async stop() {
      await proc.stop();
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls the relay until its upstream delivered at least one hit. */
export async function waitForHits(relay: RelayProcess, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const status = await relay.status();
      if (status.counters.hits > 0) return;
    } catch {
      // Not answering yet.
    }
    await sleep(200);
  }
  throw new Error(`no hit reached the relay within ${timeoutMs} ms`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const PROFILE_DIR = join(OUT_DIR, 'profiles');
