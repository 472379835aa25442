import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR } from './paths.ts';

/**
 * Child processes of the benchmarks. Every child is tracked by pid and stopped by pid (or by its
 * own process group when it was started detached): never by name, since other people run relays
 * and simulators on this machine too. Whatever is still running when the runner exits is killed.
 */

const tracked = new Map<number, { child: ChildProcess; group: boolean }>();

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** Lines seen on stdout and stderr so far (the last 400). */
  lines: string[];
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process exited. */
  done(): boolean;
  /** Waits for a line matching `pattern` and returns its match. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** SIGTERM (to its group when started detached), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnTracked(
  command: string,
  args: string[],
  options: SpawnOptions & { logName?: string } = {},
): Spawned {
  const group = options.detached === true;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  tracked.set(pid, { child, group });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let log: WriteStream | undefined;
  if (options.logName) {
    mkdirSync(join(OUT_DIR, 'logs'), { recursive: true });
    log = createWriteStream(join(OUT_DIR, 'logs', `${options.logName}.log`));
  }
  const onText = (stream: NodeJS.ReadableStream | null | undefined) => {
    if (!stream) return;
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      log?.write(text);
      rest += text;
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > 400) lines.shift();
      }
      for (const wake of waiters) wake();
    });
  };
  onText(child.stdout);
  onText(child.stderr);
  let finished = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      finished = true;
      tracked.delete(pid);
      for (const wake of waiters) wake();
      setTimeout(() => log?.end(), 100);
      resolve({ code, signal });
    });
  });
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (group) process.kill(-pid, sig);
      else process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  };
  return {
    child,
    pid,
    lines,
    exited,
    done: () => finished,
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const line of lines) {
            const match = pattern.exec(line);
            if (match) {
              cleanup();
              resolve(match);
              return;
            }
          }
          if (finished) {
            cleanup();
            reject(
              new Error(
                `process ${pid} exited before printing ${pattern}; last lines:\n${lines.slice(-15).join('\n')}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no line ${pattern} from pid ${pid} within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop(graceMs = 8000) {
      if (finished) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // A detached group may hold children that outlive the leader (esbuild, a shell).
      if (group) signal('SIGKILL');
    },
  };
}

/** Kills whatever is still tracked; synchronous, for `process.on('exit')`. */
export function killAllTracked(): void {
  for (const [pid, { group }] of tracked) {
    try {
      process.kill(group ? -pid : pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  tracked.clear();
}

export async function stopAllTracked(): Promise<void> {
  const waits = [...tracked.entries()].map(async ([pid, { child, group }]) => {
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(group ? -pid : pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(group ? -pid : pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }, 5000);
    await gone;
    clearTimeout(timer);
  });
  await Promise.all(waits);
}

const CLOCK_TICKS_PER_S = 100;

export interface ProcSample {
  /** performance.now() when read. */
  at: number;
  /** user + system CPU seconds of the process (all threads). */
  cpuS: number;
  rssBytes: number;
}

/** Reads `/proc/<pid>/stat` and `/proc/<pid>/status`; undefined when the process is gone. */
export function readProc(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    return {
      at: performance.now(),
      cpuS: (utime + stime) / CLOCK_TICKS_PER_S,
      rssBytes: rss ? Number(rss[1]) * 1024 : 0,
    };
  } catch {
    return undefined;
  }
}

/** CPU use between two samples, as a share of one core (1 = 100 %). */
export function cpuShare(from: ProcSample, to: ProcSample): number {
  return (to.cpuS - from.cpuS) / ((to.at - from.at) / 1000);
}

/** Samples a process every `everyMs` until stopped. */
export class ProcSampler {
  readonly samples: ProcSample[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pid: number,
    everyMs = 1000,
  ) {
    this.take();
    this.timer = setInterval(() => this.take(), everyMs);
  }

  take(): ProcSample | undefined {
    const sample = readProc(this.pid);
    if (sample) this.samples.push(sample);
    return sample;
  }

  stop(): void {
    clearInterval(this.timer);
    this.take();
  }

  /** Samples taken between two performance.now() instants. */
  between(from: number, to: number): ProcSample[] {
    return this.samples.filter((s) => s.at >= from && s.at <= to);
  }
}
