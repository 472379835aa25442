import { describe, expect, it } from 'vitest';
import {
  HitSummarySchema,
  ProblemSchema,
  ShardSchema,
  StatusSchema,
  formatEventId,
  parseEventId,
  parseSseEvent,
  parseWith,
} from './index.ts';

const problem = {
  status: 409,
  code: 'too_many_connections',
  message: 'More clients than maxConnections',
  trace: '12f6fef9-d2e0-422b-a9d7-60d799abe353',
  action: 'retry-after',
  retryAfter: 60,
  at: 1_700_000_000_000,
  source: 'upstream',
  shard: 0,
  id: 'p-1',
};

describe('Problem schema', () => {
  it('accepts an action, code, status and source it does not know, and keeps extra fields', () => {
    const parsed = parseWith(ProblemSchema, {
      ...problem,
      action: 'call-your-mother',
      code: 'brand_new_code',
      status: 418,
      source: 'satellite',
      futureField: { nested: true },
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.action).toBe('call-your-mother');
    expect(parsed.value.code).toBe('brand_new_code');
    expect(parsed.value.status).toBe(418);
    expect((parsed.value as Record<string, unknown>).futureField).toEqual({ nested: true });
  });

  it('rejects a problem without code, naming the field', () => {
    const { code: _code, ...withoutCode } = problem;
    const parsed = parseWith(ProblemSchema, withoutCode);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toMatch(/^code: /);
    expect(parsed.reason).toMatch(/string/);
  });

  it('rejects a relative helpUrl and a status that is not HTTP', () => {
    expect(parseWith(ProblemSchema, { ...problem, helpUrl: '/help/409' }).ok).toBe(false);
    expect(parseWith(ProblemSchema, { ...problem, helpUrl: 'https://experienceleague.adobe.com/x' }).ok).toBe(true);
    const bad = parseWith(ProblemSchema, { ...problem, status: 4090 });
    expect(bad.ok ? '' : bad.reason).toMatch(/^status: /);
  });
});

describe('HitSummary schema', () => {
  it('keeps a 19-digit hitId string exactly', () => {
    const hitId = '2948027281753079808-9223372036854775807';
    const wire = `{"seq":1,"hitId":"${hitId}","shard":0,"arrivedAt":1700000000000}`;
    const parsed = HitSummarySchema.parse(JSON.parse(wire));
    expect(parsed.hitId).toBe(hitId);
    expect(JSON.stringify(parsed)).toContain(hitId);
  });

  it('refuses a hitId sent as a number, which would already be corrupted', () => {
    const parsed = parseWith(HitSummarySchema, { seq: 1, hitId: 2948027281753079808, shard: 0, arrivedAt: 1 });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(/^hitId: /);
  });
});

describe('Shard and Status schemas', () => {
  it('accepts a shard in a state added later, and refuses one without a number', () => {
    expect(ShardSchema.safeParse({ shard: 0, state: 'hibernating', since: 1, attempt: 0, hits: 0 }).success).toBe(true);
    const parsed = parseWith(ShardSchema, { state: 'waiting', since: 1, attempt: 1, hits: 0 });
    expect(parsed.ok ? '' : parsed.reason).toMatch(/^shard: /);
  });

  it('parses a status with an item-level problem on one shard', () => {
    const status = {
      relay: { version: '0.1.0', startedAt: 1, mode: 'simulator', cooldownS: 60 },
      upstream: { url: 'http://127.0.0.1:8081/api/1/stream/demo', maxConnections: 2 },
      shards: [
        { shard: 0, state: 'streaming', since: 1, attempt: 1, hits: 10, connectedAt: 1 },
        { shard: 1, state: 'waiting', since: 2, retryAt: 62_000, attempt: 2, hits: 3, problem },
      ],
      clients: 3,
      counters: { hits: 13, duplicates: 1, malformed: 0, reconnects: 1, bytes: 1234 },
    };
    const parsed = StatusSchema.parse(status);
    expect(parsed.shards[1]?.problem?.code).toBe('too_many_connections');
  });
});

describe('SSE events', () => {
  it('parses each named event and refuses an unknown one', () => {
    const hits = parseSseEvent('hits', JSON.stringify({ hits: [], sampled: { kept: 10, total: 40 } }));
    expect(hits.ok && hits.value.sampled).toEqual({ kept: 10, total: 40 });
    expect(parseSseEvent('reset', '{"reason":"too-old","missed":12}').ok).toBe(true);
    expect(parseSseEvent('error', '{}')).toEqual({ ok: false, reason: 'unknown event "error"' });
    expect(parseSseEvent('stats', 'not json').ok).toBe(false);
  });

  it('round-trips event ids', () => {
    const id = formatEventId('r1a2b3', 42);
    expect(parseEventId(id)).toEqual({ runId: 'r1a2b3', seq: 42 });
    expect(parseEventId('garbage')).toBeUndefined();
    expect(parseEventId('r1.')).toBeUndefined();
  });
});
