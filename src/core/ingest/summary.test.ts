import { describe, expect, it } from 'vitest';
import { HitSummarySchema, MAX_SUMMARY_EVENTS, MAX_SUMMARY_STRING, stringifyRecord } from '../../contract/index.ts';
import { truncate } from '../upstream/error-body.ts';
import { canonicalHitId, fallbackHitId, hitIdOf, summariseRecord } from './summary.ts';

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

  it('gives the same number the same id: no leading zeros, exact 64-bit digits', () => {
    expect(hitIdOf({ hitIdHigh: '00001', hitIdLow: '0002' })).toBe('1-2');
    expect(hitIdOf({ hitIdHigh: 1, hitIdLow: 2 })).toBe('1-2');
    expect(hitIdOf({ hitIdHigh: '0', hitIdLow: '000' })).toBe('0-0');
    expect(hitIdOf({ hitIdHigh: `0000${'18446744073709551615'}`, hitIdLow: '7' })).toBe('18446744073709551615-7');
    expect(hitIdOf({ hitIdHigh: '123456789012345678901', hitIdLow: '7' })).toBeUndefined();
    expect(hitIdOf({ hitIdHigh: '-1', hitIdLow: '7' })).toBeUndefined();
    expect(canonicalHitId('0001-02')).toBe('1-2');
    expect(canonicalHitId('00-18446744073709551615')).toBe('0-18446744073709551615');
    expect(canonicalHitId('x0123456789abcdef')).toBe('x0123456789abcdef');
    // Written back as a valid JSON number.
    expect(stringifyRecord({ hitIdHigh: '007', hitIdLow: '1' })).toBe('{"hitIdHigh":7,"hitIdLow":1}');
  });

  it('cuts every summary string to 1,024 characters ending in …, and bounds the events', () => {
    const long = 'é'.repeat(3 * 1024 * 1024);
    const summary = summariseRecord(
      {
        pageName: long,
        pageURL: `https://x/${long}`,
        geoCity: 'Lyon',
        events: Object.fromEntries(
          Array.from({ length: 500 }, (_, i) => [`event${i}${'x'.repeat(i === 0 ? 5000 : 0)}`, 1]),
        ),
      },
      { seq: 1, shard: 0, arrivedAt: 1, hitId: 'x' },
    );
    expect(summary.pageName).toHaveLength(MAX_SUMMARY_STRING);
    expect(summary.pageName!.endsWith('…')).toBe(true);
    expect(summary.pageURL).toHaveLength(MAX_SUMMARY_STRING);
    expect(summary.geoCity).toBe('Lyon');
    expect(summary.events!.length).toBeLessThanOrEqual(MAX_SUMMARY_EVENTS);
    expect(summary.events![0]).toHaveLength(MAX_SUMMARY_STRING);
    expect(summary.events!.join('').length).toBeLessThanOrEqual(4096);
    expect(JSON.stringify(summary).length).toBeLessThan(16 * 1024);
    expect(summariseRecord({ events: 'a, b,,c' }, { seq: 1, shard: 0, arrivedAt: 1, hitId: 'x' }).events).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('truncates without splitting a surrogate pair', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    const cut = truncate(`a${'😀'.repeat(10)}`, 4);
    expect(cut).toBe('a😀…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });
});
