import { describe, expect, it } from 'vitest';
import type { Stats } from '../../../../contract/index.ts';
import {
  axisStart,
  bucketSeconds,
  buildTrafficView,
  downsample,
  findGaps,
  MAX_POINTS,
  MIN_SPAN_S,
  normaliseSeries,
  summarise,
  windowSeries,
} from './series.ts';

const T0 = 1_700_000_000;

/** One second of stats with sensible defaults. */
function stat(t: number, extra: Partial<Stats> = {}): Stats {
  return { t, hits: 10, duplicates: 0, malformed: 0, bytes: 100, clients: 1, ...extra };
}

/** `n` consecutive seconds from `from`. */
const run = (from: number, n: number, extra: Partial<Stats> = {}) =>
  Array.from({ length: n }, (_, i) => stat(from + i, extra));

describe('normaliseSeries', () => {
  it('returns an ordered series as is', () => {
    const series = run(T0, 3);
    expect(normaliseSeries(series)).toBe(series);
  });

  it('sorts, and keeps the last entry of a repeated second', () => {
    const out = normaliseSeries([stat(T0 + 1), stat(T0), stat(T0 + 1, { hits: 99 })]);
    expect(out.map((s) => [s.t, s.hits])).toEqual([
      [T0, 10],
      [T0 + 1, 99],
    ]);
  });
});

describe('windowSeries', () => {
  const series = run(T0, 100);

  it('keeps the last windowS seconds, ending at the last entry by default', () => {
    const w = windowSeries(series, 30);
    expect(w.endT).toBe(T0 + 99);
    expect(w.startT).toBe(T0 + 70);
    expect(w.entries).toHaveLength(30);
    expect(w.entries[0]?.t).toBe(T0 + 70);
    expect(w.hasEarlier).toBe(true);
  });

  it('can end elsewhere, and says when nothing precedes the window', () => {
    const w = windowSeries(series, 300, T0 + 49);
    expect(w.entries).toHaveLength(50);
    expect(w.hasEarlier).toBe(false);
  });

  it('handles an empty series', () => {
    expect(windowSeries([], 300).entries).toEqual([]);
  });
});

describe('findGaps', () => {
  it('finds missing seconds between entries', () => {
    expect(findGaps([stat(T0), stat(T0 + 5)])).toEqual([{ from: T0 + 1, to: T0 + 4, kind: 'missing' }]);
  });

  it('finds outage seconds and merges them with adjacent missing seconds', () => {
    const series = [
      stat(T0),
      stat(T0 + 1, { outage: true, hits: 0 }),
      stat(T0 + 4, { outage: true, hits: 0 }),
      stat(T0 + 5),
    ];
    expect(findGaps(series)).toEqual([{ from: T0 + 1, to: T0 + 4, kind: 'outage' }]);
  });

  it('keeps separate gaps apart', () => {
    const series = [stat(T0), stat(T0 + 2), stat(T0 + 3, { outage: true }), stat(T0 + 4)];
    expect(findGaps(series)).toEqual([
      { from: T0 + 1, to: T0 + 1, kind: 'missing' },
      { from: T0 + 3, to: T0 + 3, kind: 'outage' },
    ]);
  });

  it('counts seconds before the first entry only when told where the window starts', () => {
    expect(findGaps([stat(T0 + 10)])).toEqual([]);
    expect(findGaps([stat(T0 + 10)], T0)).toEqual([{ from: T0, to: T0 + 9, kind: 'missing' }]);
  });

  it('keeps outages of different causes apart, and gives missing seconds inside an outage its cause', () => {
    const series = [
      stat(T0),
      ...run(T0 + 1, 3, { outage: true, hits: 0, outageState: 'failed' }),
      ...run(T0 + 4, 2, { outage: true, hits: 0, outageState: 'waiting' }),
      stat(T0 + 8, { outage: true, hits: 0, outageState: 'waiting' }),
      stat(T0 + 9),
    ];
    expect(findGaps(series)).toEqual([
      { from: T0 + 1, to: T0 + 3, kind: 'outage', state: 'failed' },
      { from: T0 + 4, to: T0 + 8, kind: 'outage', state: 'waiting' },
    ]);
  });

  it('marks an ongoing outage up to the last second', () => {
    expect(findGaps([stat(T0), ...run(T0 + 1, 3, { outage: true, hits: 0 })])).toEqual([
      { from: T0 + 1, to: T0 + 3, kind: 'outage' },
    ]);
  });
});

