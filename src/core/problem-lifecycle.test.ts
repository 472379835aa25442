import { afterEach, describe, expect, it } from 'vitest';
import { makeProblem, type CountersEvent, type Problem, type Stats } from '../contract/index.ts';
import { MALFORMED_QUIET_MS, type RelayCore } from './relay-core.ts';
import { CORE_ROUTES } from './routes/routes.ts';
import { ProblemLog } from './store/problem-log.ts';
import { COOLDOWN_S, startCore, T0, type CoreHarnessOptions, type Step } from './testing/core-harness.ts';

/**
 * An error object has a life (docs/api.md, "Problem"): a shard's connection Problem is resolved
 * when that shard is next streaming, and sent again with the same id; an operator acknowledges
 * one; relay-level Problems resolve by their own rules (docs/decisions.md, "Error objects").
 */

const running: RelayCore[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((core) => core.stop()));
});

function start(scripts: Step[][], options: CoreHarnessOptions = {}) {
  const started = startCore(scripts, options);
  running.push(started.core);
  return started;
}

const byCode = (core: RelayCore, code: string) => core.problems(1000).filter((p) => p.code === code);

describe('a shard connection Problem is resolved when that shard next streams', () => {
  it('gets resolvedAt at the moment the shard streams and is sent again with the same id', async () => {
    const { core, clock, sent } = start([[{ kind: 'refuse', status: 503 }, { kind: 'open' }]]);
    await clock.advance(1_000);
    const [refused] = byCode(core, 'service_unavailable');
    expect(refused).toBeDefined();
    expect(refused!.resolvedAt).toBeUndefined();
    expect(core.status().shards[0]!.state).toBe('waiting');

    await clock.advance(COOLDOWN_S * 1000);
    const streamingSince = core.status().shards[0]!;
    expect(streamingSince.state).toBe('streaming');
    const [resolved] = byCode(core, 'service_unavailable');
    expect(resolved).toMatchObject({ id: refused!.id, resolvedAt: streamingSince.since });
    // Sent twice: when it happened, and when it was resolved (same id, never a new object).
    expect(sent.filter((p) => p.id === refused!.id).map((p) => p.resolvedAt)).toEqual([
      undefined,
      streamingSince.since,
    ]);
    expect(core.problems(10)).toHaveLength(1);
  });

  it('resolves a 401 that a fresh token healed at once', async () => {
    const { core, clock } = start([[{ kind: 'refuse', status: 401 }, { kind: 'open' }]]);
    await clock.advance(100);
    expect(core.status().shards[0]!.state).toBe('streaming');
    const [expired] = byCode(core, 'access_token_expired');
    expect(expired!.message).toContain('fresh token');
    expect(expired!.resolvedAt).toBe(T0);
  });

  it('leaves a 401 refused twice active: the shard failed', async () => {
    const { core, clock } = start([[{ kind: 'refuse', status: 401 }]]);
    await clock.advance(100);
    expect(core.status().shards[0]!.state).toBe('failed');
    const expired = byCode(core, 'access_token_expired');
    expect(expired).toHaveLength(2);
    expect(expired.every((p) => p.resolvedAt === undefined)).toBe(true);
  });

  it("resolves only the shard's own: another shard that streams changes nothing", async () => {
    const { core, clock } = start([[{ kind: 'open' }], [{ kind: 'refuse', status: 503 }]]);
    await clock.advance(1_000);
    expect(core.status().shards.map((s) => s.state)).toEqual(['streaming', 'waiting']);
    const [refused] = byCode(core, 'service_unavailable');
    expect(refused).toMatchObject({ shard: 1 });
    expect(refused!.resolvedAt).toBeUndefined();
  });
});

describe('acknowledging a Problem', () => {
  it('sets acknowledgedAt once, sends the Problem again, and does not resolve it', async () => {
    const { core, clock, sent } = start([[{ kind: 'refuse', status: 403 }]]);
    await clock.advance(1_000);
    const [denied] = byCode(core, 'stream_access_denied');
    await clock.advance(5_000);
    const acked = core.acknowledge(denied!.id);
    expect(acked).toMatchObject({ id: denied!.id, acknowledgedAt: T0 + 6_000 });
    expect(acked!.resolvedAt).toBeUndefined();
    expect(sent.at(-1)).toEqual(acked);
    await clock.advance(5_000);
    // Again: the first acknowledgement stands, nothing is sent.
    const count = sent.length;
    expect(core.acknowledge(denied!.id)!.acknowledgedAt).toBe(T0 + 6_000);
    expect(sent).toHaveLength(count);
    expect(byCode(core, 'stream_access_denied')[0]!.acknowledgedAt).toBe(T0 + 6_000);
    expect(core.acknowledge('no-such-id')).toBeUndefined();
  });

  it('answers POST /api/problems/:id/ack with 200 {problem}, and 404 problem_not_found for an unknown id', async () => {
    const { core, clock } = start([[{ kind: 'refuse', status: 404 }]]);
    await clock.advance(1_000);
    const route = CORE_ROUTES.find((r) => r.path === '/api/problems/:id/ack')!;
    expect(route.method).toBe('POST');
    const [missing] = byCode(core, 'stream_not_found');
    const ok = route.answer(core, { params: { id: missing!.id }, query: {} });
    expect(ok.status).toBe(200);
    expect((JSON.parse(ok.body) as { problem: Problem }).problem).toMatchObject({
      id: missing!.id,
      acknowledgedAt: T0 + 1_000,
    });
    const unknown = route.answer(core, { params: { id: 'nope' }, query: {} });
    expect(unknown.status).toBe(404);
    expect((JSON.parse(unknown.body) as { error: Problem }).error).toMatchObject({
      code: 'problem_not_found',
      status: 404,
      source: 'relay',
    });
    expect(route.answer(core, { params: { id: 'x'.repeat(500) }, query: {} }).status).toBe(404);
  });
});

