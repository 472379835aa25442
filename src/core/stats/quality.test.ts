import { describe, expect, it } from 'vitest';
import { type HitRecord, type HitSummary } from '../../contract/index.ts';
import { summariseRecord, visitorHashOf } from '../ingest/summary.ts';
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
import { REPORT_SUITE_KEYS, lagBucket } from './quality.ts';
import { HLL_REGISTERS, hllAdd, hllEstimate } from './shard-spread.ts';
import { StatsCollector } from './stats.ts';

/** The samples' second on Adobe's clock (they were all received within it, give or take 4 s). */
const T = 1_776_160_005;

function feed(stats: StatsCollector, record: HitRecord, lagS: number, shard = 0): HitSummary {
  const received = Number(record.receivedTimeGMT);
  const summary = summariseRecord(record, { seq: 1, shard, arrivedAt: (received + lagS) * 1000, hitId: 'x' });
  stats.hit(summary, visitorHashOf(record));
  return summary;
}

describe('stream quality', () => {
  it('counts excluded, truncated and timestamped hits, lag against the band and revenue per currency', () => {
    const stats = new StatsCollector(1);
    stats.streaming();
    feed(stats, pageViewMobile, 30);
    feed(stats, pageView2024, 10); // below the band
    feed(stats, purchaseEur, 45);
    feed(stats, productsPurchaseUsd, 400); // beyond the band
    feed(stats, cartAddWithProducts, 60);
    feed(stats, excludedHit, 60);
    feed(stats, truncatedHit, 60);
    feed(stats, timestampedHit, 60);
    const second = stats.tick(T, 0, true);
    expect(second).toMatchObject({
      hits: 8,
      excluded: 1,
      truncated: 1,
      timestamped: 1,
      lagged: 8,
      lagBelowBand: 1,
      lagAboveBand: 1,
      purchases: 2,
      // The excluded hit's 9.99 € never counts; the cart's priced products neither.
      revenueByCurrency: { EUR: 173.35, USD: 1824.5 },
      // EUR came first, USD did not outnumber it: revenue stays in EUR.
      currency: 'EUR',
      revenue: 173.35,
      bots: 0,
    });

    const minute = stats.top(60, 0)!;
    // Excluded hits are kept out of the lists and their base.
    expect(minute.hits).toBe(7);
    expect(minute.excluded).toBe(1);
    expect(minute.pages.map((p) => p.key)).not.toContain('internal:test-order');
    expect(minute.countries.map((c) => c.key)).not.toContain('deu');
    expect(minute.devices).toContainEqual({ key: 'Apple iPhone 15', count: 2 });
    expect(minute.devices).toContainEqual({ key: 'Desktop', count: 1 });
    expect(minute.devices.map((d) => d.key)).not.toContain('Google Pixel 8');
    // Report suites count every hit, excluded ones too: it is what the stream carries.
    expect(minute.reportSuites).toEqual([
      { key: 'exampleshopprod', count: 6 },
      { key: 'exampleappprod', count: 1 },
      { key: 'examplecomprod', count: 1 },
    ]);
    expect(minute).toMatchObject({
      truncated: 1,
      timestamped: 1,
      lagged: 8,
      lagAboveBand: 1,
      lagBelowBand: 1,
      revenue: 173.35,
      currency: 'EUR',
      revenueByCurrency: { EUR: 173.35, USD: 1824.5 },
      purchases: 2,
    });
    expect(minute.lagP50Ms).toBeGreaterThanOrEqual(57_000);
    expect(minute.lagP50Ms).toBeLessThanOrEqual(63_000);
    expect(minute.lagP95Ms).toBeGreaterThanOrEqual(380_000);
    expect(minute.lagP95Ms).toBeLessThanOrEqual(420_000);
  });

  it('moves revenue to the currency most purchases come in, and keeps every currency apart', () => {
    const stats = new StatsCollector(1);
    feed(stats, purchaseEur, 30);
    for (let i = 0; i < 3; i++) feed(stats, { ...productsPurchaseUsd, hitIdLow: i }, 30);
    const second = stats.tick(T, 0, true);
    expect(second).toMatchObject({ currency: 'USD', revenue: 5473.5, revenueByCurrency: { EUR: 173.35, USD: 5473.5 } });
    // A second without purchases: revenue 0 in the main currency, no per-currency record.
    const quiet = stats.tick(T + 1, 0, true);
    expect(quiet).toMatchObject({ revenue: 0, currency: 'USD', purchases: 0 });
    expect(quiet.revenueByCurrency).toBeUndefined();
    // Revenue without a readable currency is kept as XXX, never mixed into another.
    feed(stats, { ...purchaseEur, currency: 'euros' }, 30);
    expect(stats.tick(T + 2, 0, true).revenueByCurrency).toEqual({ XXX: 173.35 });
    expect(stats.top(300, 0)!.revenueByCurrency).toEqual({ EUR: 173.35, USD: 5473.5, XXX: 173.35 });
  });

  it('slides the quality figures with the windows, as the top lists', () => {
    const stats = new StatsCollector(1);
    const start = 60 * Math.ceil(T / 60);
    feed(stats, { ...excludedHit, receivedTimeGMT: start }, 30);
    stats.tick(start, 0, true);
    for (let t = start + 1; t <= start + 61; t++) {
      feed(stats, { ...truncatedHit, hitIdLow: t, receivedTimeGMT: t }, 30);
      stats.tick(t, 0, true);
    }
    expect(stats.top(60, 0)).toMatchObject({ excluded: 0, truncated: 60, hits: 60 });
    expect(stats.top(300, 0)).toMatchObject({ excluded: 1, truncated: 61, hits: 61 });
    expect(stats.series(3600).reduce((sum, s) => sum + (s.excluded ?? 0), 0)).toBe(1);
  });

  it('reads lag percentiles within 5 % from the histogram', () => {
    const stats = new StatsCollector(1);
    const lags: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const lagMs = 5_000 + ((i * 7919) % 2000) * 200; // 5 s to 405 s, evenly
      lags.push(lagMs);
      stats.hit({ seq: i, hitId: `h${i}`, shard: 0, arrivedAt: T * 1000 + lagMs, receivedTimeGMT: T });
    }
    stats.tick(T, 0, true);
    lags.sort((a, b) => a - b);
    const top = stats.top(60, 0)!;
    expect(Math.abs(top.lagP50Ms! - lags[999]!) / lags[999]!).toBeLessThan(0.05);
    expect(Math.abs(top.lagP95Ms! - lags[1899]!) / lags[1899]!).toBeLessThan(0.05);
    expect(top.lagBelowBand).toBe(lags.filter((l) => l < 20_000).length);
    expect(top.lagAboveBand).toBe(lags.filter((l) => l > 300_000).length);
    // The lookup table gives the logarithm's bucket, edges included.
    const exact = (ms: number) => (ms >= 1000 ? Math.min(121, 1 + Math.floor(Math.log(ms / 1000) / Math.log(1.1))) : 0);
    for (let ms = 0; ms < 4_000_000; ms += 97) expect(lagBucket(ms)).toBe(exact(ms));
    expect(lagBucket(-5)).toBe(0);
    expect(lagBucket(Number.NaN)).toBe(0);
    expect(lagBucket(1e12)).toBe(121);
  });

  it('shows how hits and visitors spread over the shards, per window', () => {
    const shards = 4;
    const stats = new StatsCollector(shards);
    const start = 60 * Math.ceil(T / 60);
    // 120 s: shard 3 gets twice the visitors of the others, each visitor 3 hits.
    for (let t = start; t < start + 120; t++) {
      for (let v = 0; v < 25; v++) {
        const visitor = (t - start) * 25 + v;
        const shard = v < 10 ? 3 : v % 3;
        for (let h = 0; h < 3; h++) {
          stats.hit(
            { seq: 1, hitId: 'x', shard, arrivedAt: t * 1000 },
            visitorHashOf({ visIdHigh: visitor, visIdLow: 1 }),
          );
        }
      }
      stats.tick(t, 0, true);
    }
    const hour = stats.top(3600, 0)!.shards!;
    expect(hour.map((s) => s.hits)).toEqual([5 * 3 * 120, 5 * 3 * 120, 5 * 3 * 120, 10 * 3 * 120]);
    const expectedVisitors = [600, 600, 600, 1200];
    hour.forEach((s, i) =>
      expect(Math.abs(s.visitors - expectedVisitors[i]!) / expectedVisitors[i]!).toBeLessThan(0.08),
    );
    // The last minute: the last 51–60 s.
    const minute = stats.top(60, 0)!.shards!;
    expect(minute).toHaveLength(shards);
    expect(minute[3]!.hits).toBeGreaterThanOrEqual(10 * 3 * 51);
    expect(minute[3]!.hits).toBeLessThanOrEqual(10 * 3 * 60);
    expect(minute[3]!.hits / minute[0]!.hits).toBe(2);
  });

  it('estimates distinct visitors within a few percent, and ignores repeats', () => {
    const registers = new Uint8Array(HLL_REGISTERS);
    expect(hllEstimate(registers, 0)).toBe(0);
    for (const n of [1, 10, 100, 1_000, 10_000, 100_000]) {
      registers.fill(0);
      for (let i = 0; i < n; i++) {
        const hash = visitorHashOf({ visIdHigh: String(i), visIdLow: '42' })!;
        hllAdd(registers, 0, hash);
        hllAdd(registers, 0, hash);
      }
      const estimate = hllEstimate(registers, 0);
      expect(Math.abs(estimate - n) / n, `${n} visitors: ${estimate}`).toBeLessThan(n <= 100 ? 0.03 : 0.08);
    }
  });

  it('keeps report suites and currencies bounded whatever the stream sends', () => {
    const stats = new StatsCollector(1);
    for (let i = 0; i < 500; i++) {
      feed(
        stats,
        {
          ...purchaseEur,
          hitIdLow: i,
          reportSuite: `suite-${i}-${'x'.repeat(200)}`,
          currency: `Q${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + (Math.floor(i / 26) % 26))}`,
        },
        30,
      );
    }
    const second = stats.tick(T, 0, true);
    expect(Object.keys(second.revenueByCurrency!).length).toBeLessThanOrEqual(17);
    expect(Object.values(second.revenueByCurrency!).reduce((a, b) => a + b, 0)).toBeCloseTo(500 * 173.35, 2);
    const top = stats.top(60, 0)!;
    // 2,048 characters hold 9 ids of 208 characters (fewer than REPORT_SUITE_KEYS): the rest is "(other)".
    const kept = Math.min(REPORT_SUITE_KEYS, Math.floor(2048 / 208));
    expect(top.reportSuites).toHaveLength(kept + 1);
    expect(top.reportSuites![0]).toEqual({ key: '(other)', count: 500 - kept });
    expect(JSON.stringify(top).length).toBeLessThan(16 * 1024);
  });

  it('gives every sample a summary the collector takes', () => {
    const stats = new StatsCollector(2);
    ALL_RECORDS.forEach((record, i) => feed(stats, record, 30, i % 2));
    expect(stats.tick(T, 0, true).hits).toBe(ALL_RECORDS.length);
  });
});