describe('bucketSeconds', () => {
  it('keeps every window within MAX_POINTS points', () => {
    expect(bucketSeconds(300)).toBe(1);
    expect(bucketSeconds(900)).toBe(2);
    expect(bucketSeconds(3600)).toBe(6);
    expect(bucketSeconds(3600, 1000)).toBe(4);
  });
});

describe('downsample', () => {
  it('draws one point per second for short windows, with rates and shares', () => {
    const series = [
      stat(T0, { hits: 10, bots: 1, errorPages: 2, revenue: 5, lagP50Ms: 100, lagP95Ms: 900, byShard: [6, 4] }),
    ];
    const [p] = downsample(series, [], { bucketS: 1, startT: T0, lanes: 2 });
    expect(p).toEqual({
      t: T0,
      hits: 10,
      shard0: 6,
      shard1: 4,
      lagP50: 100,
      lagP95: 900,
      botShare: 0.1,
      errorShare: 0.2,
      revenuePerMin: 300,
    });
  });

  it('draws gaps as null, never as zero traffic', () => {
    const series = [stat(T0), stat(T0 + 1, { outage: true, hits: 0 }), stat(T0 + 3)];
    const gaps = findGaps(series);
    const points = downsample(series, gaps, { bucketS: 1, startT: T0, lanes: 0 });
    expect(points.map((p) => p.hits)).toEqual([10, null, null, 10]);
  });

  it('averages buckets, takes the worst p95, and nulls a bucket that touches a gap', () => {
    const series = [
      stat(T0, { hits: 10, lagP95Ms: 100 }),
      stat(T0 + 1, { hits: 20, lagP95Ms: 300 }),
      stat(T0 + 2, { hits: 30 }),
      stat(T0 + 4, { hits: 30 }),
      stat(T0 + 5, { hits: 30 }),
    ];
    const points = downsample(series, findGaps(series), { bucketS: 2, startT: T0, lanes: 0 });
    expect(points.map((p) => [p.t, p.hits, p.lagP95])).toEqual([
      [T0, 15, 300],
      [T0 + 2, null, null],
      [T0 + 4, 30, null],
    ]);
  });

  it('puts the hits of a second without byShard on shard 0', () => {
    const series = [stat(T0, { hits: 4, byShard: [1, 3] }), stat(T0 + 1, { hits: 6 })];
    const points = downsample(series, [], { bucketS: 2, startT: T0, lanes: 2 });
    expect(points[0]).toMatchObject({ shard0: 3.5, shard1: 1.5 });
  });

  it('leaves shares null when nothing is known', () => {
    const [p] = downsample([stat(T0, { hits: 0, bots: 0 })], [], { bucketS: 1, startT: T0, lanes: 0 });
    expect(p?.botShare).toBeNull();
    expect(p?.errorShare).toBeNull();
    expect(p?.revenuePerMin).toBeNull();
  });
});

describe('summarise', () => {
  it('sums the data seconds and skips outage seconds', () => {
    const series = [
      stat(T0, { hits: 10, bots: 1, byShard: [10, 0], lagP50Ms: 50 }),
      stat(T0 + 1, { hits: 0, outage: true }),
      stat(T0 + 2, { hits: 30, bots: 3, byShard: [10, 20], errorPages: 3, revenue: 7.5 }),
    ];
    const s = summarise(series, findGaps(series));
    expect(s).toMatchObject({
      dataSeconds: 2,
      gapSeconds: 1,
      totalHits: 40,
      hitsNow: 30,
      hitsAvg: 20,
      hitsPeak: 30,
      shardTotals: [20, 20],
      lagP50: 50,
      lagP95: null,
      botShare: 0.1,
      errorPages: 3,
      errorShare: 0.1,
      revenue: 7.5,
    });
  });

  it('has no rate or lag "now" while the latest second is in a gap, and says which gap', () => {
    const series = [
      stat(T0, { hits: 128, lagP50Ms: 900, lagP95Ms: 4_000 }),
      ...run(T0 + 1, 240, { hits: 0, outage: true, outageState: 'failed' }),
    ];
    const s = summarise(series, findGaps(series));
    expect(s).toMatchObject({ hitsNow: null, lagP50: null, lagP95: null, hitsPeak: 128 });
    expect(s.currentGap).toEqual({ from: T0 + 1, to: T0 + 240, kind: 'outage', state: 'failed' });
    // Once data flows again, "now" is the latest second.
    const back = [...series, stat(T0 + 241, { hits: 3 })];
    expect(summarise(back, findGaps(back))).toMatchObject({ hitsNow: 3, currentGap: null });
  });

  it('is empty without data', () => {
    expect(summarise([], [])).toMatchObject({ hitsNow: null, hitsAvg: null, shardTotals: [], errorPages: null });
  });
});

