import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fetchText } from './stream-client.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('npm run simulator', () => {
  it('prints the URLs and the curl commands, serves, and closes cleanly on SIGTERM', async () => {
    const sim = run({ SIM_PORT: '0', SIM_REDIRECT_PORT: '0', SIM_RATE: '5', SIM_STREAM: 'shop' });
    const deadline = Date.now() + 10_000;
    while (!sim.out().includes('TOKEN=$(') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const banner = sim.out();
    const streamUrl = /stream\s+(http:\/\/127\.0\.0\.1:\d+\/api\/1\/stream\/shop)/.exec(banner)?.[1];
    expect(streamUrl).toBeDefined();
    expect(banner).toMatch(
      /curl -s -X POST http:\/\/127\.0\.0\.1:\d+\/ims\/token\/v3 -d grant_type=client_credentials/,
    );
    expect(banner).toContain(
      `curl --location-trusted --compressed -H "Authorization: Bearer <token>" -H "x-api-key: livestream-monitor-sim" ${streamUrl}`,
    );
    expect(banner).toMatch(/control\s+http:\/\/127\.0\.0\.1:\d+\/__sim/);
    expect((await fetchText(streamUrl as string)).status).toBe(302);
    sim.child.kill('SIGTERM');
    expect(await sim.exited).toBe(0);
    expect(sim.out()).toMatch(/stream #1 GET \/api\/1\/stream\/shop on :\d+ → 302/);
  });

  it('stops with one line naming a bad variable', async () => {
    const sim = run({ SIM_PORT: 'eighty' });
    expect(await sim.exited).toBe(1);
    expect(sim.err().trim().split('\n')).toEqual([
      'simulator: SIM_PORT: expected a port number from 0 to 65535, got "eighty"',
    ]);
  });
});
