import { spawn, type ChildProcess } from 'node:child_process';
import { REDIS_SERVER, ensureDebianTool } from '../../../scripts/ensure-debian-tool.ts';
import { freePort } from './free-port.ts';

/**
 * A real Redis for tests, benchmarks and `npm run cluster`: Debian's `redis-server` (installed by
 * scripts/ensure-debian-tool.ts when missing), on loopback, on a free port, without persistence
 * (no RDB, no AOF: a restart loses everything, the case the cluster must survive). `restart()`
 * stops it and starts an empty one on the same port; `kill()` is `SIGKILL`.
 */

export interface TestRedis {
  url: string;
  port: number;
  /** The server's process id (CPU and memory figures). */
  readonly pid: number;
  /** Stops it (SIGTERM, then SIGKILL after 2 s). */
  stop(): Promise<void>;
  /** Stops it and starts an empty one on the same port. */
  restart(): Promise<void>;
}

export const redisServer = () => ensureDebianTool(REDIS_SERVER);

function launch(binary: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start on ${port} within 10 s: ${out.slice(-500)}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}) before it was ready: ${out.slice(-500)}`));
    });
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

export async function startRedis(): Promise<TestRedis> {
  const tool = redisServer();
  if (!tool.path) throw new Error(tool.reason);
  const binary = tool.path;
  const port = await freePort();
  let child = await launch(binary, port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child.pid ?? 0;
    },
    stop: () => terminate(child),
    async restart() {
      await terminate(child);
      child = await launch(binary, port);
    },
  };
}
