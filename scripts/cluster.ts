/**
 * `npm run cluster`: several relays behind nginx on one machine, as docs/deployment.md's
 * "Several relays behind nginx (REDIS_URL)" deploys them, everything on loopback:
 * a Redis (Debian's redis-server, without persistence), the simulator alone (one Livestream that
 * every relay reads, so churn and takeovers show in its log), `CLUSTER_RELAYS` relays (default 2)
 * as child processes sharing `REDIS_URL`, each with its own `DATA_DIR`, and nginx with
 * deploy/nginx/livestream-monitor.conf in front on `CLUSTER_PORT` (default 8080).
 *
 * Settings pass through to the relays (`RECONNECT_COOLDOWN_S`, `PUBLISH_STREAM_KEY`,
 * `LIVESTREAM_MAX_CONNECTIONS`, ...) and to the simulator (`SIM_*`, its ports free by default).
 * Ctrl-C (or SIGTERM) stops it all: nginx first, then the relays (each closes its upstream
 * connection), the simulator, Redis; the temporary data directories go too.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startNginx, type TestNginx } from '../src/relay/testing/nginx.ts';
import { freePort } from '../src/relay/testing/free-port.ts';
import { startRedis, type TestRedis } from '../src/relay/testing/redis-server.ts';
import { startSimulator, type Simulator } from '../src/simulator/server.ts';
import { readSimulatorEnv } from '../src/simulator/simulator-env.ts';
import { spaNeedsBuild } from './spa-build.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function fail(message: string): never {
  console.error(`cluster: ${message}`);
  process.exit(1);
}

function integerEnv(name: string, min: number, max: number, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    fail(`${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

const clusterPort = integerEnv('CLUSTER_PORT', 1, 65_535, 8080);
const relayCount = integerEnv('CLUSTER_RELAYS', 1, 8, 2);
// The standalone simulator's settings, its ports free unless SIM_PORT / SIM_REDIRECT_PORT say otherwise.
const simEnv = readSimulatorEnv({
  ...process.env,
  SIM_PORT: process.env.SIM_PORT || '0',
  SIM_REDIRECT_PORT: process.env.SIM_REDIRECT_PORT || '0',
});
if (!simEnv.ok) fail(simEnv.message);

if (spaNeedsBuild(root)) {
  console.log('Building the dashboard (vite build)...');
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const result = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail('the dashboard build failed (see above).');
}

/** Prints a child's output line by line behind its name, so the relays' logs stay apart. */
function prefixLines(name: string, stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream): void {
  if (!stream) return;
  const label = `${name.padEnd(9)}│ `;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${label}${line}\n`));
}

interface RelayProcess {
  name: string;
  port: number;
  url: string;
  dataDir: string;
  child: ChildProcess;
  exited: Promise<void>;
}

/** `GET /healthz` answers 200: the relay serves. */
function healthy(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/healthz`, { agent: false, timeout: 1000, headers }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let redis: TestRedis | undefined;
let simulator: Simulator | undefined;
let nginx: TestNginx | undefined;
const relays: RelayProcess[] = [];
let stopping = false;

async function stopRelay(relay: RelayProcess): Promise<void> {
  const { child } = relay;
  if (child.exitCode === null && child.signalCode === null) {
    // The relay ends its streams and closes its upstream within 5 s of SIGTERM; it is killed at 10.
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await relay.exited;
    clearTimeout(killer);
  }
  rmSync(relay.dataDir, { recursive: true, force: true });
}

/** Stops whatever was started, in the order that lets each part end cleanly; never throws. */
async function stopAll(): Promise<void> {
  const step = async (what: string, work: () => Promise<void> | undefined) => {
    try {
      await work();
    } catch (error) {
      console.error(`cluster: stopping ${what}: ${(error as Error).message}`);
    }
  };
  // nginx first: no new request reaches a relay that is stopping.
  await step('nginx', () => nginx?.stop());
  await Promise.all(relays.map((relay) => step(relay.name, () => stopRelay(relay))));
  await step('the simulator', () => simulator?.close());
  await step('Redis', () => redis?.stop());
}

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`cluster: ${signal}, stopping nginx, the relays, the simulator and Redis`);
  await stopAll();
  console.log('cluster: stopped');
  process.exit(0);
}
// A terminal's Ctrl-C also reaches the children (one process group): each stops on its own, and
// is waited for here.
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

