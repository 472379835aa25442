import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ALERT_RULES,
  AlertsResponseSchema,
  ApiErrorSchema,
  CatalogSchema,
  EXACT_HIT_ID,
  lookupAction,
  lookupCode,
  parseEventId,
  parseSseEvent,
  ProblemSchema,
  StatsResponseSchema,
  StatusSchema,
  TOP_WINDOWS_S,
  TopSchema,
  TrafficSchema,
  type Problem,
  type Shard,
  type SseEventMap,
  type Stats,
} from '../contract/index.ts';
import { startMockServer, type MockServer } from './node.ts';
import { SCENARIOS, type ScenarioName } from './scenarios.ts';

/**
 * Every payload each scenario produces, checked against the contract: the REST answers every
 * few simulated seconds and every SSE event of the stream read with real `fetch`, over a
 * simulated minute or more (the page's clock is moved by hand and the host follows it), plus
 * what each scenario is for.
 */

const ProblemsResponseSchema = z.looseObject({ problems: z.array(ProblemSchema) });

/** An evening in UTC: the traffic rhythm is near its peak. */
const T0 = Date.UTC(2025, 0, 15, 18, 0, 0);

const DURATION_S: Record<ScenarioName, number> = {
  healthy: 90,
  'churn-409': 440,
  'no-traffic-503': 130,
  'token-expired': 100,
  stall: 120,
  'shards-partial': 100,
  burst: 12,
  'catch-up': 60,
  unstable: 70,
  'relay-down': 60,
  'unknown-action': 100,
  'bad-records': 60,
  alerts: 90,
};

interface Frame {
  event: string;
  data: string;
  id?: string;
}

/** Reads an SSE response into frames until it ends or breaks. */
function readFrames(response: Response): {
  frames: Frame[];
  comments: string[];
  retry: number[];
  done: Promise<string>;
} {
  const frames: Frame[] = [];
  const comments: string[] = [];
  const retry: number[] = [];
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const done = (async () => {
    try {
      for (;;) {
        const { done: ended, value } = await reader.read();
        if (ended) return 'ended';
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const frame: Partial<Frame> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('retry: ')) retry.push(Number(line.slice(7)));
            else if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('data: ')) frame.data = line.slice(6);
          }
          if (frame.event !== undefined && frame.data !== undefined) frames.push(frame as Frame);
        }
      }
    } catch {
      return 'broken';
    }
  })();
  return { frames, comments, retry, done };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

class Harness {
  now = T0;
  readonly mock: MockServer;
  constructor(scenario: ScenarioName) {
    this.mock = startMockServer({ scenario, now: () => this.now, autoAdvance: false });
  }

  url(path: string): string {
    return `${this.mock.baseUrl}${path}`;
  }

  async get(path: string): Promise<{ status: number; body: unknown; headers: Headers; text: string }> {
    const response = await fetch(this.url(path), { headers: { accept: 'application/json' } });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, body, headers: response.headers, text };
  }

  async advance(ms: number, stepMs = 250): Promise<void> {
    const end = this.now + ms;
    while (this.now < end) {
      this.now = Math.min(end, this.now + stepMs);
      await this.mock.host.sync();
      await tick();
    }
  }
}

function parsed<K extends keyof SseEventMap>(frames: Frame[], name: K): SseEventMap[K][] {
  return frames
    .filter((f) => f.event === name)
    .map((f) => {
      const result = parseSseEvent(name, f.data);
      if (!result.ok) throw new Error(`${name}: ${result.reason}`);
      return result.value;
    });
}

