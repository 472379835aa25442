import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { CHROMIUM_PATH } from '../../scripts/chromium.ts';
import { ROOT } from './paths.ts';

/** Where and on what the figures were taken. */
export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  chromium: string;
  curl: string;
  loadAverage: number[];
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function machine(): Machine {
  let osName = `${os.type()} ${os.release()}`;
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(release);
    if (pretty) osName = `${pretty[1]} (kernel ${os.release()})`;
  } catch {
    // Keep the generic name.
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: osName,
    node: process.version,
    chromium: run(CHROMIUM_PATH, ['--version']).split('\n')[0] ?? '',
    curl: run('/usr/bin/curl', ['--version']).split('\n')[0] ?? '',
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export interface GitState {
  commit: string;
  dirty: boolean;
  /** Changed files outside bench/ (what the figures may depend on). */
  dirtyOutsideBench: string[];
}

export function gitState(): GitState {
  const commit = run('git', ['rev-parse', '--short', 'HEAD']) || 'unknown';
  let status = '';
  try {
    // Not trimmed: a porcelain line may start with a space.
    status = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' });
  } catch {
    // Not a repository.
  }
  const lines = status.split('\n').filter((l) => l.length > 3);
  return {
    commit,
    dirty: lines.length > 0,
    dirtyOutsideBench: lines.map((l) => l.slice(3)).filter((p) => !p.startsWith('bench/')),
  };
}

/** Per-CPU busy time from /proc/stat. */
function cpuTimes(): { busy: number; total: number }[] {
  const lines = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((l) => /^cpu\d+ /.test(l));
  return lines.map((line) => {
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  });
}

/** The CPU that was least busy over the last `ms` (to pin a single-core measurement on). */
export async function quietestCpu(ms = 500): Promise<{ cpu: number; busy: number[] }> {
  const a = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpuTimes();
  const busy = b.map((t, i) => (t.busy - a[i]!.busy) / Math.max(1, t.total - a[i]!.total));
  let cpu = 0;
  for (let i = 1; i < busy.length; i++) if (busy[i]! < busy[cpu]!) cpu = i;
  return { cpu, busy };
}

/** Share of all CPUs busy over `ms`, 0–1 (how noisy the machine is right now). */
export async function machineBusy(ms = 1000): Promise<number> {
  const { busy } = await quietestCpu(ms);
  return busy.reduce((a, b) => a + b, 0) / busy.length;
}
