/**
 * Finds a binary that a test needs from a Debian package (Prometheus' `promtool`, Alertmanager),
 * as scripts/ensure-chromium.mjs does for Chromium: when it is missing and we run as root with
 * apt-get, installs Debian's package (non-interactive, without recommends, `apt-get update` first
 * only when the package lists are missing or stale); otherwise says in one line why it is not there.
 *
 * Installing never leaves a daemon running: Debian's postinst starts the package's service
 * through invoke-rc.d / deb-systemd-invoke, which ask /usr/sbin/policy-rc.d first; when there
 * is none, a temporary one that refuses every start (exit 101) is put in place for the install
 * and removed afterwards (an existing one is left as it is).
 *
 * In tests: `const tool = ensureDebianTool(PROMTOOL)`, then `describe.skipIf(!tool.path)` and
 * `tool.reason` as the one line. On the command line:
 * `node --import tsx scripts/ensure-debian-tool.ts promtool alertmanager`.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface DebianTool {
  /** What the test calls it by. */
  name: string;
  /** Debian's package that provides it. */
  pkg: string;
  /** Binary names, first found wins (in PATH, then the absolute paths given). */
  binaries: readonly string[];
  /** An environment variable that names the binary instead (never installs then). */
  env?: string;
}

export const PROMTOOL: DebianTool = {
  name: 'promtool',
  pkg: 'prometheus',
  binaries: ['promtool'],
  env: 'PROMTOOL_PATH',
};
export const ALERTMANAGER: DebianTool = {
  name: 'alertmanager',
  pkg: 'prometheus-alertmanager',
  binaries: ['prometheus-alertmanager', 'alertmanager', '/usr/bin/prometheus-alertmanager'],
  env: 'ALERTMANAGER_PATH',
};
export const AMTOOL: DebianTool = {
  name: 'amtool',
  pkg: 'prometheus-alertmanager',
  binaries: ['amtool'],
  env: 'AMTOOL_PATH',
};

export const REDIS_SERVER: DebianTool = {
  name: 'redis-server',
  pkg: 'redis-server',
  binaries: ['redis-server'],
  env: 'REDIS_SERVER_PATH',
};
export const NGINX: DebianTool = {
  name: 'nginx',
  pkg: 'nginx-light',
  binaries: ['nginx', '/usr/sbin/nginx'],
  env: 'NGINX_PATH',
};

export interface EnsuredTool {
  /** The binary, or undefined when it is not there and could not be installed. */
  path?: string;
  /** One line: what was found or installed, or why the tool is missing. */
  reason: string;
  /** The tool was installed by this call. */
  installed?: { pkg: string; ms: number };
}