async function startRelay(index: number, env: NodeJS.ProcessEnv): Promise<RelayProcess> {
  const name = `relay-${index}`;
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `lsm-cluster-${name}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/relay/main.ts'], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(name, child.stdout, process.stdout);
  prefixLines(name, child.stderr, process.stderr);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const relay: RelayProcess = { name, port, url: `http://127.0.0.1:${port}`, dataDir, child, exited };
  relays.push(relay);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(
      `cluster: ${name} exited (${signal ?? `code ${code}`}); nginx sends its browsers to the other relays. Ctrl-C stops the rest.`,
    );
  });
  return relay;
}

async function waitHealthy(relay: RelayProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (relay.child.exitCode !== null || relay.child.signalCode !== null) {
      throw new Error(`${relay.name} exited before it served (see its lines above)`);
    }
    if (await healthy(relay.url)) return;
    await sleep(200);
  }
  throw new Error(`${relay.name} did not answer ${relay.url}/healthz within 60 s`);
}

try {
  redis = await startRedis();
  const simOptions = simEnv.options;
  simulator = await startSimulator({ ...simOptions, log: (line) => console.log(`simulator│ ${line}`) });
  const streamUrl = simOptions.requireEnable ? simulator.streamUrlV2 : simulator.streamUrl;

  // The relays read the simulator as they would read Adobe: LIVESTREAM_URL and the grant's
  // credentials; a static token from the caller's environment would not be the simulator's.
  const relayEnv: NodeJS.ProcessEnv = {
    ...process.env,
    LIVESTREAM_URL: streamUrl,
    ADOBE_IMS_TOKEN_URL: simulator.tokenUrl,
    ADOBE_CLIENT_ID: simulator.clientId,
    ADOBE_CLIENT_SECRET: simulator.clientSecret,
    // Adobe's grant needs a scope; the simulator takes any.
    ADOBE_SCOPES: process.env.ADOBE_SCOPES || 'openid',
    REDIS_URL: redis.url,
    // nginx, on loopback, speaks for the browsers in X-Forwarded-For/-Proto/-Host.
    TRUST_PROXY: '127.0.0.1',
    // Readable lines on a terminal, as `npm start` prints them, though the relays write to a pipe.
    LOG_FORMAT: process.env.LOG_FORMAT || (process.stdout.isTTY ? 'pretty' : 'json'),
  };
  delete relayEnv.ADOBE_ACCESS_TOKEN;

  for (let i = 1; i <= relayCount; i++) await startRelay(i, relayEnv);
  await Promise.all(relays.map(waitHealthy));

  try {
    nginx = await startNginx({ upstreams: relays.map((relay) => `127.0.0.1:${relay.port}`), port: clusterPort });
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(
      /Address already in use/.test(message) ? `port ${clusterPort} is taken: set CLUSTER_PORT (${message})` : message,
      { cause: error },
    );
  }
  const dashboard = `http://127.0.0.1:${nginx.port}`;
  if (!(await healthy(dashboard))) throw new Error(`nginx on ${dashboard} does not reach the relays`);

  console.log(
    [
      '',
      `Livestream Monitor cluster: ${relays.length} relays behind nginx, sharing Redis`,
      `  dashboard  ${dashboard}/   (nginx, deploy/nginx/livestream-monitor.conf)`,
      ...relays.map((relay) => `  ${relay.name.padEnd(9)}  ${relay.url}/   (DATA_DIR ${relay.dataDir})`),
      `  upstream   ${streamUrl}   (the simulator; faults: ${simulator.controlUrl})`,
      `  redis      ${redis.url}   (hits published to ${process.env.PUBLISH_STREAM_KEY || 'livestream:hits'})`,
      `Stop a relay (kill -TERM <pid>: ${relays.map((relay) => `${relay.name} ${relay.child.pid}`).join(', ')}) and the dashboard goes on through the others.`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
} catch (error) {
  if (!stopping) {
    stopping = true;
    console.error(`cluster: ${(error as Error).message}`);
    await stopAll();
    process.exit(1);
  }
}
