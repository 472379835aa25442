import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real relay as a child process (`scripts/start.ts`: builds the SPA when stale, then serves
 * it with the API and the embedded simulator), so a test can stop and restart it on the same
 * port while the page stays open.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RelayProcessOptions {
  port: number;
  simPort: number;
  env?: Record<string, string>;
}

export class RelayProcess {
  private child: ChildProcess | undefined;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'lsm-e2e-'));
  output = '';

  constructor(private readonly options: RelayProcessOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** The embedded simulator's control API (faults on demand). */
  get simControl(): string {
    return `http://127.0.0.1:${this.options.simPort}/__sim`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(this.options.port),
        SIM_PORT: String(this.options.simPort),
        DATA_DIR: this.dataDir,
        LOG_LEVEL: 'warn',
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`relay exited (${child.exitCode}):\n${this.output}`);
      try {
        const response = await fetch(`${this.url}/healthz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`relay did not start:\n${this.output}`);
  }

  /** SIGTERM, as an operator or a service manager would; resolves when the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }

  async sim(path: string, body: unknown = {}): Promise<unknown> {
    const response = await fetch(`${this.simControl}/${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`simulator ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }
}
