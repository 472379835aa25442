import type { Stats } from '../../../../contract/index.ts';

/**
 * Chart maths for the per-second `Stats` series: windowing, gap detection and downsampling.
 * Pure functions; all times are epoch seconds unless a name says otherwise.
 */

/** Most points a time chart draws; longer windows are averaged into buckets of several seconds. */
export const MAX_POINTS = 600;

/**
 * Seconds without data, inclusive at both ends. `outage`: the relay said no shard was
 * streaming (`Stats.outage`, with its `outageState`); `missing`: no Stats at all for those
 * seconds (the relay was not running or not reachable, or a history hole). Both are drawn as a
 * shaded gap, never as zero traffic. Missing seconds next to an outage join it; two outages
 * join only when they have the same cause.
 */
export interface Gap {
  from: number;
  to: number;
  kind: 'outage' | 'missing';
  /** For an outage: why no shard streamed (`Stats.outageState`: failed, waiting, stalled…), when the relay said. */
  state?: string;
}

/** One point of a time chart: the mean of a bucket of seconds; null breaks the line. */
export interface TrafficPoint {
  /** Start of the bucket, epoch seconds. */
  t: number;
  /** Distinct hits per second. */
  hits: number | null;
  lagP50: number | null;
  lagP95: number | null;
  /** Share of hits flagged as bots, 0..1. */
  botShare: number | null;
  /** Share of hits on error pages, 0..1. */
  errorShare: number | null;
  /** Revenue per minute, in the currency's major unit. */
  revenuePerMin: number | null;
  /** Hits per second of shard N (present when the series carries `byShard`). */
  [shard: `shard${number}`]: number | null;
}

/** Key of shard `i` in a {@link TrafficPoint}. */
export const shardKey = (i: number): `shard${number}` => `shard${i}`;

/** Ascending by `t`, one entry per second (a repeated second keeps its last entry). Returns the input when already so. */
export function normaliseSeries(series: readonly Stats[]): readonly Stats[] {
  let ordered = true;
  for (let i = 1; i < series.length; i++) {
    if (series[i]!.t <= series[i - 1]!.t) {
      ordered = false;
      break;
    }
  }
  if (ordered) return series;
  const bySecond = new Map<number, Stats>();
  for (const s of series) bySecond.set(s.t, s);
  return [...bySecond.values()].sort((a, b) => a.t - b.t);
}

