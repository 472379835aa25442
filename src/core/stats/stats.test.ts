import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { type HitSummary, type Top } from '../../contract/index.ts';
import { summariseRecord } from '../ingest/summary.ts';
import { createHitGenerator, createRandom } from '../../simulator/generator/index.ts';
import { STATS_MAX_BYTES, StatsCollector } from './stats.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapUsed(): number {
  gc();
  gc();
  return getHeapStatistics().used_heap_size;
}

const T = 1_800_000_000;
const hit = (over: Partial<HitSummary>): HitSummary => ({
  seq: 1,
  hitId: 'a-b',
  shard: 0,
  arrivedAt: T * 1000,
  ...over,
});

describe('StatsCollector', () => {
  it('closes each second with counts, lag percentiles, per-shard hits and outage', () => {
    const stats = new StatsCollector(2);
    stats.streaming();
    for (let i = 0; i < 100; i++) {
      stats.hit(
        hit({
          shard: i % 2,
          receivedTimeGMT: T - 30,
          arrivedAt: T * 1000 + i * 10,
          bot: i < 5,
          isErrorPage: i === 7,
          revenue: i === 9 ? 12.5 : undefined,
        }),
      );
    }
    stats.duplicate();
    stats.malformed();
    stats.bytes(4096);
    const second = stats.tick(T, 3, false);
    expect(second).toMatchObject({
      t: T,
      hits: 100,
      duplicates: 1,
      malformed: 1,
      bytes: 4096,
      clients: 3,
      byShard: [50, 50],
      outage: false,
      bots: 5,
      errorPages: 1,
      revenue: 12.5,
    });
    expect(second.lagP50Ms).toBe(30_490);
    expect(second.lagP95Ms).toBe(30_940);
    stats.down('waiting');
    const quiet = stats.tick(T + 1, 3, false);
    expect(quiet).toMatchObject({ hits: 0, outage: true, outageState: 'waiting' });
    expect(quiet.lagP50Ms).toBeUndefined();
    expect(stats.series(3600).map((s) => s.t)).toEqual([T, T + 1]);
    expect(stats.series(1).map((s) => s.t)).toEqual([T + 1]);
  });

  it('keeps a quiet but connected second apart from an outage', () => {
    const stats = new StatsCollector(1);
    stats.streaming();
    expect(stats.tick(T, 0, true).outage).toBe(false);
    expect(stats.tick(T + 1, 0, true).outage).toBe(false);
    // Before the first connection succeeds the relay is starting, not in an outage.
    const starting = new StatsCollector(1);
    expect(starting.tick(T, 0, false, undefined).outage).toBe(false);
  });

  it('says why a second had no data: the worst state a shard was in, a stall included', () => {
    const stats = new StatsCollector(2);
    stats.down('stalled');
    const stalled = stats.tick(T, 0, false, 'stalled');
    // A stall is a gap, not zero traffic.
    expect(stalled).toMatchObject({ hits: 0, outage: true, outageState: 'stalled' });
    stats.down('failed');
    stats.down('waiting');
    expect(stats.tick(T + 1, 0, false, 'waiting').outageState).toBe('failed');
    // The state carried into the next second counts for it.
    expect(stats.tick(T + 2, 0, false).outageState).toBe('waiting');
    // A second with a hit is never an outage, whatever the states.
    stats.down('failed');
    stats.hit(hit({ pageName: 'home' }));
    const withHit = stats.tick(T + 3, 0, false, 'failed');
    expect(withHit.outage).toBe(false);
    expect(withHit.outageState).toBeUndefined();
  });

  it('slides top lists over their windows', () => {
    const stats = new StatsCollector(1);
    stats.hit(hit({ pageName: 'home', geoCountry: 'fra', events: ['purchase'], revenue: 10 }));
    stats.hit(hit({ pageName: 'home', geoCountry: 'usa' }));
    stats.tick(T, 0, true);
    for (let i = 1; i <= 60; i++) {
      stats.hit(hit({ pageName: 'cart', geoCountry: 'usa' }));
      stats.tick(T + i, 0, true);
    }
    const minute = stats.top(60, 0)!;
    expect(minute.pages).toEqual([{ key: 'cart', count: 60 }]);
    expect(minute.revenue).toBe(0);
    const five = stats.top(300, 0)!;
    expect(five.pages).toEqual([
      { key: 'cart', count: 60 },
      { key: 'home', count: 2 },
    ]);
    expect(five.countries[0]).toEqual({ key: 'usa', count: 61 });
    expect(five.events).toEqual([{ key: 'purchase', count: 1 }]);
    expect(five.revenue).toBe(10);
    expect(stats.top(42, 0)).toBeUndefined();
  });

  it('cuts top-list keys to 1,024 characters, so a huge page name cannot blow up the top event', () => {
    const stats = new StatsCollector(1);
    stats.hit(hit({ pageName: 'p'.repeat(3 * 1024 * 1024), isErrorPage: true, events: ['e'.repeat(5000)] }));
    stats.tick(T, 0, true);
    const tops = stats.topAll(0);
    for (const top of tops) {
      for (const list of [top.pages, top.errorPages, top.events]) {
        expect(list[0]!.key).toHaveLength(1024);
        expect(list[0]!.key.endsWith('…')).toBe(true);
      }
    }
    expect(JSON.stringify(tops).length).toBeLessThan(64 * 1024);
  });

  it('covers the whole minutes of a window plus the current one, never older', () => {
    const stats = new StatsCollector(1);
    const start = 60 * Math.ceil(T / 60);
    // One hit per second, each second its own page: counts tell which seconds a window covers.
    for (let t = start; t < start + 3 * 3600; t++) {
      stats.hit(hit({ pageName: `s${t}` }));
      stats.tick(t, 0, true);
      const into = (t - start) % 60;
      if (t - start < 3600 + 1800 || ![0, 1, 59].includes(into)) continue;
      expect(stats.top(60, 0)!.hits).toBe(60);
      for (const window of [300, 900, 3600]) {
        // Whole minutes before the current one, then its seconds so far.
        expect(stats.top(window, 0)!.hits, `${window} s window at ${into} s into a minute`).toBe(
          window - 60 + into + 1,
        );
      }
    }
  });

  it('survives seconds that were never closed (a late timer): windows follow the clock', () => {
    const stats = new StatsCollector(1);
    stats.hit(hit({ pageName: 'old' }));
    stats.tick(T, 0, true);
    stats.hit(hit({ pageName: 'new' }));
    stats.tick(T + 600, 0, true);
    expect(stats.top(60, 0)!.pages).toEqual([{ key: 'new', count: 1 }]);
    expect(stats.top(300, 0)!.pages).toEqual([{ key: 'new', count: 1 }]);
    expect(stats.top(900, 0)!.pages.map((p) => p.key)).toEqual(['new', 'old']);
    stats.tick(T + 7200, 0, true);
    expect(stats.top(3600, 0)!.hits).toBe(0);
  });

  it('gives the exact top lists for the simulator’s traffic, and close ones for a long tail', () => {
    const generator = createHitGenerator({ seed: 3 });
    const zipf = zipfPages(5000, 1.1, 11);
    const stats = new StatsCollector(1);
    const start = 60 * Math.ceil(T / 60);
    const seconds: { t: number; pages: string[] }[] = [];
    for (let t = start; t < start + 17 * 60; t++) {
      const pages: string[] = [];
      for (let i = 0; i < 40; i++) {
        const summary = summariseRecord(generator.next(t * 1000 + i), {
          seq: 1,
          shard: 0,
          arrivedAt: t * 1000,
          hitId: 'x',
        });
        stats.hit(summary);
        // Excluded hits are not traffic: the lists leave them out.
        if (!summary.excluded) pages.push(summary.pageName ?? summary.pageURL ?? '');
      }
      for (let i = 0; i < 400; i++) {
        const pageName = zipf();
        stats.hit(hit({ pageName }));
        pages.push(pageName);
      }
      seconds.push({ t, pages });
      stats.tick(t, 0, true);
      if ((t - start) % 300 !== 299 && t !== start + 17 * 60 - 37) continue;
      for (const window of [60, 300, 900]) {
        const top = stats.top(window, 0)!;
        const from = window === 60 ? t - 59 : 60 * (Math.floor(t / 60) - (window / 60 - 1));
        const exact = exactTop(seconds.filter((s) => s.t >= from).flatMap((s) => s.pages));
        expect(top.hits).toBe(seconds.filter((s) => s.t >= from).reduce((sum, s) => sum + s.pages.length, 0));
        if (window === 60) expect(top.pages).toEqual(exact);
        else closeTo(top, exact);
      }
    }
  });

  it(`holds at most ${STATS_MAX_BYTES / 1024 / 1024} MiB whatever the keys, every dimension flooded`, () => {
    let serial = 0;
    // Two-byte strings (UTF-16 in V8), distinct each time: the worst a key can cost.
    const key = (length: number) => `€${(serial++).toString(36)}`.padEnd(length, 'ü');
    const flood = (stats: StatsCollector, t: number) => {
      for (let i = 0; i < 520; i++) {
        stats.hit(
          hit({
            pageName: key(33),
            geoCountry: key(41),
            browser: key(41),
            operatingSystem: key(41),
            events: [key(21), key(21)],
            isErrorPage: true,
            bot: i % 2 === 0,
            revenue: 1,
            purchase: true,
            // Report suites and currencies are bounded too; visitors fill every shard's registers.
            reportSuite: key(41),
            currency: (serial++ % 17_576).toString(26).padStart(3, 'a').replace(/\d/g, 'q'),
            shard: i % 8,
          }),
          serial++,
        );
      }
      stats.tick(t, 1, true);
    };
    const before = heapUsed();
    const stats = new StatsCollector(8);
    const start = 60 * Math.ceil(T / 60);
    // 59 minutes of one hostile second each fill the minute buckets, then 61 whole seconds the
    // second buckets, the last minute and the partial minute.
    for (let m = 0; m < 59; m++) flood(stats, start + 60 * m);
    for (let t = start + 60 * 59 - 1; t < start + 60 * 60; t++) flood(stats, t);
    const held = heapUsed() - before;
    expect(stats.top(3600, 0)!.hits).toBe(520 * (59 + 61));
    // Structurally: 181 second-level maps (61 seconds, the last and the partial minute's 60
    // seconds each) of at most 1,106 entries and 36,864 characters, 137 minute-level ones (60
    // minutes, 77 in the window totals) of at most 356 entries and 18,432 characters.
    const { entries, keyChars } = stats.footprint();
    expect(entries).toBeLessThanOrEqual(181 * 1106 + 137 * 356);
    expect(keyChars).toBeLessThanOrEqual(181 * 36_864 + 137 * 18_432);
    expect(entries).toBeGreaterThan(100_000);
    expect(held).toBeGreaterThan(STATS_MAX_BYTES / 4);
    expect(held).toBeLessThanOrEqual(STATS_MAX_BYTES);
    // Another hour of floods: nothing accumulates.
    for (let t = start + 3600; t < start + 7200; t += 7) flood(stats, t);
    expect(heapUsed() - before).toBeLessThanOrEqual(STATS_MAX_BYTES);
  }, 120_000);
});

/** Page names drawn from a Zipf law over `n` pages. */
function zipfPages(n: number, s: number, seed: number): () => string {
  const random = createRandom(seed);
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w / total));
  return () => {
    const x = random.next();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return `/products/item-${lo}`;
  };
}

function exactTop(keys: string[]): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const key of keys) if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10)
    .map(([key, count]) => ({ key, count }));
}

/** The same leaders, each count within 1 % (a key's count in a minute it missed the top 100 is "(other)"). */
function closeTo(top: Top, exact: { key: string; count: number }[]): void {
  const got = new Map(top.pages.map((p) => [p.key, p.count]));
  for (const { key, count } of exact.slice(0, 8)) {
    expect(got.has(key), `${key} in the top list`).toBe(true);
    expect(Math.abs(got.get(key)! - count) / count).toBeLessThanOrEqual(0.01);
  }
}