describe('relay-level Problems', () => {
  it('malformed_record: a newer one resolves the older; the last is resolved after a quiet minute', async () => {
    const { core, clock, bodies } = start([[{ kind: 'open' }]]);
    await clock.advance(100);
    const body = bodies[0]![0]!;
    body.write('not json\n');
    await clock.advance(11_000);
    body.write('still not json\n');
    await clock.advance(100);
    const [newer, older] = byCode(core, 'malformed_record');
    expect(older!.resolvedAt).toBe(newer!.at);
    expect(newer!.resolvedAt).toBeUndefined();
    await clock.advance(MALFORMED_QUIET_MS - 2_000);
    expect(byCode(core, 'malformed_record')[0]!.resolvedAt).toBeUndefined();
    await clock.advance(3_000);
    const resolvedAt = byCode(core, 'malformed_record')[0]!.resolvedAt;
    expect(resolvedAt).toBeGreaterThanOrEqual(newer!.at + MALFORMED_QUIET_MS);
    expect(resolvedAt).toBeLessThanOrEqual(newer!.at + MALFORMED_QUIET_MS + 1_100);
  });

  it('state_not_persisted: resolved when writes of that store work again, not when another recovers', async () => {
    const { core, clock } = start([[{ kind: 'open' }]]);
    core.reportNotPersisted('the shard memory', 'ENOSPC');
    core.reportNotPersisted('the error log', 'ENOSPC');
    await clock.advance(1_000);
    core.reportPersisted('the shard memory');
    const problems = byCode(core, 'state_not_persisted');
    expect(problems.map((p) => [p.message.includes('shard memory'), p.resolvedAt])).toEqual([
      [false, undefined],
      [true, T0 + 1_000],
    ]);
  });
});

describe('after a restart (the error log survives it)', () => {
  it("resolves an earlier run's connection Problem when its shard streams again, and relay-level ones at start", async () => {
    const log = new ProblemLog();
    const earlier = T0 - 3_600_000;
    const lost = makeProblem({ code: 'connection_lost', source: 'upstream', shard: 0, at: earlier });
    const gone = makeProblem({ code: 'connection_lost', source: 'upstream', shard: 3, at: earlier });
    const token = makeProblem({ code: 'network_connection_failure', source: 'token', at: earlier });
    const malformed = makeProblem({ code: 'malformed_record', source: 'decoder', shard: 0, at: earlier });
    const disk = makeProblem({ code: 'state_not_persisted', source: 'relay', at: earlier });
    const unknown = makeProblem({ code: 'moon_offline', source: 'relay', at: earlier });
    for (const p of [lost, gone, token, malformed, disk, unknown]) log.add(p);
    const { core, clock } = start([[{ kind: 'refuse', status: 503 }, { kind: 'open' }]], { log });
    const resolvedAt = (id: string) => core.problems(100).find((p) => p.id === id)!.resolvedAt;

    expect(resolvedAt(malformed.id)).toBe(T0);
    expect(resolvedAt(disk.id)).toBe(T0);
    await clock.advance(1_000);
    expect(core.status().shards[0]!.state).toBe('waiting');
    expect([lost, gone, token].map((p) => resolvedAt(p.id))).toEqual([undefined, undefined, undefined]);

    await clock.advance(COOLDOWN_S * 1000);
    const since = core.status().shards[0]!.since;
    expect(core.status().shards[0]!.state).toBe('streaming');
    // Shard 3 no longer exists (maxConnections is 1 now), a token Problem has no shard: both over.
    expect([lost, gone, token].map((p) => resolvedAt(p.id))).toEqual([since, since, since]);
    expect(resolvedAt(byCode(core, 'service_unavailable')[0]!.id)).toBe(since);
    // What no rule covers stays active until an operator deals with it.
    expect(resolvedAt(unknown.id)).toBeUndefined();
  });
});

describe('the figures an operator reads are live (issue 17)', () => {
  it('sends the status totals as a counters event once they move, and no event while nothing does', async () => {
    const { core, clock, events } = start([[{ kind: 'refuse', status: 503 }, { kind: 'open' }]]);
    await clock.advance(2_000);
    const counters = () => events.filter((e) => e.name === 'counters').map((e) => e.data as CountersEvent);
    expect(counters()).toHaveLength(1);
    expect(counters()[0]!.counters.reconnects).toBe(0);
    // Nothing moves during the wait: no event for nothing.
    await clock.advance(30_000);
    expect(counters()).toHaveLength(1);
    // The reconnect after the cooldown shows at once, not on the next status poll.
    await clock.advance(COOLDOWN_S * 1000);
    expect(core.status().shards[0]!.state).toBe('streaming');
    const last = counters().at(-1)!;
    expect(last.counters.reconnects).toBe(1);
    expect(last.counters).toEqual(core.status().counters);
    expect(last.shardHits).toEqual([0]);
  });

  it('marks a second of a failed shard as an outage that says "failed", not a reconnect wait', async () => {
    const { clock, events } = start([[{ kind: 'refuse', status: 403 }]]);
    await clock.advance(5_000);
    const seconds = events.filter((e) => e.name === 'stats').map((e) => e.data as Stats);
    expect(seconds.at(-1)).toMatchObject({ outage: true, outageState: 'failed', hits: 0 });
  });
});
