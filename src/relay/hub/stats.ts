import {
  MAX_STATS_WINDOW_S,
  TOP_WINDOWS_S,
  type Count,
  type HitSummary,
  type Stats,
  type Top,
} from '../../contract/index.ts';

/**
 * Per-second figures over every distinct hit (never the sampled feed), kept for an hour, and top
 * lists over sliding windows (1, 5, 15, 60 min) maintained as running totals: each second's
 * bucket is added to every window once and subtracted once when it leaves it.
 */

const DIMENSIONS = ['pages', 'countries', 'browsers', 'devices', 'events', 'errorPages'] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** Distinct keys a one-second bucket keeps per dimension; the rest are counted as "(other)". */
const MAX_KEYS_PER_BUCKET = 500;
const TOP_N = 10;
/** Lag samples kept per second for the percentiles (reservoir beyond this). */
const MAX_LAG_SAMPLES = 4096;

interface Bucket {
  hits: number;
  revenue: number;
  bots: number;
  counts: Record<Dimension, Map<string, number>>;
}

function emptyBucket(): Bucket {
  return {
    hits: 0,
    revenue: 0,
    bots: 0,
    counts: {
      pages: new Map(),
      countries: new Map(),
      browsers: new Map(),
      devices: new Map(),
      events: new Map(),
      errorPages: new Map(),
    },
  };
}

function bump(map: Map<string, number>, key: string | undefined, by = 1): void {
  if (!key) return;
  const current = map.get(key);
  if (current !== undefined) map.set(key, current + by);
  else if (map.size < MAX_KEYS_PER_BUCKET) map.set(key, by);
  else map.set('(other)', (map.get('(other)') ?? 0) + by);
}

function percentile(sorted: Float64Array, p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return Math.round(sorted[index]!);
}

function topOf(map: Map<string, number>): Count[] {
  return [...map]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP_N)
    .map(([key, count]) => ({ key, count }));
}

export class StatsCollector {
  private current = { hits: 0, duplicates: 0, malformed: 0, bytes: 0, bots: 0, errorPages: 0, revenue: 0 };
  private byShard: number[];
  private lags = new Float64Array(MAX_LAG_SAMPLES);
  private lagCount = 0;
  private lagSeen = 0;
  private bucket = emptyBucket();
  private readonly history: Stats[] = [];
  private readonly buckets: Bucket[] = [];
  private readonly windows = new Map<number, Bucket>(TOP_WINDOWS_S.map((w) => [w, emptyBucket()]));
  private streamingSeen = false;
  private downSeen = false;

  constructor(private readonly shards: number) {
    this.byShard = new Array<number>(shards).fill(0);
  }

  hit(summary: HitSummary): void {
    const c = this.current;
    c.hits++;
    this.byShard[summary.shard] = (this.byShard[summary.shard] ?? 0) + 1;
    if (summary.bot) c.bots++;
    if (summary.isErrorPage) c.errorPages++;
    if (summary.revenue) c.revenue += summary.revenue;
    if (summary.receivedTimeGMT !== undefined) this.lag(summary.arrivedAt - summary.receivedTimeGMT * 1000);
    const b = this.bucket;
    b.hits++;
    if (summary.bot) b.bots++;
    if (summary.revenue) b.revenue += summary.revenue;
    const page = summary.pageName ?? summary.pageURL;
    bump(b.counts.pages, page);
    bump(b.counts.countries, summary.geoCountry);
    bump(b.counts.browsers, summary.browser);
    bump(b.counts.devices, summary.operatingSystem);
    if (summary.events) for (const event of summary.events) bump(b.counts.events, event);
    if (summary.isErrorPage) bump(b.counts.errorPages, page ?? '(unknown page)');
  }

  duplicate(): void {
    this.current.duplicates++;
  }

  malformed(): void {
    this.current.malformed++;
  }

  bytes(n: number): void {
    this.current.bytes += n;
  }

  /** A shard streamed at some point of the current second (so it is not an outage). */
  streaming(): void {
    this.streamingSeen = true;
  }