/** Index of the first entry with `t > after` (binary search over an ascending series). */
function firstAfter(series: readonly Stats[], after: number): number {
  let lo = 0;
  let hi = series.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (series[mid]!.t > after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The part of an ascending series inside a window. */
export interface Windowed {
  entries: readonly Stats[];
  /** First second of the window. */
  startT: number;
  /** Last second of the window. */
  endT: number;
  /** The series holds data before the window: seconds missing at its start are a gap, not "not yet started". */
  hasEarlier: boolean;
}

/**
 * The entries with `endT - windowS < t <= endT`. `endT` defaults to the last entry's second, so
 * the window follows the data (while the link is down the charts stay on the last data).
 */
export function windowSeries(series: readonly Stats[], windowS: number, endT?: number): Windowed {
  const end = endT ?? series.at(-1)?.t ?? 0;
  const startT = end - windowS + 1;
  const from = firstAfter(series, startT - 1);
  const to = firstAfter(series, end);
  return { entries: series.slice(from, to), startT, endT: end, hasEarlier: from > 0 };
}

function pushGap(gaps: Gap[], from: number, to: number, kind: Gap['kind'], state?: string): void {
  const last = gaps.at(-1);
  const touching = last !== undefined && last.to + 1 >= from;
  if (touching && (last.kind !== kind || last.state === state)) {
    // Missing seconds next to an outage are part of it (a browser that missed a few stats
    // events); two outages join only when they have the same cause.
    last.to = Math.max(last.to, to);
    if (kind === 'outage' && last.kind === 'missing') {
      last.kind = 'outage';
      if (state !== undefined) last.state = state;
    }
  } else {
    gaps.push(state === undefined ? { from, to, kind } : { from, to, kind, state });
  }
}

/**
 * Seconds without data between the first and last entry (merged into ranges), plus, when
 * `from` is given, the seconds missing between `from` and the first entry. Seconds after the
 * last entry are not a gap: they are "data as of", shown by the panel.
 */
export function findGaps(entries: readonly Stats[], from?: number): Gap[] {
  const gaps: Gap[] = [];
  let prev = from !== undefined ? from - 1 : entries[0]?.t;
  for (const s of entries) {
    if (prev !== undefined && s.t > prev + 1) pushGap(gaps, prev + 1, s.t - 1, 'missing');
    if (s.outage) pushGap(gaps, s.t, s.t, 'outage', s.outageState);
    prev = s.t;
  }
  return gaps;
}

/** Seconds per bucket so that a span draws at most `maxPoints` points. */
export function bucketSeconds(spanS: number, maxPoints = MAX_POINTS): number {
  return Math.max(1, Math.ceil(spanS / maxPoints));
}

interface Bucket {
  seconds: number;
  hits: number;
  shards: number[];
  lagP50Sum: number;
  lagP50N: number;
  lagP95Max: number | null;
  bots: number;
  botsKnownHits: number;
  errorPages: number;
  errorKnownHits: number;
  errorSeen: boolean;
  revenue: number | null;
}

const emptyBucket = (): Bucket => ({
  seconds: 0,
  hits: 0,
  shards: [],
  lagP50Sum: 0,
  lagP50N: 0,
  lagP95Max: null,
  bots: 0,
  botsKnownHits: 0,
  errorPages: 0,
  errorKnownHits: 0,
  errorSeen: false,
  revenue: null,
});

function addSecond(b: Bucket, s: Stats): void {
  b.seconds += 1;
  b.hits += s.hits;
  if (s.byShard) s.byShard.forEach((n, i) => (b.shards[i] = (b.shards[i] ?? 0) + n));
  // A second without the per-shard breakdown still counts: its hits go to shard 0.
  else b.shards[0] = (b.shards[0] ?? 0) + s.hits;
  if (s.lagP50Ms !== undefined) {
    b.lagP50Sum += s.lagP50Ms;
    b.lagP50N += 1;
  }
  if (s.lagP95Ms !== undefined) b.lagP95Max = Math.max(b.lagP95Max ?? 0, s.lagP95Ms);
  if (s.bots !== undefined) {
    b.bots += s.bots;
    b.botsKnownHits += s.hits;
  }
  if (s.errorPages !== undefined) {
    b.errorPages += s.errorPages;
    b.errorKnownHits += s.hits;
    b.errorSeen = true;
  }
  if (s.revenue !== undefined) b.revenue = (b.revenue ?? 0) + s.revenue;
}

function nullPoint(t: number, lanes: number): TrafficPoint {
  const p: TrafficPoint = {
    t,
    hits: null,
    lagP50: null,
    lagP95: null,
    botShare: null,
    errorShare: null,
    revenuePerMin: null,
  };
  for (let i = 0; i < lanes; i++) p[shardKey(i)] = null;
  return p;
}

function toPoint(t: number, b: Bucket, lanes: number): TrafficPoint {
  const n = b.seconds;
  const p: TrafficPoint = {
    t,
    hits: b.hits / n,
    lagP50: b.lagP50N ? b.lagP50Sum / b.lagP50N : null,
    lagP95: b.lagP95Max,
    botShare: b.botsKnownHits > 0 ? b.bots / b.botsKnownHits : null,
    errorShare: b.errorKnownHits > 0 ? b.errorPages / b.errorKnownHits : null,
    revenuePerMin: b.revenue === null ? null : (b.revenue / n) * 60,
  };
  for (let i = 0; i < lanes; i++) p[shardKey(i)] = (b.shards[i] ?? 0) / n;
  return p;
}

/**
 * Averages the window's seconds into buckets of `bucketS` seconds, aligned on multiples of
 * `bucketS` so buckets do not shift as the window slides. A bucket touching a gap is all null,
 * so lines break where the gap is shaded and an outage never reads as zero traffic.
 */
export function downsample(
  entries: readonly Stats[],
  gaps: readonly Gap[],
  options: { bucketS: number; startT: number; lanes: number },
): TrafficPoint[] {
  const { bucketS, startT, lanes } = options;
  const align = (t: number) => Math.floor(t / bucketS) * bucketS;
  const broken = new Set<number>();
  for (const gap of gaps) for (let b = align(gap.from); b <= gap.to; b += bucketS) broken.add(b);
  const buckets = new Map<number, Bucket>();
  for (const s of entries) {
    if (s.outage) continue;
    const key = align(s.t);
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = emptyBucket()));
    addSecond(bucket, s);
  }
  const firstData = entries[0]?.t;
  const firstGap = gaps[0]?.from;
  if (firstData === undefined) return [];
  const lastT = Math.max(entries.at(-1)!.t, gaps.at(-1)?.to ?? -Infinity);
  const points: TrafficPoint[] = [];
  for (let b = align(Math.min(firstData, firstGap ?? firstData)); b <= lastT; b += bucketS) {
    const t = Math.max(b, startT);
    const bucket = buckets.get(b);
    points.push(broken.has(b) || !bucket ? nullPoint(t, lanes) : toPoint(t, bucket, lanes));
  }
  return points;
}

