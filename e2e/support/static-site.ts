import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Builds the SPA with Vite (`vite build`, any mode and output folder) and serves a folder with a
 * plain static file server (`python3 -m http.server`) on a free port: what a person does to put
 * the demo on any static host.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const run = promisify(execFile);

/** `npx vite build [--mode demo] [--outDir dir]` in the repository, failing with Vite's output. */
export async function viteBuild(options: { mode?: string; outDir?: string } = {}): Promise<void> {
  const args = ['vite', 'build', '--logLevel', 'warn'];
  if (options.mode) args.push('--mode', options.mode);
  if (options.outDir) args.push('--outDir', options.outDir, '--emptyOutDir');
  await run('npx', args, { cwd: ROOT, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface StaticSite {
  /** Where the site is, e.g. `http://127.0.0.1:43123/livestream-monitor/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `dir` under the sub-path `/<subPath>/` of a fresh site root (a symlink in a temporary
 * folder), so a page that only works at `/` fails here.
 */
export async function serveStatic(dir: string, subPath: string): Promise<StaticSite> {
  const root = mkdtempSync(join(tmpdir(), 'lsm-static-'));
  symlinkSync(dir, join(root, subPath), 'dir');
  const port = await freePort();
  const child: ChildProcess = spawn(
    'python3',
    ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}/${subPath}/`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`python3 -m http.server did not start: ${log.slice(-500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