  /** A shard was waiting or failed at some point of the current second. */
  down(): void {
    this.downSeen = true;
  }

  private lag(ms: number): void {
    this.lagSeen++;
    if (this.lagCount < MAX_LAG_SAMPLES) {
      this.lags[this.lagCount++] = ms;
    } else {
      const slot = Math.floor(Math.random() * this.lagSeen);
      if (slot < MAX_LAG_SAMPLES) this.lags[slot] = ms;
    }
  }

  /**
   * Closes second `t` (epoch seconds): returns its Stats, keeps it for the hour, slides the top
   * windows. `streamingNow` / `downNow` say whether a shard is streaming / waiting or failed as
   * the next second starts. An outage is a second with no hit, no shard streaming and a shard
   * down; a quiet stream, or the first connect after start, is not an outage.
   */
  tick(t: number, clients: number, streamingNow: boolean, downNow = !streamingNow): Stats {
    const c = this.current;
    const stats: Stats = {
      t,
      hits: c.hits,
      duplicates: c.duplicates,
      malformed: c.malformed,
      bytes: c.bytes,
      clients,
      byShard: this.byShard,
      outage: !this.streamingSeen && c.hits === 0 && this.downSeen,
      bots: c.bots,
      errorPages: c.errorPages,
      revenue: Math.round(c.revenue * 100) / 100,
    };
    if (this.lagCount > 0) {
      const sorted = this.lags.slice(0, this.lagCount).sort();
      stats.lagP50Ms = percentile(sorted, 0.5);
      stats.lagP95Ms = percentile(sorted, 0.95);
    }
    this.history.push(stats);
    if (this.history.length > MAX_STATS_WINDOW_S) this.history.shift();
    this.slide(this.bucket);
    this.current = { hits: 0, duplicates: 0, malformed: 0, bytes: 0, bots: 0, errorPages: 0, revenue: 0 };
    this.byShard = new Array<number>(this.shards).fill(0);
    this.lagCount = 0;
    this.lagSeen = 0;
    this.bucket = emptyBucket();
    this.streamingSeen = streamingNow;
    this.downSeen = downNow;
    return stats;
  }

  private slide(bucket: Bucket): void {
    this.buckets.push(bucket);
    for (const [windowS, total] of this.windows) {
      merge(total, bucket, 1);
      const leaving = this.buckets.length - 1 - windowS;
      if (leaving >= 0) merge(total, this.buckets[leaving]!, -1);
    }
    if (this.buckets.length > MAX_STATS_WINDOW_S) this.buckets.shift();
  }

  /** The last `windowS` seconds, oldest first. */
  series(windowS: number): Stats[] {
    return this.history.slice(-Math.max(0, Math.min(windowS, MAX_STATS_WINDOW_S)));
  }

  latest(): Stats | undefined {
    return this.history[this.history.length - 1];
  }

  top(windowS: number, at: number): Top | undefined {
    const total = this.windows.get(windowS);
    if (!total) return undefined;
    return {
      window: windowS,
      at,
      hits: total.hits,
      pages: topOf(total.counts.pages),
      countries: topOf(total.counts.countries),
      browsers: topOf(total.counts.browsers),
      devices: topOf(total.counts.devices),
      events: topOf(total.counts.events),
      revenue: Math.round(total.revenue * 100) / 100,
      bots: total.bots,
      errorPages: topOf(total.counts.errorPages),
    };
  }

  topAll(at: number): Top[] {
    return TOP_WINDOWS_S.map((w) => this.top(w, at)!);
  }
}

function merge(into: Bucket, from: Bucket, sign: 1 | -1): void {
  into.hits += sign * from.hits;
  into.revenue += sign * from.revenue;
  into.bots += sign * from.bots;
  for (const dimension of DIMENSIONS) {
    const target = into.counts[dimension];
    for (const [key, count] of from.counts[dimension]) {
      const next = (target.get(key) ?? 0) + sign * count;
      if (next > 0) target.set(key, next);
      else target.delete(key);
    }
  }
}
