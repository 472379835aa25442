import { describe, expect, it } from 'vitest';
import { problemFixture, shardFixture, T0 } from '../../../test/fixtures.ts';
import { canReconnect, describeWait } from './wait-reason.ts';

const waiting = (overrides: Parameters<typeof shardFixture>[0]) =>
  shardFixture({ state: 'waiting', since: T0, retryAt: T0 + 60_000, ...overrides });

describe('describeWait', () => {
  const ctx = { cooldownS: 60, stallTimeoutS: 90 };

  it('explains a lost connection in Adobe terms', () => {
    expect(describeWait(waiting({ waitReason: 'lost' }), ctx)).toBe(
      'Waiting 60 s after a lost connection, as Adobe asks, so the stream is not refused.',
    );
  });

  it('has one line per reason', () => {
    const lines = ['lost', 'refused', 'too-many-connections', 'retry-after', 'restart', 'token', 'something-new'].map(
      (reason) => describeWait(waiting({ waitReason: reason }), ctx),
    );
    expect(new Set(lines).size).toBe(lines.length);
    for (const line of lines) expect(line).toMatch(/^[A-Z].*\.$/);
  });

  it('names the growing wait after a 409', () => {
    const line = describeWait(waiting({ waitReason: 'too-many-connections', retryAt: T0 + 180_000 }), ctx);
    expect(line).toContain('409');
    expect(line).toContain('3 min');
    expect(line).toContain('up to 5 min');
  });

  it('names the Retry-After the upstream asked for', () => {
    const shard = waiting({
      waitReason: 'retry-after',
      retryAt: T0 + 120_000,
      problem: problemFixture({ code: 'service_unavailable', status: 503, retryAfter: 120 }),
    });
    expect(describeWait(shard, ctx)).toBe(
      'Livestream asked to retry later (Retry-After 2 min); waiting 2 min, never less than the 60 s cooldown.',
    );
  });

  it('falls back on the problem code when the relay sends no reason', () => {
    const shard = waiting({ problem: problemFixture({ code: 'too_many_connections' }) });
    expect(describeWait(shard, ctx)).toContain('409');
  });

  it('allows reconnect only on waiting and failed shards', () => {
    expect(
      ['connecting', 'streaming', 'stalled', 'waiting', 'failed', 'stopped'].filter((state) =>
        canReconnect(shardFixture({ state })),
      ),
    ).toEqual(['waiting', 'failed']);
  });
});
