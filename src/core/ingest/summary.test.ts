import { describe, expect, it } from 'vitest';
import { HitSummarySchema, MAX_SUMMARY_EVENTS, MAX_SUMMARY_STRING, stringifyRecord } from '../../contract/index.ts';
import { truncate } from '../upstream/error-body.ts';
import {
  ALL_RECORDS,
  cartAddWithProducts,
  excludedHit,
  pageView2024,
  pageViewMobile,
  productsPurchaseUsd,
  purchaseEur,
  timestampedHit,
  truncatedHit,
} from '../testing/records.ts';
import { canonicalHitId, fallbackHitId, hitIdOf, roundCents, summariseRecord, visitorHashOf } from './summary.ts';

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
      purchase: true,
      // products[].revenue is in the currency's major unit.
      revenue: 3799,
    });
    expect(summariseRecord({ bot: '<Bot>' }, { seq: 1, shard: 0, arrivedAt: 1, hitId: 'x' }).bot).toBe(true);
  });

  it('gives every summary the same fields in the same order, and JSON only the ones the record had', () => {
    const meta = { seq: 1, shard: 0, arrivedAt: 1, hitId: 'x' };
    const full = summariseRecord(record, meta);
    const bare = summariseRecord({ pageName: 'Home' }, meta);
    // One shape for every hit keeps the hot path's readers monomorphic (bench/RESULTS.md, ingest).
    expect(Object.keys(bare)).toEqual(Object.keys(full));
    expect(JSON.parse(JSON.stringify(bare))).toStrictEqual({
      seq: 1,
      hitId: 'x',
      shard: 0,
      arrivedAt: 1,
      pageName: 'Home',
    });
    const sent = JSON.parse(JSON.stringify(full)) as Record<string, unknown>;
    expect(Object.keys(sent)).toEqual(
      Object.entries(full).flatMap(([key, value]) => (value === undefined ? [] : [key])),
    );
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

  describe('2026 records', () => {
    const meta = { seq: 1, shard: 0, arrivedAt: 1, hitId: 'x' };
    const summarise = (record: Record<string, unknown>) => summariseRecord(record, meta);

    it('gives every sample a valid summary', () => {
      for (const record of ALL_RECORDS) {
        const summary = summarise(record);
        expect(HitSummarySchema.parse(summary)).toEqual(summary);
      }
    });

    it('reads the device from the mobile fields when userAgent is empty, else from userAgent', () => {
      expect(summarise(pageViewMobile)).toMatchObject({
        device: 'Apple iPhone 15',
        deviceType: 'Mobile Phone',
        browser: 'Safari 17',
        operatingSystem: 'iOS 17.4',
        currency: 'EUR',
      });
      expect(summarise(pageView2024)).toMatchObject({ device: 'Desktop', deviceType: 'Desktop' });
      expect(summarise(cartAddWithProducts)).toMatchObject({ device: 'Apple iPad Air', deviceType: 'Tablet' });
      expect(
        summarise({ mobileManufacturer: 'Unknown', mobileDeviceName: 'Windows PC', mobileDeviceType: 'Desktop' }),
      ).toMatchObject({ device: 'Windows PC', deviceType: 'Desktop' });
      expect(summarise({ mobileManufacturer: 'Unknown', mobileDeviceType: 'Other' }).device).toBe('Unknown');
      // A device type without a name (a desktop on a 2026 stream).
      expect(summarise(productsPurchaseUsd)).toMatchObject({ device: 'Other', deviceType: 'Other' });
      const ua = (userAgent: string) => summarise({ userAgent });
      expect(
        ua('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Version/17.4 Mobile/15E148 Safari/604.1'),
      ).toMatchObject({ device: 'Apple iPhone', deviceType: 'Mobile Phone', browser: 'Apple Safari' });
      expect(ua('Mozilla/5.0 (Linux; Android 14; SM-S921B) Chrome/124.0 Mobile Safari/537.36')).toMatchObject({
        device: 'Android phone',
        browser: 'Google Chrome',
      });
      expect(ua('Mozilla/5.0 (Linux; Android 14; SM-X710) Chrome/124.0 Safari/537.36').device).toBe('Android tablet');
      expect(ua('Googlebot/2.1 (+http://www.google.com/bot.html)')).toMatchObject({ device: 'Other' });
      // The record's own browser wins over userAgent.
      expect(summarise({ browser: 'Opera 1', userAgent: 'x Chrome/1' }).browser).toBe('Opera 1');
      expect(summarise({ pageName: 'p' }).device).toBeUndefined();
    });

    it('counts revenue on purchase hits only: the revenue event (several entries), else the products', () => {
      expect(summarise(purchaseEur)).toMatchObject({ purchase: true, revenue: 173.35, currency: 'EUR' });
      expect(summarise(productsPurchaseUsd)).toMatchObject({ purchase: true, revenue: 1824.5, currency: 'USD' });
      // Products with a price on a cart addition are not revenue.
      const cart = summarise(cartAddWithProducts);
      expect(cart.revenue).toBeUndefined();
      expect(cart.purchase).toBeUndefined();
      // A purchaseId alone makes a purchase (Livestream fills one since April 2026).
      expect(summarise({ purchaseId: 'A1', products: [{ revenue: 10.005 }, { revenue: '0.1' }] }).revenue).toBe(10.11);
      expect(summarise({ events: 'event1,purchase', products: [{ revenue: 1 }] }).revenue).toBe(1);
      expect(summarise({ purchaseId: '', events: { event1: [] }, products: [{ revenue: 1 }] }).revenue).toBeUndefined();
      // count × 10^exponent: positive exponents too, and a bare number.
      expect(summarise({ purchaseId: 'A', events: { revenue: [{ count: 12, exponent: 2 }] } }).revenue).toBe(1200);
      expect(summarise({ purchaseId: 'A', events: { revenue: 7.5 } }).revenue).toBe(7.5);
      expect(roundCents(0.1 + 0.2)).toBe(0.3);
      expect(roundCents(1.005)).toBe(1.01);
    });

    it('flags excluded and truncated hits, and never counts an excluded purchase', () => {
      const excluded = summarise(excludedHit);
      expect(excluded.excluded).toBe(true);
      expect(excluded.revenue).toBeUndefined();
      expect(excluded.purchase).toBeUndefined();
      expect(summarise(truncatedHit).truncated).toBe(true);
      const normal = summarise(pageViewMobile);
      expect(normal.excluded).toBeUndefined();
      expect(normal.truncated).toBeUndefined();
      expect(summarise(timestampedHit)).toMatchObject({
        timeGMT: timestampedHit.receivedTimeGMT - 3 * 3600,
        receivedTimeGMT: timestampedHit.receivedTimeGMT,
      });
    });

    it('hashes a visitor the same way whichever hit it comes from', () => {
      expect(visitorHashOf(pageViewMobile)).toBe(visitorHashOf(truncatedHit));
      expect(visitorHashOf(pageViewMobile)).not.toBe(visitorHashOf(pageView2024));
      expect(visitorHashOf({ visIdHigh: '1', visIdLow: '2' })).toBe(visitorHashOf({ visIdHigh: '1', visIdLow: '2' }));
      expect(visitorHashOf({ visIdHigh: '12', visIdLow: '3' })).not.toBe(
        visitorHashOf({ visIdHigh: '1', visIdLow: '23' }),
      );
      expect(visitorHashOf({ customVisId: '420520' })).toBeTypeOf('number');
      expect(visitorHashOf({ pageName: 'x' })).toBeUndefined();
      const hashes = new Set(
        Array.from({ length: 1000 }, (_, i) => visitorHashOf({ visIdHigh: i, visIdLow: 7 })! >>> 22),
      );
      // The top 10 bits (HyperLogLog's register index) spread over most of their 1,024 values.
      expect(hashes.size).toBeGreaterThan(550);
    });
  });
});