/** Checks every REST route's answer against its schema (and `hitId`'s full hit); returns the status. */
async function checkRest(h: Harness, hitId?: string) {
  const status = await h.get('/api/status');
  expect(status.status).toBe(200);
  const statusParsed = StatusSchema.safeParse(status.body);
  expect(statusParsed.success, JSON.stringify(statusParsed.error?.issues)).toBe(true);

  const problems = await h.get('/api/problems?limit=50');
  expect(ProblemsResponseSchema.safeParse(problems.body).success).toBe(true);

  const stats = await h.get('/api/stats?window=3600');
  const statsParsed = StatsResponseSchema.safeParse(stats.body);
  expect(statsParsed.success, JSON.stringify(statsParsed.error?.issues)).toBe(true);

  const alerts = await h.get('/api/alerts');
  const alertsParsed = AlertsResponseSchema.safeParse(alerts.body);
  expect(alertsParsed.success, JSON.stringify(alertsParsed.error?.issues)).toBe(true);

  for (const window of TOP_WINDOWS_S) {
    const top = await h.get(`/api/top?window=${window}`);
    const topParsed = TopSchema.safeParse(top.body);
    expect(topParsed.success, JSON.stringify(topParsed.error?.issues)).toBe(true);
  }

  if (hitId) {
    const hit = await h.get(`/api/hits/${hitId}`);
    expect(hit.status).toBe(200);
    const [high, low] = hitId.split('-');
    // 64-bit ids as bare numbers with their exact digits; the IP masked as the relay does.
    expect(hit.text).toContain(`"hitIdHigh":${high}`);
    expect(hit.text).toContain(`"hitIdLow":${low}`);
    expect(hit.text).not.toMatch(/"ip":"\d+\.\d+\.\d+\.\d+"/);
  }
  return StatusSchema.parse(status.body);
}

async function checkErrors(h: Harness) {
  for (const path of [
    '/api/stats?window=0',
    '/api/top?window=7',
    '/api/problems?limit=x',
    '/api/hits/1-2',
    '/api/nope',
  ]) {
    const answer = await h.get(path);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    const error = ApiErrorSchema.safeParse(answer.body);
    expect(error.success, path).toBe(true);
  }
  const catalog = await h.get('/api/catalog');
  expect(CatalogSchema.safeParse(catalog.body).success).toBe(true);
}

let harness: Harness | undefined;
afterEach(() => {
  harness?.mock.close();
  harness = undefined;
});

