import { join } from 'node:path';
import type { PoolAnswer, PoolReport, PoolRequest } from '../client-pool.ts';
import { spawnTracked, type Spawned } from './children.ts';
import { Histogram } from './histogram.ts';
import { BENCH_DIR, ROOT } from './paths.ts';

/** Drives `bench/client-pool.ts` in its own process. */
export class PoolControl {
  private readonly waiters: ((answer: PoolAnswer) => boolean)[] = [];
  slowClosedAt: number | undefined;

  private constructor(readonly proc: Spawned) {
    proc.child.on('message', (answer: PoolAnswer) => {
      if (answer.type === 'slow-closed') this.slowClosedAt = answer.at;
      for (let i = 0; i < this.waiters.length; i++) {
        if (this.waiters[i]!(answer)) {
          this.waiters.splice(i, 1);
          break;
        }
      }
    });
  }

  static start(logName: string): PoolControl {
    const proc = spawnTracked(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'client-pool.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      logName,
    });
    return new PoolControl(proc);
  }

  private ask<T extends PoolAnswer['type']>(
    request: PoolRequest,
    type: T,
    timeoutMs = 60_000,
  ): Promise<Extract<PoolAnswer, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client pool: no ${type} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push((answer) => {
        if (answer.type === 'error') {
          clearTimeout(timer);
          reject(new Error(answer.message));
          return true;
        }
        if (answer.type !== type) return false;
        clearTimeout(timer);
        resolve(answer as Extract<PoolAnswer, { type: T }>);
        return true;
      });
      this.proc.child.send(request);
    });
  }

  open(url: string, count: number) {
    return this.ask({ type: 'open', url, count }, 'opened', 120_000);
  }

  slow(url: string) {
    return this.ask({ type: 'slow', url }, 'slow-opened');
  }

  stopReading(): void {
    this.proc.child.send({ type: 'stop-reading' } satisfies PoolRequest);
  }

  window(): void {
    this.proc.child.send({ type: 'window' } satisfies PoolRequest);
  }

  /** The window so far; `reset` starts a new one (slices of a run). */
  async report(reset = false): Promise<PoolReport & { delayH: Histogram; transitH: Histogram }> {
    const report = await this.ask({ type: 'report', reset }, 'report');
    return {
      ...report,
      delayH: Histogram.fromSparse(report.delay, report.delayMax),
      transitH: Histogram.fromSparse(report.transit, report.transitMax),
    };
  }

  async close(): Promise<void> {
    if (!this.proc.done()) this.proc.child.send({ type: 'close' } satisfies PoolRequest);
    const timer = setTimeout(() => void this.proc.stop(), 3000);
    await this.proc.exited;
    clearTimeout(timer);
  }
}