/** Figures for the charts' captions and text alternatives, over the window's data seconds. */
export interface TrafficSummary {
  /** Seconds with data (outage seconds excluded). */
  dataSeconds: number;
  /** Seconds shaded as gaps. */
  gapSeconds: number;
  totalHits: number;
  /** Hits in the latest second, null when it is part of a gap (see `currentGap`) or there is none. */
  hitsNow: number | null;
  /** The gap the latest second belongs to: the stream has no data now, since `currentGap.from`. */
  currentGap: Gap | null;
  /** Mean hits/s over the data seconds. */
  hitsAvg: number | null;
  hitsPeak: number | null;
  /** Distinct hits per shard over the window (empty without `byShard`). */
  shardTotals: number[];
  /** Latest known lag percentiles, ms. */
  lagP50: number | null;
  lagP95: number | null;
  botShare: number | null;
  errorPages: number | null;
  errorShare: number | null;
  revenue: number | null;
}

export function summarise(entries: readonly Stats[], gaps: readonly Gap[]): TrafficSummary {
  const all = emptyBucket();
  let peak: number | null = null;
  let now: number | null = null;
  let lagP50: number | null = null;
  let lagP95: number | null = null;
  let anyShards = false;
  const lastT = entries.at(-1)?.t;
  const lastGap = gaps.at(-1);
  const currentGap = lastGap && lastT !== undefined && lastGap.to >= lastT ? lastGap : null;
  for (const s of entries) {
    if (s.outage) continue;
    addSecond(all, s);
    anyShards ||= s.byShard !== undefined;
    peak = Math.max(peak ?? 0, s.hits);
    now = s.hits;
    if (s.lagP50Ms !== undefined) lagP50 = s.lagP50Ms;
    if (s.lagP95Ms !== undefined) lagP95 = s.lagP95Ms;
  }
  return {
    dataSeconds: all.seconds,
    gapSeconds: gaps.reduce((sum, g) => sum + g.to - g.from + 1, 0),
    totalHits: all.hits,
    hitsNow: currentGap ? null : now,
    currentGap,
    hitsAvg: all.seconds ? all.hits / all.seconds : null,
    hitsPeak: peak,
    shardTotals: anyShards ? Array.from(all.shards, (n) => n ?? 0) : [],
    lagP50: currentGap ? null : lagP50,
    lagP95: currentGap ? null : lagP95,
    botShare: all.botsKnownHits > 0 ? all.bots / all.botsKnownHits : null,
    errorPages: all.errorSeen ? all.errorPages : null,
    errorShare: all.errorKnownHits > 0 ? all.errorPages / all.errorKnownHits : null,
    revenue: all.revenue,
  };
}

