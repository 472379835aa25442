import { afterEach, describe, expect, it } from 'vitest';
import {
  CatalogSchema,
  HitSummarySchema,
  ProblemSchema,
  StatusSchema,
  StatsSchema,
  TopSchema,
  parseSseEvent,
} from '../../contract/index.ts';
import { openSse, seqsOf, startTestRelay, type SseReader, type TestRelay } from '../testing/relay-harness.ts';
import { rawExchange, type RawAnswer } from './raw-http.ts';

const running: TestRelay[] = [];
const readers: SseReader[] = [];

afterEach(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function relay(env: Record<string, string> = {}, deps: Parameters<typeof startTestRelay>[1] = {}) {
  const started = await startTestRelay({ SIM_RATE: '200', ...env }, { ephemeral: true, feedIntervalMs: 100, ...deps });
  running.push(started);
  return started;
}

async function sse(url: string, headers: Record<string, string> = {}) {
  const reader = await openSse(url, headers);
  readers.push(reader);
  return reader;
}

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body, headers: response.headers };
}

describe('relay HTTP API', () => {
  it('answers every REST route with contract shapes, and bad input with 400/404 Problems', async () => {
    const r = await relay();
    const stream = await sse(`${r.url}/api/stream`);
    await stream.waitFor((events) => seqsOf(events).length > 5);

    const status = await getJson(`${r.url}/api/status`);
    expect(status.status).toBe(200);
    const parsed = StatusSchema.parse(status.body);
    expect(parsed.relay.mode).toBe('simulator');
    expect(parsed.shards[0]!.state).toBe('streaming');
    expect(parsed.clients).toBe(1);

    expect(CatalogSchema.parse((await getJson(`${r.url}/api/catalog`)).body).actions).toHaveLength(8);
    expect((await getJson(`${r.url}/api/problems?limit=5`)).body).toEqual({ problems: [] });

    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const stats = (await getJson(`${r.url}/api/stats?window=60`)).body as { series: unknown[] };
    expect(stats.series.length).toBeGreaterThan(0);
    for (const s of stats.series) StatsSchema.parse(s);
    TopSchema.parse((await getJson(`${r.url}/api/top?window=300`)).body);

    const first = JSON.parse(stream.events.find((e) => e.event === 'hits')!.data) as { hits: unknown[] };
    const summary = HitSummarySchema.parse(first.hits[0]);
    const full = await fetch(`${r.url}/api/hits/${summary.hitId}`);
    expect(full.status).toBe(200);
    const text = await full.text();
    const [high, low] = summary.hitId.split('-');
    expect(text).toContain(`"hitIdHigh":${high}`);
    expect(text).toContain(`"hitIdLow":${low}`);
    expect(text).toMatch(/"ip":"\d+\.\d+\.\d+\.xxx"/);

    for (const [path, code, expected] of [
      ['/api/problems?limit=-1', 'invalid_parameter_value', 400],
      ['/api/problems?limit=abc', 'invalid_parameter_value', 400],
      ['/api/stats?window=abc', 'invalid_parameter_value', 400],
      ['/api/stats?window=999999', 'invalid_parameter_value', 400],
      ['/api/top?window=42', 'invalid_parameter_value', 400],
      ['/api/hits/123-456', 'hit_not_found', 404],
      ['/api/nope', 'route_not_found', 404],
    ] as const) {
      const answer = await getJson(`${r.url}${path}`);
      expect(answer.status, path).toBe(expected);
      const problem = ProblemSchema.parse((answer.body as { error: unknown }).error);
      expect(problem).toMatchObject({ code, status: expected, source: 'relay' });
    }
    const badShard = await getJson(`${r.url}/api/upstream/7/reconnect`, { method: 'POST' });
    expect(badShard.status).toBe(404);
    const badBody = await getJson(`${r.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(badBody.status).toBe(400);

    expect(await fetch(`${r.url}/healthz`).then((res) => res.text())).toBe('ok');
    const metrics = await fetch(`${r.url}/metrics`).then((res) => res.text());
    expect(metrics).toMatch(/livestream_hits_total \d+/);
    expect(metrics).toContain('livestream_shard_state{shard="0",state="streaming"} 1');
  });

  it('refuses a manual reconnect of a streaming shard and during the cooldown, accepts it after', async () => {
    const r = await relay({ RECONNECT_COOLDOWN_S: '2' });
    const stream = await sse(`${r.url}/api/stream`);
    await stream.waitFor((events) => seqsOf(events).length > 0);
    const connected = await getJson(`${r.url}/api/upstream/0/reconnect`, { method: 'POST' });
    expect(connected.status).toBe(409);
    expect(connected.body).toMatchObject({ error: { code: 'shard_already_connected' } });

    await fetch(`${r.relay.simulator!.controlUrl}/next-connect`, {
      method: 'POST',
      body: JSON.stringify({ status: 404, times: 1 }),
    });
    await fetch(`${r.relay.simulator!.controlUrl}/drop`, { method: 'POST', body: '{}' });
    await stream.waitFor(
      (events) =>
        events.some((e) => e.event === 'state' && (JSON.parse(e.data) as { state: string }).state === 'failed'),
      10_000,
    );
    const early = await getJson(`${r.url}/api/upstream/0/reconnect`, { method: 'POST' });
    expect(early.status).toBe(429);
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(early.body).toMatchObject({ error: { code: 'too_many_requests', action: 'retry-after', status: 429 } });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const accepted = await getJson(`${r.url}/api/upstream/0/reconnect`, { method: 'POST' });
    expect(accepted.status).toBe(202);
    await stream.waitFor(
      (events) =>
        events.filter((e) => e.event === 'state' && (JSON.parse(e.data) as { state: string }).state === 'streaming')
          .length >= 1,
      10_000,
    );
  });
});

describe('SSE stream', () => {
  it('replays after a disconnect with no gap and no duplicate', async () => {
    const r = await relay();
    const first = await sse(`${r.url}/api/stream`);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(first.headers['cache-control']).toBe('no-cache, no-transform');
    expect(first.headers['x-accel-buffering']).toBe('no');
    expect(first.headers['content-encoding']).toBeUndefined();
    expect(first.events[0]?.event).toBe('hello');
    expect(first.raw()).toMatch(/^retry: \d+\n\n/);
    await first.waitFor((events) => events.filter((e) => e.event === 'hits').length >= 3);
    const lastId = first.events.filter((e) => e.event === 'hits').at(-1)!.id!;
    const seen = seqsOf(first.events);
    first.close();

    await new Promise((resolve) => setTimeout(resolve, 700));
    const second = await sse(`${r.url}/api/stream`, { 'last-event-id': lastId });
    await second.waitFor((events) => events.filter((e) => e.event === 'hits').length >= 8);
    const hello = parseSseEvent('hello', second.events[0]!.data);
    expect(hello.ok && hello.value.lastEventId).toBe(lastId);
    const resumed = seqsOf(second.events);
    expect(second.events.some((e) => e.event === 'reset')).toBe(false);
    const all = [...seen, ...resumed];
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => all[0]! + i));

    // The same by query parameter (EventSource cannot set headers on a fresh connection).
    const third = await sse(`${r.url}/api/stream?lastEventId=${encodeURIComponent(lastId)}`);
    await third.waitFor((events) => seqsOf(events).length >= resumed.length);
    expect(seqsOf(third.events).slice(0, 5)).toEqual(resumed.slice(0, 5));
  });

  it('sends one reset for an id older than the buffer and for an id of an earlier run', async () => {
    const r = await relay({}, { hub: { replay: { minAgeMs: 0, minHits: 0, maxBytes: 1 } } });
    const first = await sse(`${r.url}/api/stream`);
    await first.waitFor((events) => events.filter((e) => e.event === 'hits').length >= 3);
    const oldId = first.events.find((e) => e.event === 'hits')!.id!;
    const stale = await sse(`${r.url}/api/stream`, { 'last-event-id': oldId });
    await stale.waitFor((events) => events.some((e) => e.event === 'hits'));
    const resets = stale.events.filter((e) => e.event === 'reset');
    expect(resets).toHaveLength(1);
    expect(JSON.parse(resets[0]!.data)).toMatchObject({ reason: 'too-old', missed: expect.any(Number) });
    expect(stale.events[1]!.event).toBe('reset');

    const other = await sse(`${r.url}/api/stream`, { 'last-event-id': 'rEarlierRun.1234' });
    await other.waitFor((events) => events.length >= 2);
    expect(other.events[1]).toMatchObject({ event: 'reset' });
    expect(JSON.parse(other.events[1]!.data)).toEqual({ reason: 'other-run' });
  });

  it('lets 100 subscribers come and go without an upstream connect or close', async () => {
    const r = await relay();
    const watcher = await sse(`${r.url}/api/stream`);
    await watcher.waitFor((events) => seqsOf(events).length > 0);
    const attemptsBefore = r.relay.simulator!.attempts().length;
    const shardBefore = r.relay.upstream.shards()[0]!;
    for (let round = 0; round < 4; round++) {
      const batch = await Promise.all(Array.from({ length: 25 }, () => openSse(`${r.url}/api/stream`)));
      for (const reader of batch) reader.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(r.relay.simulator!.attempts()).toHaveLength(attemptsBefore);
    const shardAfter = r.relay.upstream.shards()[0]!;
    expect(shardAfter.state).toBe('streaming');
    expect(shardAfter.connectedAt).toBe(shardBefore.connectedAt);
    expect(r.relay.simulator!.state().open).toHaveLength(1);
    expect(r.relay.hub.clients).toBe(1);
  });

  it('stays 200 with its heartbeat while the upstream is down, reporting state and problem', async () => {
    const r = await relay({ RECONNECT_COOLDOWN_S: '30' }, { hub: { heartbeatMs: 200 } });
    const stream = await sse(`${r.url}/api/stream`);
    await stream.waitFor((events) => seqsOf(events).length > 0);
    await fetch(`${r.relay.simulator!.controlUrl}/drop`, { method: 'POST', body: '{}' });
    await stream.waitFor((events) =>
      events.some((e) => e.event === 'state' && (JSON.parse(e.data) as { state: string }).state === 'waiting'),
    );
    const waiting = stream.events
      .filter((e) => e.event === 'state')
      .map((e) => JSON.parse(e.data) as { state: string; retryAt?: number })
      .find((s) => s.state === 'waiting')!;
    expect(waiting.retryAt).toBeGreaterThan(Date.now() + 25_000);
    const problem = stream.events.find((e) => e.event === 'problem');
    expect(JSON.parse(problem!.data)).toMatchObject({ code: 'connection_lost', action: 'retry-after', shard: 0 });
    const before = (stream.raw().match(/: keep-alive/g) ?? []).length;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((stream.raw().match(/: keep-alive/g) ?? []).length).toBeGreaterThan(before);
    expect(stream.status).toBe(200);
    // A second with no shard streaming is an outage, not a second of zero traffic.
    await stream.waitFor(
      (events) =>
        events.some((e) => e.event === 'stats' && (JSON.parse(e.data) as { outage?: boolean }).outage === true),
      3_000,
    );
  });
});

describe('odd requests', () => {
  it('answers repeated or odd parameters with a Problem, never a 500 or a crash', async () => {
    const r = await relay({ SIM_RATE: '10' });
    const repeated = await getJson(`${r.url}/api/problems?limit=1&limit=2`);
    expect(repeated.status).toBe(400);
    const stream = await sse(`${r.url}/api/stream?lastEventId=a&lastEventId=b`);
    expect(stream.status).toBe(200);
    await stream.waitFor((events) => events.some((e) => e.event === 'hello'));
    const long = await getJson(`${r.url}/api/hits/${'9'.repeat(500)}`);
    expect(long.status).toBe(414);
    expect(ProblemSchema.parse((long.body as { error: unknown }).error).status).toBe(414);
    const wrongMethod = await getJson(`${r.url}/api/status`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect((await getJson(`${r.url}/api/status`)).status).toBe(200);
  });
});

const portOf = (r: TestRelay) => Number(new URL(r.url).port);

function expectProblemAnswer(answer: RawAnswer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(answer.headers['x-frame-options']).toBe('DENY');
  const problem = ProblemSchema.parse((JSON.parse(answer.body) as { error: unknown }).error);
  expect(problem).toMatchObject({ status, code, source: 'relay' });
}

describe('methods', () => {
  const routes: [path: string, allow: string][] = [
    ['/api/status', 'GET, HEAD'],
    ['/api/catalog', 'GET, HEAD'],
    ['/api/problems', 'GET, HEAD'],
    ['/api/stats', 'GET, HEAD'],
    ['/api/top', 'GET, HEAD'],
    ['/api/hits/123-456', 'GET, HEAD'],
    ['/api/stream', 'GET, HEAD'],
    ['/metrics', 'GET, HEAD'],
    ['/healthz', 'GET, HEAD'],
    ['/api/upstream/0/reconnect', 'POST'],
    ['/api/login', 'POST'],
    ['/api/logout', 'POST'],
  ];

  it('answers a method a route does not take with 405, an Allow header and a Problem', async () => {
    const r = await relay({ SIM_RATE: '10' });
    for (const [path, allow] of routes) {
      const others = ['OPTIONS', 'PUT', 'DELETE', 'PATCH', allow.includes('GET') ? 'POST' : 'GET'];
      for (const method of others) {
        const answer = await getJson(`${r.url}${path}?x=1`, { method });
        expect(answer.status, `${method} ${path}`).toBe(405);
        expect(answer.headers.get('allow'), `${method} ${path}`).toBe(allow);
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
        const problem = ProblemSchema.parse((answer.body as { error: unknown }).error);
        expect(problem).toMatchObject({ code: 'invalid_http_method', status: 405, source: 'relay' });
      }
    }
    const head = await fetch(`${r.url}/api/login`, { method: 'HEAD' });
    expect([head.status, head.headers.get('allow')]).toEqual([405, 'POST']);
    // Unknown paths stay 404, whatever the method.
    for (const method of ['GET', 'POST', 'DELETE', 'OPTIONS']) {
      const unknown = await getJson(`${r.url}/api/nope`, { method });
      expect(unknown.status, method).toBe(404);
      expect((unknown.body as { error: { code: string } }).error.code).toBe('route_not_found');
    }
    expect((await getJson(`${r.url}/api/status/`, { method: 'POST' })).status).toBe(404);
  });

  it('answers HEAD /api/stream with the SSE headers at once, no body, and no subscriber', async () => {
    const r = await relay({ SIM_RATE: '10' });
    const before = r.relay.hub.clients;
    const answer = await rawExchange(
      portOf(r),
      { method: 'HEAD', path: '/api/stream', close: false },
      { timeoutMs: 1_000 },
    );
    try {
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(answer.headers['cache-control']).toBe('no-cache, no-transform');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(r.relay.hub.clients).toBe(before);
      expect(((await getJson(`${r.url}/api/status`)).body as { clients: number }).clients).toBe(before);
      // The connection is free for the next request: the HEAD answer is complete.
      answer.socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      const next = await new Promise<string>((resolve) => {
        let text = '';
        answer.socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        answer.socket.on('close', () => resolve(text));
      });
      expect(next).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/);
    } finally {
      answer.socket.destroy();
    }
  });
});

describe('error answers produced before routing', () => {
  it('are Problems with the security headers: oversized headers, over-long URL and parameter, bad bytes', async () => {
    const r = await relay({ SIM_RATE: '10' });
    const port = portOf(r);
    // Node's parser: more than its 16 KiB of headers.
    const bigHeaders = await rawExchange(port, { path: '/api/status', headers: { 'x-big': 'a'.repeat(20_000) } });
    expectProblemAnswer(bigHeaders, 431, 'invalid_header');
    // Node's parser counts the request line in the same 16 KiB, so a 100 KB URL is a 431 too.
    const longUrl = await rawExchange(port, { path: `/api/status?q=${'a'.repeat(100_000)}` });
    expectProblemAnswer(longUrl, 431, 'invalid_header');
    // Fastify's router: a path parameter longer than maxParamLength (100).
    const longParam = await rawExchange(port, { path: `/api/hits/${'9'.repeat(500)}` });
    expectProblemAnswer(longParam, 414, 'bad_request');
    // Fastify's router: a malformed percent-encoding.
    const badUrl = await rawExchange(port, { path: '/api/hits/%zz' });
    expectProblemAnswer(badUrl, 400, 'bad_request');
    // Node's parser: bytes that are not HTTP.
    const garbage = await rawExchange(port, 'HELLO\r\n\r\n');
    expectProblemAnswer(garbage, 400, 'bad_request');
    const badHeader = await rawExchange(port, 'GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n');
    expectProblemAnswer(badHeader, 400, 'bad_request');
    for (const answer of [bigHeaders, longUrl, longParam, badUrl, garbage, badHeader]) answer.socket.destroy();
    // Nothing of it stopped the relay.
    expect((await getJson(`${r.url}/api/status`)).status).toBe(200);
  });
});