describe('buildTrafficView', () => {
  it('bounds an hour of seconds to MAX_POINTS points over the whole window', () => {
    const view = buildTrafficView(run(T0, 3600, { byShard: [5, 5] }), { windowS: 3600, shardCount: 2 });
    expect(view.points.length).toBeLessThanOrEqual(MAX_POINTS + 1);
    expect(view.points.length).toBeGreaterThanOrEqual(MAX_POINTS);
    expect(view.bucketS).toBe(6);
    expect(view.startT).toBe(T0);
    expect(view.endT).toBe(T0 + 3599);
    expect(view.points.every((p) => p.t >= view.startT && p.t <= view.endT)).toBe(true);
  });

  it('gives every configured shard a lane once the series breaks hits down by shard', () => {
    expect(buildTrafficView(run(T0, 10, { byShard: [10] }), { windowS: 300, shardCount: 3 }).lanes).toBe(3);
    expect(buildTrafficView(run(T0, 10), { windowS: 300, shardCount: 3 }).lanes).toBe(0);
  });

  it('shades seconds missing at the start of the window when older data exists', () => {
    const series = [...run(T0, 10), ...run(T0 + 400, 100)];
    const view = buildTrafficView(series, { windowS: 300, shardCount: 1 });
    expect(view.gaps).toEqual([{ from: T0 + 200, to: T0 + 399, kind: 'missing' }]);
    expect(view.points[0]).toMatchObject({ t: T0 + 200, hits: null });
  });
});

describe('buildTrafficView, a relay that started inside the window', () => {
  it('starts the axis at the relay’s start instead of squeezing its minutes to the right edge', () => {
    // Up for 3 min, the 15-min window: the axis used to span 15 min with data in its last fifth.
    const view = buildTrafficView(run(T0, 180), { windowS: 900, shardCount: 1, relayStartT: T0 });
    expect(view.startT).toBe(T0);
    expect(view.endT).toBe(T0 + 179);
    expect(view.axisFrom).toBe('relay-start');
    expect(view.coveredFromT).toBe(T0);
    expect(view.points[0]?.t).toBe(T0);
    // Finer buckets for the shorter span.
    expect(view.bucketS).toBe(1);
  });

  it('keeps the window when the relay has run longer, or older stats survived a restart', () => {
    const longer = buildTrafficView(run(T0, 1000), { windowS: 900, shardCount: 1, relayStartT: T0 - 50 });
    expect(longer.startT).toBe(T0 + 100);
    expect(longer.axisFrom).toBe('window');
    // Restarted 2 min ago, but the stats of the run before it are still there.
    const restarted = buildTrafficView(run(T0, 600), { windowS: 900, shardCount: 1, relayStartT: T0 + 480 });
    expect(restarted.startT).toBe(T0);
    expect(restarted.axisFrom).toBe('first-data');
    expect(restarted.coveredFromT).toBe(T0);
  });

  it('draws at least a minute for a relay that started seconds ago', () => {
    const view = buildTrafficView(run(T0, 5), { windowS: 900, shardCount: 1, relayStartT: T0 });
    expect(view.endT).toBe(T0 + 4);
    expect(view.endT - view.startT + 1).toBe(MIN_SPAN_S);
    expect(view.coveredFromT).toBe(T0);
  });
});

describe('axisStart', () => {
  it('starts at the window, or inside it at the earlier of the relay’s start and its first data', () => {
    expect(axisStart(100, 999, { hasEarlier: false })).toBe(100);
    expect(axisStart(100, 999, { relayStartT: 50, hasEarlier: false })).toBe(100);
    expect(axisStart(100, 999, { relayStartT: 400, firstDataT: 402, hasEarlier: false })).toBe(400);
    expect(axisStart(100, 999, { relayStartT: 400, firstDataT: 300, hasEarlier: false })).toBe(300);
    expect(axisStart(100, 999, { relayStartT: 400, hasEarlier: true })).toBe(100);
  });
});