export type AxisFrom = 'window' | 'relay-start' | 'first-data';

/** Shortest span a chart draws, seconds: a relay up for five seconds still gets a readable minute. */
export const MIN_SPAN_S = 60;

/** Everything the time charts draw for one window. */
export interface TrafficView {
  /** First second on the x-axis: the window's start, or later when the relay started inside the window. */
  startT: number;
  endT: number;
  /**
   * Where the axis starts: the window's start; or, when the relay started inside the window, the
   * relay's start (`relay-start`) or, when stats from before a restart survived, the oldest of
   * them (`first-data`), instead of squeezing the data into the window's right edge.
   */
  axisFrom: AxisFrom;
  /**
   * First second the figures cover: `startT`, or the relay's start or first data second (the
   * axis shows at least {@link MIN_SPAN_S}, which can reach back before it).
   */
  coveredFromT: number;
  bucketS: number;
  /** Number of `shardN` keys in each point (0: the series has no per-shard breakdown). */
  lanes: number;
  points: TrafficPoint[];
  gaps: Gap[];
  summary: TrafficSummary;
}

/**
 * Where the x-axis starts: the window's start, unless the relay started after it; then the
 * relay's start (or the first data second, when stats from before a restart survived), never
 * less than {@link MIN_SPAN_S} before the end.
 */
export function axisStart(
  windowStartT: number,
  endT: number,
  options: { relayStartT?: number | undefined; firstDataT?: number | undefined; hasEarlier: boolean },
): number {
  const { relayStartT, firstDataT, hasEarlier } = options;
  if (hasEarlier || relayStartT === undefined || relayStartT <= windowStartT) return windowStartT;
  const from = Math.min(relayStartT, firstDataT ?? relayStartT);
  return Math.max(windowStartT, Math.min(from, endT - MIN_SPAN_S + 1));
}

/**
 * Windows, finds gaps, downsamples and summarises. `shardCount` is the configured number of
 * shards; the lanes are at least that many when the series carries `byShard`. `relayStartT`
 * (epoch s) is when the relay started: a window reaching further back starts there instead.
 */
export function buildTrafficView(
  series: readonly Stats[],
  options: { windowS: number; shardCount: number; maxPoints?: number; endT?: number; relayStartT?: number | undefined },
): TrafficView {
  const ordered = normaliseSeries(series);
  const windowed = windowSeries(ordered, options.windowS, options.endT);
  const { entries, endT, hasEarlier } = windowed;
  const startT = axisStart(windowed.startT, endT, {
    relayStartT: options.relayStartT,
    firstDataT: entries[0]?.t,
    hasEarlier,
  });
  const firstDataT = entries[0]?.t ?? Infinity;
  const relayStartT = options.relayStartT ?? startT;
  const axisFrom: AxisFrom =
    startT <= windowed.startT ? 'window' : firstDataT < relayStartT ? 'first-data' : 'relay-start';
  const gaps = findGaps(entries, hasEarlier ? startT : undefined);
  const widest = entries.reduce((max, s) => Math.max(max, s.byShard?.length ?? 0), 0);
  const lanes = widest > 0 ? Math.max(widest, options.shardCount) : 0;
  const bucketS = bucketSeconds(endT - startT + 1, options.maxPoints);
  return {
    startT,
    endT,
    axisFrom,
    coveredFromT: axisFrom === 'window' ? startT : Math.max(startT, Math.min(relayStartT, firstDataT)),
    bucketS,
    lanes,
    points: downsample(entries, gaps, { bucketS, startT, lanes }),
    gaps,
    summary: summarise(entries, gaps),
  };
}
