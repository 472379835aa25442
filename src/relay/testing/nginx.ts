import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NGINX, ensureDebianTool } from '../../../scripts/ensure-debian-tool.ts';
import { freePort } from './free-port.ts';

/**
 * A real nginx in front of relays, for tests and `npm run cluster`: Debian's `nginx` (installed
 * by scripts/ensure-debian-tool.ts when missing) in the foreground, on loopback, with the
 * committed deploy/nginx/livestream-monitor.conf. Only its `listen` address and the relays'
 * `server` lines are replaced, so what is tested is what operators install.
 *
 * Everything nginx writes (pid, logs, the temp directories it would otherwise put under /var)
 * lives in one temporary directory, removed by `stop()`. Run as root, the master reads the
 * configuration and binds, and its workers drop to nginx's unprivileged default user as they do
 * in production.
 */

export interface NginxOptions {
  /** The relays, `host:port` each (at least one). */
  upstreams: string[];
  /** Where to listen on 127.0.0.1. Default: a free port. */
  port?: number;
}

export interface TestNginx {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  /** Replaces the relays: a new configuration, checked (`nginx -t`), then a reload (SIGHUP). */
  setUpstreams(upstreams: string[]): Promise<void>;
  /** The error log so far (notices included): what to print when a test fails. */
  errorLog(): string;
  /** Graceful stop (SIGQUIT), forced after 3 s; removes the temporary directory. */
  stop(): Promise<void>;
}

export const nginxBinary = () => ensureDebianTool(NGINX);

/** The committed site configuration. */
export const NGINX_SITE = fileURLToPath(new URL('../../../deploy/nginx/livestream-monitor.conf', import.meta.url));

/** A server name no request from outside uses: the harness's own answer on nginx's port. */
const PROBE_HOST = 'nginx-harness.invalid';

const UPSTREAM = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/;

/**
 * The site configuration with its `listen` addresses replaced by `listen` and the `server` lines
 * of `upstream livestream_relays` by one per relay (keeping the template's parameters, such as
 * `max_fails`). Throws when the template no longer has what is replaced, so that a change to it
 * that the harness would silently miss fails the tests instead.
 */
export function renderSite(template: string, listen: string, upstreams: readonly string[]): string {
  if (upstreams.length === 0) throw new Error('nginx: at least one upstream is needed');
  for (const upstream of upstreams) {
    if (!UPSTREAM.test(upstream)) throw new Error(`nginx: upstream must be host:port, got ${JSON.stringify(upstream)}`);
  }
  const block = /^(upstream\s+livestream_relays\s*\{\n)([\s\S]*?)(^\})/m.exec(template);
  if (!block) throw new Error(`${NGINX_SITE}: no "upstream livestream_relays { ... }" block`);
  const body = block[2]!;
  const servers = [...body.matchAll(/^([ \t]*)server[ \t]+\S+([^;\n]*);[ \t]*\n/gm)];
  const first = servers[0];
  if (!first) throw new Error(`${NGINX_SITE}: no "server host:port;" line in upstream livestream_relays`);
  const [, indent, parameters] = first;
  const lines = upstreams.map((upstream) => `${indent}server ${upstream}${parameters};\n`).join('');
  // The first server line becomes the list; the others go.
  let index = 0;
  const newBody = body.replace(/^[ \t]*server[ \t]+\S+[^;\n]*;[ \t]*\n/gm, () => (index++ === 0 ? lines : ''));
  const replaced =
    template.slice(0, block.index) + block[1] + newBody + block[3] + template.slice(block.index + block[0].length);
  let listens = 0;
  const rendered = replaced.replace(/^([ \t]*listen[ \t]+)[^\s;]+/gm, (_match, head: string) => {
    listens++;
    return `${head}${listen}`;
  });
  if (listens === 0) throw new Error(`${NGINX_SITE}: no "listen" line`);
  return rendered;
}

/**
 * nginx's main configuration around the site: temp paths and logs in `dir` (quoted: a TMPDIR may
 * hold spaces), the probe server.
 */
function mainConf(dir: string, site: string, listen: string, generation: number): string {
  return `# Written by src/relay/testing/nginx.ts; the site is deploy/nginx/livestream-monitor.conf.
worker_processes 1;
# A reload or stop would otherwise wait for every open event stream to end.
worker_shutdown_timeout 1s;
events {
    worker_connections 1024;
}
http {
    default_type application/octet-stream;
    access_log "${dir}/access.log";
    client_body_temp_path "${dir}/client_body";
    proxy_temp_path "${dir}/proxy";
    fastcgi_temp_path "${dir}/fastcgi";
    uwsgi_temp_path "${dir}/uwsgi";
    scgi_temp_path "${dir}/scgi";

    include "${site}";

    # Answers which configuration the workers run, so start and reload know when it is in force.
    server {
        listen ${listen};
        server_name ${PROBE_HOST};
        location = /generation {
            return 200 "${generation}";
        }
    }
}
`;
}

/** The main-context directives given with -g (the configuration file must not repeat them). */
const globals = (dir: string) =>
  `daemon off; master_process on; pid "${dir}/nginx.pid"; error_log "${dir}/error.log" notice;`;

