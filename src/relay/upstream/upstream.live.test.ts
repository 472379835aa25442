import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Shard } from '../../contract/index.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/server.ts';
import { openSse, seqsOf, startTestRelay, type TestRelay } from '../testing/relay-harness.ts';

/**
 * Socket-level: the relay's upstream side against the simulator speaking the real protocol,
 * with a short cooldown for real (no fake clock here).
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sim(options: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator({ rate: 100, churnWindowS: 0, rhythm: false, ...options });
  cleanups.push(() => s.close());
  return s;
}

async function relayOn(s: Simulator, env: Record<string, string> = {}, ephemeral = true): Promise<TestRelay> {
  const relay = await startTestRelay(
    {
      LIVESTREAM_URL: s.streamUrl,
      ADOBE_CLIENT_ID: s.clientId,
      ADOBE_CLIENT_SECRET: s.clientSecret,
      ADOBE_IMS_TOKEN_URL: s.tokenUrl,
      ...env,
    },
    { ephemeral, feedIntervalMs: 100 },
  );
  cleanups.push(() => relay.close());
  return relay;
}

async function until(
  predicate: () => boolean,
  timeoutMs = 15_000,
  what: string | (() => string) = 'condition',
): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const control = (s: Simulator, path: string, body: unknown = {}) =>
  fetch(`${s.controlUrl}/${path}`, { method: 'POST', body: JSON.stringify(body) });
const streamConnects = (s: Simulator) => s.attempts().filter((a) => a.path.startsWith('/api/1/stream'));
const shard = (r: TestRelay, n = 0): Shard => r.relay.upstream.shards()[n]!;

describe('upstream against the simulator', () => {
  it('follows the redirect to another origin with its headers, streams, and after a killed socket waits the cooldown', async () => {
    const s = await sim();
    const r = await relayOn(s, { RECONNECT_COOLDOWN_S: '1.5' });
    await until(() => shard(r).state === 'streaming' && shard(r).hits > 5, 15_000, 'streaming');
    const [redirect, served] = streamConnects(s);
    expect(redirect).toMatchObject({ status: 302 });
    expect(served).toMatchObject({ status: 200 });
    expect(served!.port).not.toBe(redirect!.port);
    expect(served!.headers.authorization).toMatch(/^Bearer /);
    expect(served!.headers['x-api-key']).toBe(s.clientId);
    expect(served!.headers['accept-encoding']).toMatch(/gzip/);

    const killedAt = Date.now();
    await control(s, 'drop');
    await until(() => shard(r).state === 'waiting', 5_000, 'waiting');
    expect(shard(r).retryAt! - killedAt).toBeGreaterThanOrEqual(1_400);
    await until(() => shard(r).state === 'streaming', 10_000, 'streaming again');
    const next = streamConnects(s).at(-1)!;
    expect(next.at - killedAt).toBeGreaterThanOrEqual(1_500 - 50);
    expect(s.state().open).toHaveLength(1);
    expect(r.relay.status().counters.reconnects).toBe(1);
  });

  it('holds maxConnections shards; a client beyond them gets 409 and waits longer each time', async () => {
    const s = await sim({ rate: 200 });
    const r = await relayOn(s, { LIVESTREAM_MAX_CONNECTIONS: '2', RECONNECT_COOLDOWN_S: '1' });
    await until(
      () => r.relay.upstream.shards().every((x) => x.state === 'streaming' && x.hits > 0),
      15_000,
      'two shards',
    );
    expect(
      streamConnects(s)
        .filter((a) => a.status === 200)
        .every((a) => a.query.maxConnections === '2'),
    ).toBe(true);

    const intruder = await relayOn(s, {
      LIVESTREAM_MAX_CONNECTIONS: '2',
      RECONNECT_COOLDOWN_S: '1',
      LIVESTREAM_RESET: 'largest',
    });
    await until(
      () => intruder.relay.problems(50).filter((p) => p.code === 'too_many_connections').length >= 6,
      20_000,
      'repeated 409s',
    );
    expect(streamConnects(s).filter((a) => a.status === 409).length).toBeGreaterThanOrEqual(6);
    // Each intruder shard's waits grow: 1 s, then 2 s.
    for (const n of [0, 1]) {
      const times = intruder.relay
        .problems(50)
        .filter((p) => p.code === 'too_many_connections' && p.shard === n)
        .map((p) => p.at)
        .reverse();
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1_950);
    }
    const problem = intruder.relay.problems(1)[0]!;
    expect(problem).toMatchObject({
      code: 'too_many_connections',
      status: 409,
      action: 'retry-after',
      source: 'upstream',
    });
    // The first relay never noticed.
    expect(r.relay.upstream.shards().map((x) => x.state)).toEqual(['streaming', 'streaming']);
    expect(r.relay.status().counters.reconnects).toBe(0);
  });

  it('meets 503 when reconnecting inside the churn window, and waits max(Retry-After, cooldown)', async () => {
    const s = await sim({ churnWindowS: 2 });
    const r = await relayOn(s, { RECONNECT_COOLDOWN_S: '1' });
    await until(() => shard(r).state === 'streaming', 15_000, 'streaming');
    await control(s, 'drop');
    await until(() => r.relay.problems(10).some((p) => p.code === 'service_unavailable'), 10_000, '503');
    await until(() => shard(r).state === 'streaming', 15_000, 'streaming after the churn window');
    const attempts = streamConnects(s);
    const refused = attempts.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    const times = attempts.map((a) => a.at);
    for (let i = 2; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(950);
  });

  it('refreshes an expired token at once, once', async () => {
    const s = await sim();
    const r = await relayOn(s, { RECONNECT_COOLDOWN_S: '1' });
    await until(() => shard(r).state === 'streaming', 15_000, 'streaming');
    await control(s, 'expire-tokens');
    await control(s, 'drop');
    await until(() => shard(r).state === 'streaming' && shard(r).attempt === 3, 15_000, 'streaming with a fresh token');
    const [refused, accepted] = streamConnects(s).slice(-2);
    expect(refused!.status).toBe(401);
    expect(accepted!.status).toBe(200);
    expect(accepted!.at - refused!.at).toBeLessThan(500);
    expect(r.relay.problems(10).map((p) => p.code)).toContain('access_token_expired');
    expect(s.attempts().filter((a) => a.path.includes('/ims/token')).length).toBe(2);
  });

  it('counts malformed records, drops duplicates, and keeps streaming', async () => {
    const s = await sim();
    const r = await relayOn(s);
    const stream = await openSse(`${r.url}/api/stream`);
    cleanups.push(() => stream.close());
    await until(() => shard(r).hits > 10, 15_000, 'hits');
    await control(s, 'malformed', { count: 3 });
    await control(s, 'duplicates', { count: 20 });
    await control(s, 'empty', { count: 5 });
    await until(
      () => r.relay.status().counters.malformed >= 3 && r.relay.status().counters.duplicates >= 10,
      10_000,
      () => `counts ${JSON.stringify(r.relay.status().counters)} ${JSON.stringify(s.state())}`,
    );
    expect(r.relay.problems(10).filter((p) => p.code === 'malformed_record')).toHaveLength(1);
    expect(r.relay.problems(10)[0]).toMatchObject({ code: 'malformed_record', action: 'none', source: 'decoder' });
    expect(shard(r).state).toBe('streaming');
    await stream.waitFor(() => seqsOf(stream.events).length >= r.relay.status().counters.hits - 5);
    const seqs = seqsOf(stream.events);
    expect(new Set(seqs).size).toBe(seqs.length);
    const ids = stream.events
      .filter((e) => e.event === 'hits')
      .flatMap((e) => (JSON.parse(e.data) as { hits: { hitId: string }[] }).hits.map((h) => h.hitId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('treats a body that is not gzip as invalid_content_encoding and reconnects after the cooldown', async () => {
    const s = await sim({ redirectFirstConnect: false });
    await control(s, 'bad-encoding', { times: 1 });
    const r = await relayOn(s, { RECONNECT_COOLDOWN_S: '1' });
    await until(
      () => r.relay.problems(5).some((p) => p.code === 'invalid_content_encoding'),
      10_000,
      'encoding problem',
    );
    await until(() => shard(r).state === 'streaming' && shard(r).hits > 0, 10_000, 'recovered');
  });

  it('after a restart, waits out the cooldown the previous run started', async () => {
    const s = await sim();
    const dataDir = mkdtempSync(join(tmpdir(), 'lsm-restart-'));
    const first = await relayOn(s, { RECONNECT_COOLDOWN_S: '2', DATA_DIR: dataDir }, false);
    await until(() => shard(first).state === 'streaming', 15_000, 'streaming');
    await first.close();
    const stoppedAt = Date.now();
    const second = await relayOn(s, { RECONNECT_COOLDOWN_S: '2', DATA_DIR: dataDir }, false);
    expect(shard(second)).toMatchObject({ state: 'waiting', waitReason: 'restart' });
    await until(() => shard(second).state === 'streaming', 10_000, 'streaming after the cooldown');
    expect(streamConnects(s).at(-1)!.at - stoppedAt).toBeGreaterThanOrEqual(1_900);
  });
});