/** Runs a scenario for its duration, reading the stream and checking REST every 10 s. */
async function play(name: ScenarioName) {
  const h = (harness = new Harness(name));
  const response = await fetch(h.url('/api/stream'), { headers: { accept: 'text/event-stream' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const stream = readFrames(response);
  const statuses = [await checkRest(h)];
  await checkErrors(h);
  const total = DURATION_S[name] * 1000;
  for (let elapsed = 0; elapsed < total; elapsed += 10_000) {
    await h.advance(Math.min(10_000, total - elapsed));
    const lastHit = parsed(stream.frames, 'hits').at(-1)?.hits.at(-1)?.hitId;
    if (!h.mock.host.linkDown()) statuses.push(await checkRest(h, lastHit));
  }
  await tick();
  const { frames } = stream;
  // Every event is one the contract names, and its data passes that event's schema.
  for (const frame of frames) {
    const result = parseSseEvent(frame.event, frame.data);
    expect(result.ok, `${frame.event}: ${result.ok ? '' : result.reason}`).toBe(true);
    if (frame.event === 'hits') expect(parseEventId(frame.id ?? '')?.runId).toBe(h.mock.host.core.runId);
    else expect(frame.id).toBeUndefined();
  }
  expect(frames[0]?.event).toBe('hello');
  expect(stream.retry.length).toBe(1);
  return { h, frames, statuses, stream, final: statuses.at(-1)! };
}

/**
 * The error objects as they happened: a `problem` event sent again with the same id (resolved,
 * acknowledged) is the same object, counted once, as first sent.
 */
function problemsOf(frames: Frame[]): Problem[] {
  const seen = new Set<string>();
  return parsed(frames, 'problem').filter((p) => !seen.has(p.id) && seen.add(p.id));
}

/** Each error object as last sent (its life so far), in order of first appearance. */
function latestOf(frames: Frame[]): Problem[] {
  const latest = new Map<string, Problem>();
  for (const p of parsed(frames, 'problem')) latest.set(p.id, p);
  return [...latest.values()];
}

function statesOf(frames: Frame[], shard = 0): Shard[] {
  return parsed(frames, 'state').filter((s) => s.shard === shard);
}

/**
 * The per-second series holds every counted hit (or malformed record) but those of the second
 * still open when the counters were read: at most about one second's worth.
 */
function expectSeriesCovers(series: readonly Stats[], field: 'hits' | 'malformed', counted: number) {
  const summed = series.reduce((n, s) => n + s[field], 0);
  const lastSecond = Math.max(1, ...series.slice(-5).map((s) => s[field]));
  expect(summed).toBeLessThanOrEqual(counted);
  expect(counted - summed).toBeLessThanOrEqual(2 * lastSecond);
}

describe('mock scenarios: every payload passes the contract', () => {
  it('has a duration for every scenario', () => {
    expect(Object.keys(DURATION_S).sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
  });

  it('healthy: one shard streaming, hits every feed interval, stats over every hit', async () => {
    const { frames, final, h } = await play('healthy');
    expect(final.shards).toHaveLength(1);
    expect(final.shards[0]!.state).toBe('streaming');
    const hits = parsed(frames, 'hits');
    expect(hits.length).toBeGreaterThan(300);
    expect(hits.some((e) => e.sampled)).toBe(false);
    const seqs = hits.flatMap((e) => e.hits.map((x) => x.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (const hit of hits.flatMap((e) => e.hits)) expect(hit.hitId).toMatch(EXACT_HIT_ID);
    const stats = parsed(frames, 'stats');
    expect(stats.length).toBeGreaterThanOrEqual(89);
    expect(parsed(frames, 'top').length).toBe(stats.length);
    // Ten minutes of history fill the charts before the page opened.
    const series = StatsResponseSchema.parse((await h.get('/api/stats?window=3600')).body).series;
    expect(series.length).toBeGreaterThan(600);
    expectSeriesCovers(series, 'hits', final.counters.hits);
    expect(final.counters.malformed).toBe(0);
  });

  it('churn-409: refused with 409, waits 60, 120, 240 s, then streams', async () => {
    const { frames, final } = await play('churn-409');
    const waits = statesOf(frames).filter((s) => s.state === 'waiting');
    expect(waits.map((s) => s.retryAt! - s.since)).toEqual([60_000, 120_000, 240_000]);
    expect(waits.every((s) => s.waitReason === 'too-many-connections' && s.problem?.status === 409)).toBe(true);
    const problems = problemsOf(frames);
    expect(problems.map((p) => [p.code, p.retryAfter])).toEqual([
      ['too_many_connections', 60],
      ['too_many_connections', 120],
      ['too_many_connections', 240],
    ]);
    expect(problems[0]!.details).toContain('maxConnections');
    expect(final.shards[0]!.state).toBe('streaming');
    // Streaming again resolves all three, each sent again with its id, at the moment it streamed.
    const streamedAt = statesOf(frames).find((s) => s.state === 'streaming')!.since;
    expect(latestOf(frames).map((p) => p.resolvedAt)).toEqual([streamedAt, streamedAt, streamedAt]);
  });

  it('no-traffic-503: every connect refused with 503, seconds marked as outage', async () => {
    const { frames, final } = await play('no-traffic-503');
    expect(final.shards[0]!.state).toMatch(/waiting|connecting/);
    const problems = problemsOf(frames);
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems.every((p) => p.code === 'service_unavailable' && p.status === 503)).toBe(true);
    const stats = parsed(frames, 'stats');
    expect(stats.every((s) => s.hits === 0)).toBe(true);
    expect(stats.slice(1).every((s) => s.outage === true)).toBe(true);
  });

  it('token-expired: one 401 recovered at once, then a second ends in failed (application-registration)', async () => {
    const { frames, final } = await play('token-expired');
    const states = statesOf(frames).map((s) => s.state);
    // The first attempt began before the stream was read (the hello showed it connecting).
    expect(states.slice(0, 2)).toEqual(['connecting', 'streaming']);
    expect(states.at(-1)).toBe('failed');
    const problems = problemsOf(frames);
    expect(problems.map((p) => p.code)).toEqual([
      'access_token_expired',
      'connection_lost',
      'access_token_expired',
      'access_token_expired',
    ]);
    expect(problems[0]!.message).toContain('fresh token');
    // The 401 a fresh token healed is resolved; what came after the shard last streamed is not.
    expect(latestOf(frames).map((p) => p.resolvedAt !== undefined)).toEqual([true, false, false, false]);
    const last = final.shards[0]!;
    expect(last.state).toBe('failed');
    expect(last.problem).toMatchObject({
      code: 'access_token_expired',
      action: 'application-registration',
      status: 401,
    });
  });

  it('stall: streaming, stalled at half the stall timeout, lost at the timeout, waits, streams again', async () => {
    const { frames, final } = await play('stall');
    const states = statesOf(frames);
    expect(states.map((s) => s.state)).toEqual(['stalled', 'waiting', 'connecting', 'streaming']);
    expect(states[1]).toMatchObject({ waitReason: 'lost', problem: { code: 'stream_stalled' } });
    expect(states[1]!.since - states[0]!.since).toBe(15_000);
    expect(final.shards[0]!.state).toBe('streaming');
    expect(latestOf(frames)).toEqual([
      expect.objectContaining({ code: 'stream_stalled', resolvedAt: states.at(-1)!.since }),
    ]);
  });

  it('shards-partial: four shards, shard 2 waiting with its item-level problem, the others streaming', async () => {
    const { frames, statuses } = await play('shards-partial');
    const first = statuses[0]!;
    expect(first.upstream.maxConnections).toBe(4);
    expect(first.shards.map((s) => s.state)).toEqual(['streaming', 'streaming', 'waiting', 'streaming']);
    expect(first.shards[2]!.problem).toMatchObject({ code: 'service_unavailable', shard: 2, status: 503 });
    expect(first.shards[2]!.problem!.details).toContain('Back-end server is at capacity');
    const hits = parsed(frames, 'hits').flatMap((e) => e.hits);
    expect(new Set(hits.map((x) => x.shard))).toEqual(new Set([0, 1, 3]));
    const stats = parsed(frames, 'stats');
    expect(stats.at(-1)!.byShard).toHaveLength(4);
    expect(stats.every((s) => s.byShard![2] === 0)).toBe(true);
  });

  it('burst: thousands of hits/s, the feed sampled, the stats counting every hit', async () => {
    const { frames, h, final } = await play('burst');
    const hits = parsed(frames, 'hits');
    const sampled = hits.filter((e) => e.sampled);
    expect(sampled.length).toBeGreaterThan(10);
    for (const e of sampled) expect(e.sampled!.kept).toBeLessThan(e.sampled!.total);
    const delivered = hits.reduce((n, e) => n + e.hits.length, 0);
    const series = StatsResponseSchema.parse((await h.get('/api/stats?window=3600')).body).series;
    expectSeriesCovers(series, 'hits', final.counters.hits);
    expect(final.counters.hits / DURATION_S.burst).toBeGreaterThan(2000);
    expect(delivered).toBeLessThan(final.counters.hits / 2);
  });

  it("catch-up: the backlog spikes the arrivals but fills the gap on Adobe's clock; the outage recovered", async () => {
    const { h, frames } = await play('catch-up');
    const traffic = TrafficSchema.parse((await h.get('/api/traffic?window=1200')).body);
    expect(traffic.outages).toHaveLength(1);
    const outage = traffic.outages![0]!;
    expect(outage).toMatchObject({ shard: 0, verdict: 'recovered' });
    expect(outage.to! - outage.from).toBeGreaterThanOrEqual(60_000);
    // About a minute of 50 hits/s came back late.
    expect(outage.lateHits).toBeGreaterThan(2000);
    expect(outage.summary).toMatch(/^recovered: [\d,]+ hits of the \d+-second gap arrived late$/);
    // Arrivals: one burst second far above the usual rate.
    const series = StatsResponseSchema.parse((await h.get('/api/stats?window=1200')).body).series;
    const arrivals = series.map((s) => s.hits).sort((a, b) => a - b);
    expect(arrivals.at(-1)!).toBeGreaterThan(20 * arrivals[Math.floor(arrivals.length / 2)]!);
    // Adobe's clock: every second of the gap has traffic, and none spikes.
    const fromS = Math.ceil(outage.from / 1000);
    const toS = Math.floor(outage.to! / 1000);
    const gap = traffic.seconds.filter((s) => s.t >= fromS && s.t < toS);
    expect(gap.length).toBeGreaterThanOrEqual(59);
    expect(gap.every((s) => s.hits > 0)).toBe(true);
    const site = traffic.seconds
      .filter((s) => s.hits > 0)
      .map((s) => s.hits)
      .sort((a, b) => a - b);
    expect(site.at(-1)!).toBeLessThan(4 * site[Math.floor(site.length / 2)]!);
    // The stream told the browsers too: `traffic` events with the gap's seconds.
    const events = parsed(frames, 'traffic');
    expect(events.length).toBeGreaterThan(10);
  });

  it("alerts: a quiet start, then every rule fires and resolves within the first 90 s, by the relay's own rules", async () => {
    const { frames, h } = await play('alerts');
    const openedAt = h.mock.host.openedAt;
    const events = parsed(frames, 'alert');
    const firing = events.filter((a) => a.state === 'firing');
    const resolved = events.filter((a) => a.state === 'resolved');
    expect(firing.map((a) => a.rule).sort()).toEqual([...ALERT_RULES].sort());
    // Each resolves once, with the id it fired with, after it started.
    expect(resolved.map((a) => a.id).sort()).toEqual(firing.map((a) => a.id).sort());
    for (const alert of resolved) {
      const fired = firing.find((a) => a.id === alert.id)!;
      expect(alert).toMatchObject({ rule: fired.rule, startsAt: fired.startsAt, severity: fired.severity });
      expect(alert.endsAt!).toBeGreaterThan(fired.startsAt);
      // Nothing in the first 10 s (the e2e spec sees the banner appear).
      expect(fired.startsAt - openedAt).toBeGreaterThanOrEqual(10_000);
      expect(alert.endsAt! - openedAt).toBeLessThanOrEqual(90_000);
    }
    expect(firing.find((a) => a.rule === 'shard_failed')).toMatchObject({ shard: 1, severity: 'critical' });
    expect(firing.find((a) => a.rule === 'stream_down')).toMatchObject({ severity: 'critical' });
    expect(firing.find((a) => a.rule === 'lag_high')?.summary).toMatch(/^Hits arrive late/);
    expect(firing.find((a) => a.rule === 'traffic_drop')?.summary).toMatch(/^Traffic down \d+ %/);
    // GET /api/alerts keeps the history: all four, resolved, newest first.
    const { alerts } = AlertsResponseSchema.parse((await h.get('/api/alerts')).body);
    expect(alerts.map((a) => a.state)).toEqual(['resolved', 'resolved', 'resolved', 'resolved']);
    const ends = alerts.map((a) => a.endsAt!);
    expect(ends).toEqual([...ends].sort((a, b) => b - a));
  }, 60_000);

  it('unstable: from the third connection in a row cut within seconds, connection_unstable', async () => {
    const { frames, h } = await play('unstable');
    const { problems } = z
      .object({ problems: z.array(ProblemSchema) })
      .parse((await h.get('/api/problems?limit=100')).body);
    const codes = problems.map((p) => p.code).reverse();
    // Oldest first: two plain losses, then the relay names the pattern.
    expect(codes.slice(0, 3)).toEqual(['connection_lost', 'connection_lost', 'connection_unstable']);
    expect(problems[0]).toMatchObject({ code: 'connection_unstable', action: 'retry-after', shard: 0 });
    const waits = statesOf(frames).filter((s) => s.state === 'waiting');
    expect(waits.length).toBeGreaterThan(0);
    for (const wait of waits) expect(wait.problem?.code).toBe('connection_unstable');
  });

  it('relay-down: the stream breaks, REST answers 503, then a new stream resumes where it left', async () => {
    const h = (harness = new Harness('relay-down'));
    const response = await fetch(h.url('/api/stream'), { headers: { accept: 'text/event-stream' } });
    const first = readFrames(response);
    await h.advance(7_000);
    expect(await first.done).toBe('broken');
    expect(h.mock.host.core.hub.clients).toBe(0);
    const down = await h.get('/api/status');
    expect(down.status).toBe(503);
    await expect(fetch(h.url('/api/stream'), { headers: { accept: 'text/event-stream' } })).rejects.toThrow();
    await h.advance(30_000);
    const lastId = first.frames.filter((f) => f.event === 'hits').at(-1)!.id!;
    const again = await fetch(h.url(`/api/stream?lastEventId=${encodeURIComponent(lastId)}`), {
      headers: { accept: 'text/event-stream' },
    });
    expect(again.status).toBe(200);
    const second = readFrames(again);
    await h.advance(2_000);
    const hello = parsed(second.frames, 'hello')[0]!;
    expect(hello.lastEventId).toBe(lastId);
    // What happened during the outage is replayed: the seqs carry on without a gap.
    const before = parsed(first.frames, 'hits').flatMap((e) => e.hits.map((x) => x.seq));
    const after = parsed(second.frames, 'hits').flatMap((e) => e.hits.map((x) => x.seq));
    expect(after[0]).toBe(before.at(-1)! + 1);
    expect(parsed(second.frames, 'reset')).toHaveLength(0);
    for (const frame of second.frames) expect(parseSseEvent(frame.event, frame.data).ok).toBe(true);
    await checkRest(h);
  });

  it('a jump of the page clock (a sleeping tab, a fast-forward) does not evict the reader', async () => {
    const h = (harness = new Harness('healthy'));
    const response = await fetch(h.url('/api/stream'), { headers: { accept: 'text/event-stream' } });
    await h.advance(1_000);
    // 30 s of traffic, stats and top lists played at once, with no real time for reading.
    h.now += 30_000;
    await h.mock.host.sync();
    expect(h.mock.host.core.hub.evicted).toBe(0);
    expect(h.mock.host.core.hub.clients).toBe(1);
    const frames = readFrames(response);
    await h.advance(1_000);
    expect(parsed(frames.frames, 'stats').length).toBeGreaterThanOrEqual(30);
  });

  it('relay-down: a resume id from another run gets a reset', async () => {
    const h = (harness = new Harness('relay-down'));
    const response = await fetch(h.url('/api/stream?lastEventId=rOLDRUN.42'), {
      headers: { accept: 'text/event-stream' },
    });
    const stream = readFrames(response);
    await h.advance(500);
    expect(stream.frames.map((f) => f.event).slice(0, 2)).toEqual(['hello', 'reset']);
    expect(parsed(stream.frames, 'reset')[0]).toEqual({ reason: 'other-run' });
  });

  it('unknown-action: a code and an action the catalogue does not hold', async () => {
    const { frames, h } = await play('unknown-action');
    const problem: Problem = parsed(frames, 'problem')[0]!;
    expect(lookupCode(problem.code)).toBeUndefined();
    expect(lookupAction(problem.action).known).toBe(false);
    const catalog = CatalogSchema.parse((await h.get('/api/catalog')).body);
    expect(catalog.codes.some((c) => c.code === problem.code)).toBe(false);
    expect(catalog.actions.some((a) => a.action === problem.action)).toBe(false);
    expect(statesOf(frames).at(-1)!.state).toBe('streaming');
  });

  it('bad-records: malformed records counted every second and reported at most once per 10 s', async () => {
    const { frames, final, h } = await play('bad-records');
    expect(final.counters.malformed).toBeGreaterThan(150);
    const series = StatsResponseSchema.parse((await h.get('/api/stats?window=3600')).body).series;
    expectSeriesCovers(series, 'malformed', final.counters.malformed);
    const problems = problemsOf(frames);
    expect(problems.length).toBeGreaterThanOrEqual(5);
    expect(problems.every((p) => p.code === 'malformed_record' && p.action === 'none')).toBe(true);
    // One active at a time: each newer report resolves the one before.
    expect(latestOf(frames).filter((p) => p.resolvedAt === undefined)).toHaveLength(1);
    for (let i = 1; i < problems.length; i++)
      expect(problems[i]!.at - problems[i - 1]!.at).toBeGreaterThanOrEqual(10_000);
    expect(problems.map((p) => p.details).join(' ')).not.toMatch(/\d+\.\d+\.\d+\.\d{1,3}\b(?!\.)/);
    expect(final.shards[0]!.state).toBe('streaming');
  });
});

describe('mock relay: reconnect route', () => {
  it('answers 409 while streaming, 429 with Retry-After in the cooldown, 202 after it', async () => {
    const h = (harness = new Harness('churn-409'));
    const post = async () => {
      const response = await fetch(h.url('/api/upstream/0/reconnect'), { method: 'POST' });
      return { status: response.status, headers: response.headers, body: await response.json() };
    };
    const connecting = await post();
    expect(connecting.status).toBe(409);
    expect(ApiErrorSchema.parse(connecting.body).error.code).toBe('shard_already_connected');
    await h.advance(1_500);
    const cooling = await post();
    expect(cooling.status).toBe(429);
    expect(Number(cooling.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(ApiErrorSchema.parse(cooling.body).error).toMatchObject({
      code: 'too_many_requests',
      action: 'retry-after',
    });
    // The 409 wait is 60 s: the cooldown ends with it. On the second 409 (120 s) the cooldown ends first.
    await h.advance(61_000);
    await h.advance(1_000);
    expect(h.mock.host.core.status().shards[0]).toMatchObject({
      state: 'waiting',
      waitReason: 'too-many-connections',
    });
    await h.advance(60_000);
    const accepted = await post();
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ accepted: true, shard: { shard: 0 } });
    await h.advance(100);
    expect(h.mock.host.core.status().shards[0]!.state).toBe('connecting');
    const unknown = await fetch(h.url('/api/upstream/9/reconnect'), { method: 'POST' });
    expect(unknown.status).toBe(404);
  });
});