/** GET /generation by the probe's name: the body, or undefined while nginx does not answer. */
function probe(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/generation', headers: { host: PROBE_HOST }, agent: false, timeout: 1000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(res.statusCode === 200 ? body : undefined));
        res.on('error', () => resolve(undefined));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

function run(binary: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ code: -1, output: error.message }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The worker processes the error log (level notice) tells of: those the master started, and
 * those that stopped accepting ("gracefully shutting down", logged as a worker closes its
 * listening sockets) or exited.
 */
function workers(log: string): { started: Set<string>; retired: Set<string> } {
  const started = new Set([...log.matchAll(/: start worker process (\d+)$/gm)].map((m) => m[1]!));
  const retired = new Set([
    ...[...log.matchAll(/ (\d+)#\d+: gracefully shutting down$/gm)].map((m) => m[1]!),
    ...[...log.matchAll(/: worker process (\d+) exited/gm)].map((m) => m[1]!),
  ]);
  return { started, retired };
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export async function startNginx(options: NginxOptions): Promise<TestNginx> {
  const tool = nginxBinary();
  if (!tool.path) throw new Error(tool.reason);
  const binary = tool.path;
  const template = readFileSync(NGINX_SITE, 'utf8');
  // A free port may be taken between freePort() and nginx's bind: try another (only when the
  // caller did not ask for one).
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(binary, template, port, options.upstreams);
    } catch (error) {
      const inUse = /Address already in use/.test((error as Error).message);
      if (!inUse || options.port !== undefined || attempt >= 3) throw error;
    }
  }
}

async function launch(binary: string, template: string, port: number, upstreams: string[]): Promise<TestNginx> {
  const listen = `127.0.0.1:${port}`;
  // Validate before making anything.
  let site = renderSite(template, listen, upstreams);
  const dir = mkdtempSync(join(tmpdir(), 'lsm-nginx-'));
  // Workers run as nginx's unprivileged user when the master is root: they must reach the temp
  // directories inside (nginx creates those and gives them to that user).
  chmodSync(dir, 0o711);
  const sitePath = join(dir, 'livestream-monitor.conf');
  const confPath = join(dir, 'nginx.conf');
  const errorLogPath = join(dir, 'error.log');
  let generation = 1;
  const write = () => {
    writeFileSync(sitePath, site);
    writeFileSync(confPath, mainConf(dir, sitePath, listen, generation));
  };
  write();
  const args = ['-p', `${dir}/`, '-c', confPath, '-g', globals(dir)];
  const errorLog = () => readLog(errorLogPath);

  // Its own process group: nginx's workers go with the master when it must be killed.
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => (output += error.message));

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited(child)) {
      // SIGQUIT: stop accepting, finish what is in flight (bounded by worker_shutdown_timeout);
      // SIGTERM to the whole group when that hangs, SIGKILL when even that does.
      child.kill('SIGQUIT');
      const term = setTimeout(() => killGroup('SIGTERM'), 3000);
      const kill = setTimeout(() => killGroup('SIGKILL'), 5000);
      await gone;
      clearTimeout(term);
      clearTimeout(kill);
    }
    // Workers of a master that died abruptly would linger: nothing is left in the group.
    killGroup('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };

  /**
   * Polls until the workers answer `generation` and every worker of `retiring` has stopped
   * accepting (a reload starts the new workers about 100 ms before it tells the old ones to
   * stop, and meanwhile either may take a connection), or fails with what nginx said.
   */
  const inForce = async (wanted: number, what: string, retiring: ReadonlySet<string> = new Set()) => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (exited(child)) break;
      const { retired } = workers(errorLog());
      if ([...retiring].every((pid) => retired.has(pid)) && (await probe(port)) === String(wanted)) return;
      await sleep(50);
    }
    // nginx's complaints when it has any (a failed bind is tried five times: once is enough).
    const lines = `${output}${errorLog()}`.trim().split('\n');
    const complaints = [...new Set(lines.filter((line) => /\[(emerg|alert|crit|error)\]/.test(line)))];
    const why = (complaints.length > 0 ? complaints.slice(-3) : lines.slice(-10)).join('\n');
    throw new Error(`nginx ${exited(child) ? 'exited' : 'did not answer'} ${what} on ${listen}: ${why}`);
  };

  try {
    await inForce(generation, 'at start');
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url: `http://${listen}`,
    port,
    errorLog,
    async setUpstreams(list: string[]) {
      if (stopped || exited(child)) throw new Error('nginx is not running');
      site = renderSite(template, listen, list);
      generation++;
      write();
      // A reload with a bad configuration only logs and keeps the old one: check it first.
      const test = await run(binary, ['-t', ...args]);
      if (test.code !== 0) throw new Error(`nginx -t refused the new configuration: ${test.output.trim()}`);
      const { started, retired } = workers(errorLog());
      child.kill('SIGHUP');
      await inForce(generation, 'after reload', new Set([...started].filter((pid) => !retired.has(pid))));
    },
    stop,
  };
}
