import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { NGINX, ensureDebianTool } from '../../../scripts/ensure-debian-tool.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { until } from '../testing/until.ts';
import { startNginx, type TestNginx } from '../testing/nginx.ts';
import { freePort } from '../testing/free-port.ts';
import { redisServer, startRedis, type TestRedis } from '../testing/redis-server.ts';
import { followSse, type SseFollower } from '../testing/sse-follower.ts';
import { connectRedis, whenReady } from './redis-client.ts';

/**
 * Socket-level, issue 15 ("Must show"): Redis (Debian's redis-server, no persistence), three relay
 * processes with `REDIS_URL`, the simulator as the upstream (its attempt log has each
 * connection's open and close times), Debian's nginx in front with deploy/nginx's configuration,
 * a browser-like SSE client behind it that follows the stream through reconnects with
 * `Last-Event-ID`, and another program reading `PUBLISH_STREAM_KEY`. The holder is
 * killed (`SIGKILL`), paused past its lease (`SIGSTOP`), Redis restarted without its data, and
 * all three relays restarted one after another. Throughout: at most one upstream connection at
 * any moment; each takeover no sooner than the cooldown after the loss; hits resent after a
 * takeover are dropped as duplicates; the paused holder closes
 * its connection as soon as it runs and publishes nothing it read after; the SSE client sees
 * every `seq` once, in order, and no `reset`; the other program gets every distinct hit with its
 * exact 64-bit digits.
 */

const tool = redisServer();
const nginxTool = ensureDebianTool(NGINX);
if (!tool.path || !nginxTool.path) {
  console.warn(`skipping the cluster topology test: ${tool.path ? nginxTool.reason : tool.reason}`);
}

const COOLDOWN_S = 4;
const LEASE_TTL_S = 2;
/** The holder writes its last moment alive with each renewal (every TTL / 4). */
const RENEW_MS = (LEASE_TTL_S * 1000) / 4;
const SLACK_MS = 150;
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const STREAM_KEY = 'livestream:hits';

interface RelayProcess {
  name: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  output: string[];
}

let redis: TestRedis | undefined;
let sim: Simulator | undefined;
let nginx: TestNginx | undefined;
let reader: Redis | undefined;
const relays: RelayProcess[] = [];
const cleanups: (() => unknown)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch {
      // the next cleanup still runs
    }
  }
  for (const relay of relays) {
    relay.child.kill('SIGKILL');
    rmSync(relay.dataDir, { recursive: true, force: true });
  }
  reader?.disconnect();
  await nginx?.stop();
  await sim?.close();
  await redis?.stop();
}, 30_000);

function launch(relay: Omit<RelayProcess, 'child' | 'output'>, env: Record<string, string>): RelayProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, ...env, PORT: String(relay.port), DATA_DIR: relay.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { ...relay, child, output };
}

interface StatusBody {
  relay: { runId: string; cluster?: { relayId: string; holds: number[] } };
  shards: { state: string }[];
  counters: { duplicates: number };
}

