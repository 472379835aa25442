import { describe, expect, it } from 'vitest';
import { HitSummarySchema, fallbackHitId, hitIdOf, stringifyRecord, summariseRecord } from './index.ts';

describe('hit records', () => {
  const record = {
    reportSuite: 'shop-prod',
    pageName: 'home',
    hitIdHigh: '2948027281753079808',
    hitIdLow: '18446744073709551615',
    visIdHigh: '9007199254740993',
    timeGMT: 1_700_000_000,
    receivedTimeGMT: '1700000003',
    bot: '<Not a bot>',
    isErrorPage: false,
    events: { event1: [{ count: 1 }], purchase: [{ count: 1 }] },
    products: [
      { name: 'mug', revenue: 1299 },
      { name: 'tee', revenue: '2500' },
    ],
    brandNewField: { nested: [1, 2] },
  };

  it('writes 64-bit ids as bare numbers with exact digits', () => {
    const line = stringifyRecord(record);
    expect(line).toContain('"hitIdHigh":2948027281753079808');
    expect(line).toContain('"hitIdLow":18446744073709551615');
    expect(line).toContain('"visIdHigh":9007199254740993');
    expect(line).toContain('"brandNewField":{"nested":[1,2]}');
    expect(line).not.toContain('\\u0000');
  });

  it('builds the exact hit id, and a stable fallback for records without one', () => {
    expect(hitIdOf(record)).toBe('2948027281753079808-18446744073709551615');
    expect(hitIdOf({ pageName: 'x' })).toBeUndefined();
    expect(fallbackHitId('{"pageName":"x"}')).toBe(fallbackHitId('{"pageName":"x"}'));
    expect(fallbackHitId('{"pageName":"x"}')).not.toBe(fallbackHitId('{"pageName":"y"}'));
    expect(fallbackHitId('{}')).toMatch(/^x[0-9a-f]{16}$/);
  });

  it('summarises a record for browsers', () => {
    const summary = summariseRecord(record, { seq: 7, shard: 1, arrivedAt: 1, hitId: hitIdOf(record)! });
    expect(HitSummarySchema.parse(summary)).toEqual(summary);
    expect(summary).toMatchObject({
      seq: 7,
      shard: 1,
      hitId: '2948027281753079808-18446744073709551615',
      reportSuite: 'shop-prod',
      receivedTimeGMT: 1_700_000_003,
      bot: false,
      isErrorPage: false,
      events: ['event1', 'purchase'],
      revenue: 37.99,
    });
    expect(summariseRecord({ bot: '<Bot>' }, { seq: 1, shard: 0, arrivedAt: 1, hitId: 'x' }).bot).toBe(true);
  });
});
