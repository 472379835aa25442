import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { until } from './until.ts';

/**
 * The systemd unit of docs/deployment.md (deploy/systemd/livestream-monitor@.service), as the
 * tests can use it without a running systemd: `systemd-analyze verify` accepts it (when the tool
 * is there), and the relay started the way the unit starts it (its `Environment=` lines with the
 * instance as the port, its `ExecStart=` from the checkout) listens on 127.0.0.1:<instance> and,
 * sent the unit's `KillSignal`, exits cleanly well within `TimeoutStopSec`.
 */

const UNIT = fileURLToPath(new URL('../../../deploy/systemd/livestream-monitor@.service', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const text = readFileSync(UNIT, 'utf8');

/** `Key=value` lines of the unit, in order (comments and sections left out). */
function settings(): [string, string][] {
  return text
    .split('\n')
    .filter((line) => /^[A-Za-z]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
}

const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });

describe('the systemd unit', () => {
  it.skipIf(analyze.status !== 0)('passes systemd-analyze verify', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsm-unit-'));
    try {
      const instance = join(dir, 'livestream-monitor@8081.service');
      copyFileSync(UNIT, instance);
      const verify = spawnSync('systemd-analyze', ['verify', instance], { encoding: 'utf8' });
      expect(verify.stderr).toBe('');
      expect(verify.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts the relay on 127.0.0.1:<instance>, which stops cleanly on its KillSignal within TimeoutStopSec', async () => {
    const port = await freePort();
    const state = mkdtempSync(join(tmpdir(), 'lsm-unit-state-'));
    const expand = (value: string) => value.replaceAll('%i', String(port)).replaceAll('%S', state);
    const env: Record<string, string> = {};
    for (const [key, value] of settings()) {
      if (key !== 'Environment') continue;
      const [name, ...rest] = expand(value).split('=');
      env[name!] = rest.join('=');
    }
    expect(Object.keys(env).sort()).toEqual(['DATA_DIR', 'HOST', 'PORT']);
    const execStart = settings()
      .find(([key]) => key === 'ExecStart')![1]
      .split(' ');
    const signal = settings().find(([key]) => key === 'KillSignal')![1] as NodeJS.Signals;
    const timeoutS = Number(/^(\d+)s$/.exec(settings().find(([key]) => key === 'TimeoutStopSec')![1])![1]);
    // The checkout stands in for WorkingDirectory; the binary is this test's node.
    const child = spawn(process.execPath, execStart.slice(1), {
      cwd: ROOT,
      env: { ...process.env, ...env, SIM_CHURN_WINDOW_S: '0', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const health = await until(
        'the relay on its port',
        async () => {
          try {
            const res = await fetch(`http://127.0.0.1:${port}/healthz`);
            return res.ok ? res.status : undefined;
          } catch {
            return undefined;
          }
        },
        30_000,
      );
      expect(health).toBe(200);
      const sentAt = Date.now();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      expect(await exited).toBe(0);
      expect(Date.now() - sentAt).toBeLessThan(timeoutS * 1000);
    } finally {
      child.kill('SIGKILL');
      rmSync(state, { recursive: true, force: true });
    }
  }, 60_000);
});