async function status(relay: RelayProcess): Promise<StatusBody | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${relay.port}/api/status`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? ((await res.json()) as StatusBody) : undefined;
  } catch {
    return undefined;
  }
}

/** The relay holding shard 0 once it streams. */
async function streamingHolder(): Promise<RelayProcess> {
  return until(
    'a holder streaming',
    async () => {
      for (const relay of relays) {
        if (relay.child.exitCode !== null || relay.child.signalCode !== null) continue;
        const body = await status(relay);
        if (body?.relay.cluster?.holds.includes(0) && body.shards[0]?.state === 'streaming') return relay;
      }
      return undefined;
    },
    30_000,
  );
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stream connections that got a 200: [opened, closed or now]. */
function connections(): { at: number; closedAt: number | undefined }[] {
  return sim!
    .attempts()
    .filter((a) => a.kind === 'stream' && a.status === 200)
    .map((a) => ({ at: a.at, closedAt: a.closedAt }))
    .sort((a, b) => a.at - b.at);
}

describe.skipIf(!tool.path || !nginxTool.path)('several relays on Redis', () => {
  it('hold one upstream connection between them through kill -9, SIGSTOP, a Redis restart and a rolling restart', async () => {
    redis = await startRedis();
    sim = await startSimulator({ port: 0, rate: 60, churnWindowS: 0, rhythm: false });
    const env = {
      HOST: '127.0.0.1',
      LIVESTREAM_URL: sim.streamUrl,
      ADOBE_CLIENT_ID: sim.clientId,
      ADOBE_CLIENT_SECRET: sim.clientSecret,
      ADOBE_SCOPES: 'openid',
      ADOBE_IMS_TOKEN_URL: sim.tokenUrl,
      REDIS_URL: redis.url,
      PUBLISH_STREAM_KEY: STREAM_KEY,
      RECONNECT_COOLDOWN_S: String(COOLDOWN_S),
      REDIS_LEASE_TTL_S: String(LEASE_TTL_S),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
    };
    for (const name of ['a', 'b', 'c']) {
      relays.push(
        launch({ name, port: await freePort(), dataDir: mkdtempSync(join(tmpdir(), `lsm-cluster-${name}-`)) }, env),
      );
    }
    const marks: [string, number][] = [];
    const restart = async (relay: RelayProcess) => {
      marks.push([`start ${relay.name}`, Date.now()]);
      const index = relays.indexOf(relay);
      relays[index] = launch({ name: relay.name, port: relay.port, dataDir: relay.dataDir }, env);
      await until(`relay ${relay.name} up`, () => status(relays[index]!), 30_000);
    };
    for (const relay of relays) await until(`relay ${relay.name} up`, () => status(relay), 30_000);

    // Another program reading the stream from its beginning.
    reader = connectRedis(redis.url, { name: 'other-program', blocking: true });
    await whenReady(reader, 5000);
    const published: { seq: number; hitId: string; hit: string; relay: string; arrivedAt: number }[] = [];
    let readerStopped = false;
    let cursor = '0-0';
    const readLoop = (async () => {
      while (!readerStopped) {
        try {
          const answer = await reader.xread('COUNT', 1000, 'BLOCK', 200, 'STREAMS', STREAM_KEY, cursor);
          for (const [, entries] of answer ?? []) {
            for (const [id, fields] of entries) {
              cursor = id;
              const f: Record<string, string> = {};
              for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
              published.push({
                seq: Number(id.split('-')[0]),
                hitId: f.hitId!,
                hit: f.hit!,
                relay: f.relay!,
                arrivedAt: Number(f.arrivedAt),
              });
            }
          }
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    })();
    cleanups.push(async () => {
      readerStopped = true;
      await readLoop;
    });

    // The browser-like client reads through nginx, as deployed (deploy/nginx/).
    nginx = await startNginx({ upstreams: relays.map((relay) => `127.0.0.1:${relay.port}`) });
    let holder = await streamingHolder();
    const follower: SseFollower = followSse(`${nginx.url}/api/stream`);
    cleanups.push(() => follower.stop());
    await until('hits on the SSE client', () => follower.hits.length > 20);

    // 1. kill -9 of the holder: the socket closes with the process; another relay takes over.
    holder.child.kill('SIGKILL');
    await exited(holder.child);
    const killed = holder;
    holder = await streamingHolder();
    expect(holder).not.toBe(killed);
    await restart(killed);
    // Adobe resends hits the last connection delivered (the simulator replays them on the new one):
    // the new holder's publishing drops them, counted as duplicates on every relay.
    const replay = await fetch(`${sim.controlUrl}/duplicates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"count":50}',
    });
    const { replayed } = (await replay.json()) as { replayed: number };
    expect(replayed).toBeGreaterThan(0);
    await until(
      'the resent hits counted as duplicates',
      async () => ((await status(holder))?.counters.duplicates ?? 0) >= replayed,
      10_000,
    );

    // 2. SIGSTOP of the holder for longer than its lease (shorter than the cooldown).
    await until('hits after the takeover', () => published.length > 0 && published.at(-1)!.relay !== undefined);
    const paused = holder;
    const pausedId = (await status(paused))!.relay.cluster!.relayId;
    const stoppedAt = Date.now();
    paused.child.kill('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, LEASE_TTL_S * 1000 + 1000));
    const resumedAt = Date.now();
    paused.child.kill('SIGCONT');
    holder = await streamingHolder();
    expect(holder).not.toBe(paused);
    const afterPause = connections();
    const pausedConnection = afterPause.filter((c) => c.at < stoppedAt).at(-1)!;
    // Closed as soon as it ran again (it could not before).
    expect(pausedConnection.closedAt).toBeDefined();
    expect(pausedConnection.closedAt!).toBeGreaterThanOrEqual(resumedAt - SLACK_MS);
    expect(pausedConnection.closedAt! - resumedAt).toBeLessThan(1000);
    // The takeover waited the cooldown from the paused holder's last renewal.
    const takeover = afterPause.find((c) => c.at > stoppedAt)!;
    expect(takeover.at).toBeGreaterThanOrEqual(stoppedAt - RENEW_MS + COOLDOWN_S * 1000 - SLACK_MS);
    // Nothing it read after it was stopped was published.
    expect(published.filter((p) => p.relay === pausedId && p.arrivedAt > stoppedAt)).toEqual([]);

    // 3. Redis restarts without its data: every lease and memory is gone: a full cooldown.
    const redisRestartAt = Date.now();
    await redis.restart();
    const afterRedis = await until(
      'a connection after the Redis restart',
      () => connections().find((c) => c.at > redisRestartAt),
      30_000,
    );
    holder = await streamingHolder();
    expect(afterRedis.at - redisRestartAt).toBeGreaterThanOrEqual(COOLDOWN_S * 1000 - SLACK_MS);

    // 4. Rolling restart: each relay stopped (SIGTERM) and started again, one after another.
    for (const relay of [...relays]) {
      const wasHolder = relay === holder;
      const stoppedAt = Date.now();
      marks.push([`term ${relay.name} holder=${wasHolder}`, stoppedAt]);
      relay.child.kill('SIGTERM');
      await exited(relay.child);
      await restart(relay);
      if (wasHolder) {
        await until('the takeover', () => connections().find((c) => c.at > stoppedAt), 30_000);
        holder = await streamingHolder();
      }
    }
    await streamingHolder();
    const before = published.length;
    await until('hits after the rolling restart', () => published.length > before + 20);
    await until('the SSE client caught up', () => follower.hits.at(-1)!.seq >= published.at(-1)!.seq - 5, 10_000);
    follower.stop();

    // At most one upstream connection at any moment; each takeover no sooner than the cooldown.
    const all = connections();
    // Said with every failure below: when each connection opened and closed, and what the test did.
    const t0 = all[0]!.at;
    const timeline = JSON.stringify({
      stoppedAt: stoppedAt - t0,
      resumedAt: resumedAt - t0,
      redisRestartAt: redisRestartAt - t0,
      marks: marks.map(([what, at]) => [what, at - t0]),
      connections: all.map((c) => [c.at - t0, c.closedAt === undefined ? 'open' : c.closedAt - t0]),
    });
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < all.length; i++) {
      const previous = all[i - 1]!;
      expect(previous.closedAt, `connection ${i - 1} still open when ${i} opened: ${timeline}`).toBeDefined();
      expect(all[i]!.at).toBeGreaterThanOrEqual(previous.closedAt!);
    }
    const pauseTakeover = all.indexOf(all.find((c) => c.at > stoppedAt)!);
    for (let i = 1; i < all.length; i++) {
      if (i === pauseTakeover) continue; // measured from the last renewal above
      expect(all[i]!.at - all[i - 1]!.closedAt!, `takeover ${i}: ${timeline}`).toBeGreaterThanOrEqual(
        COOLDOWN_S * 1000 - RENEW_MS - SLACK_MS,
      );
    }

    // The SSE client: every seq once, in order, no reset, across relays.
    const seqs = follower.hits.map((h) => h.seq);
    expect(follower.resets).toBe(0);
    expect(follower.connects).toBeGreaterThan(1);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i], `after seq ${seqs[i - 1]}`).toBe(seqs[i - 1]! + 1);

    // The other program: every distinct hit once, gap-free, exact 64-bit digits.
    const pubSeqs = published.map((p) => p.seq);
    for (let i = 1; i < pubSeqs.length; i++) expect(pubSeqs[i]).toBe(pubSeqs[i - 1]! + 1);
    expect(new Set(published.map((p) => p.hitId)).size).toBe(published.length);
    let beyond53 = 0;
    for (const entry of published) {
      const high = /"hitIdHigh":\s*"?(\d+)/.exec(entry.hit)![1]!;
      const low = /"hitIdLow":\s*"?(\d+)/.exec(entry.hit)![1]!;
      expect(entry.hitId).toBe(`${BigInt(high)}-${BigInt(low)}`);
      if (BigInt(high) > 2n ** 53n) beyond53++;
    }
    expect(beyond53).toBeGreaterThan(0);
    // What the SSE client got is what was published, seq for seq.
    const bySeq = new Map(published.map((p) => [p.seq, p.hitId]));
    for (const hit of follower.hits) if (bySeq.has(hit.seq)) expect(hit.hitId).toBe(bySeq.get(hit.seq));
  }, 180_000);
});