const POLICY_RC_D = '/usr/sbin/policy-rc.d';
/** Package lists younger than this (minutes) are used as they are (no `apt-get update` first). */
const LISTS_FRESH_MIN = 24 * 60;
const APT_TIMEOUT_MS = 10 * 60_000;
/** Test files run in parallel: one install at a time, between processes too. */
const INSTALL_LOCK = join(tmpdir(), 'ensure-debian-tool.lock');
const INSTALL_LOCK_STALE_MS = 15 * 60_000;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function which(binary: string): string | undefined {
  if (binary.includes('/')) return executable(binary) ? binary : undefined;
  for (const dir of (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    if (dir && executable(join(dir, binary))) return join(dir, binary);
  }
  // PATH may lack sbin or /usr/bin (a trimmed environment): Debian installs there.
  for (const dir of ['/usr/bin', '/usr/sbin', '/bin']) if (executable(join(dir, binary))) return join(dir, binary);
  return undefined;
}

function find(tool: DebianTool): string | undefined {
  for (const binary of tool.binaries) {
    const found = which(binary);
    if (found) return found;
  }
  return undefined;
}

/** The package lists are there and recent enough to install from. */
function listsFresh(): boolean {
  const listed = spawnSync(
    'find',
    ['/var/lib/apt/lists', '-maxdepth', '1', '-name', '*_Packages*', '-mmin', `-${LISTS_FRESH_MIN}`],
    { encoding: 'utf8' },
  );
  return listed.status === 0 && listed.stdout.trim() !== '';
}

/** Runs apt-get with no prompt; returns the last line of its error output on failure. */
function aptGet(args: string[]): string | undefined {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'l' };
  // Another apt (a parallel test's, an unattended upgrade) may hold dpkg's lock: wait for it.
  const run = spawnSync('apt-get', ['-qq', '-o', 'Dpkg::Use-Pty=0', '-o', 'DPkg::Lock::Timeout=300', ...args], {
    env,
    encoding: 'utf8',
    timeout: APT_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.status === 0) return undefined;
  if (run.error) return run.error.message;
  const lines = `${run.stderr}`.trim().split('\n').filter(Boolean);
  return lines.at(-1) ?? `exit status ${run.status}`;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `work` holding a lock shared by every process on this machine (a directory made atomically). */
function withInstallLock<T>(work: () => T): T {
  const deadline = Date.now() + APT_TIMEOUT_MS;
  let held = false;
  while (!held && Date.now() < deadline) {
    try {
      mkdirSync(INSTALL_LOCK);
      held = true;
    } catch {
      try {
        // A lock left by a process that died while installing.
        if (Date.now() - statSync(INSTALL_LOCK).mtimeMs > INSTALL_LOCK_STALE_MS) {
          rmSync(INSTALL_LOCK, { recursive: true, force: true });
        }
      } catch {
        // gone meanwhile
      }
      sleepSync(500);
    }
  }
  // Past the deadline without the lock: go on all the same (apt-get waits for dpkg's own lock).
  try {
    return work();
  } finally {
    if (held) rmSync(INSTALL_LOCK, { recursive: true, force: true });
  }
}

/** Installs `pkg` with services kept from starting. Undefined when it worked, else why not. */
function install(pkg: string): string | undefined {
  const ownPolicy = !existsSync(POLICY_RC_D);
  if (ownPolicy) {
    writeFileSync(
      POLICY_RC_D,
      '#!/bin/sh\n# Written by scripts/ensure-debian-tool.ts for one install: start no service.\nexit 101\n',
      { mode: 0o755 },
    );
  }
  try {
    const args = ['install', '-y', '--no-install-recommends', pkg];
    let failure = listsFresh() ? aptGet(args) : 'package lists missing or stale';
    if (failure !== undefined) {
      // The lists may be old (a 404 on the mirror) or missing: fetch them once and try again.
      const updated = aptGet(['update']);
      failure = updated === undefined ? aptGet(args) : `apt-get update failed: ${updated}`;
    }
    return failure;
  } finally {
    if (ownPolicy) unlinkSync(POLICY_RC_D);
  }
}

const cache = new Map<string, EnsuredTool>();

/**
 * The tool's binary, installed from Debian's package when missing and allowed (root, apt-get,
 * not disabled by `ENSURE_DEBIAN_TOOLS=0`). Never throws; the answer is kept for the process.
 */
export function ensureDebianTool(tool: DebianTool): EnsuredTool {
  const known = cache.get(tool.name);
  if (known) return known;
  const answer = ensure(tool);
  cache.set(tool.name, answer);
  return answer;
}

function ensure(tool: DebianTool): EnsuredTool {
  const fromEnv = tool.env ? process.env[tool.env] : undefined;
  if (fromEnv) {
    return executable(fromEnv)
      ? { path: fromEnv, reason: `${tool.name}: ${fromEnv} (${tool.env})` }
      : { reason: `${tool.name}: ${tool.env}=${fromEnv} is not an executable file` };
  }
  const found = find(tool);
  if (found) return { path: found, reason: `${tool.name}: ${found}` };
  const how = `install Debian's package as root (apt-get install -y --no-install-recommends ${tool.pkg})${tool.env ? ` or set ${tool.env}` : ''}`;
  if (process.env.ENSURE_DEBIAN_TOOLS === '0') {
    return { reason: `${tool.name} not found (ENSURE_DEBIAN_TOOLS=0): ${how}` };
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) return { reason: `${tool.name} not found and not root, so not installed: ${how}` };
  if (!which('apt-get')) return { reason: `${tool.name} not found and no apt-get here: ${how}` };
  const started = Date.now();
  // Another process (a parallel test file) may have installed it while this one waited for the lock.
  let ran = false;
  const failure = withInstallLock(() => {
    if (find(tool)) return undefined;
    ran = true;
    return install(tool.pkg);
  });
  const ms = Date.now() - started;
  const path = find(tool);
  if (failure !== undefined || !path) {
    return {
      reason: `${tool.name} not found and Debian's ${tool.pkg} could not be installed (${failure ?? 'no binary after install'}): ${how}`,
    };
  }
  if (!ran) return { path, reason: `${tool.name}: ${path} (installed meanwhile by another process)` };
  return {
    path,
    reason: `${tool.name}: ${path} (installed Debian's ${tool.pkg} in ${(ms / 1000).toFixed(1)} s)`,
    installed: { pkg: tool.pkg, ms },
  };
}

/** `node --import tsx scripts/ensure-debian-tool.ts promtool alertmanager amtool`: exit 1 when one is missing. */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const tools: Record<string, DebianTool> = { promtool: PROMTOOL, alertmanager: ALERTMANAGER, amtool: AMTOOL };
  let missing = 0;
  for (const name of process.argv.slice(2)) {
    const tool = tools[name];
    if (!tool) {
      console.error(`unknown tool ${name}: one of ${Object.keys(tools).join(', ')}`);
      missing++;
      continue;
    }
    const answer = ensureDebianTool(tool);
    if (answer.path) console.log(answer.reason);
    else {
      console.error(answer.reason);
      missing++;
    }
  }
  process.exit(missing === 0 ? 0 : 1);
}
