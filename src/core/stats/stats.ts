import {
  HISTORY_TOP_CHARS,
  HISTORY_TOP_KEYS,
  LIVE_WINDOW_S,
  MAX_SUMMARY_STRING,
  NO_CURRENCY,
  TOP_WINDOWS_S,
  type Count,
  type HitSummary,
  type MinuteTop,
  type Stats,
  type Top,
} from '../../contract/index.ts';
import { roundCents } from '../ingest/summary.ts';
import { truncate } from '../upstream/error-body.ts';
import { AdobeClock } from './adobe-clock.ts';
import { QualityCounts, currencyKey, revenueRecord, suiteCounts } from './quality.ts';
import { ShardSpread } from './shard-spread.ts';

/**
 * Per-second figures over every distinct hit (never the sampled feed), kept for an hour, and top
 * lists over 1, 5, 15 and 60 minutes, in memory bounded in bytes whatever the records.
 *
 * - Each second counts its keys (pages, countries, …) in a bucket holding at most
 *   `SECOND_KEYS` keys and `SECOND_KEY_CHARS` characters of keys per dimension; a new key past
 *   either bound counts as "(other)". Frequent keys are seen early in a second, so only the
 *   long tail ever lands there.
 * - The 1-minute list is exact over the last 60 closed seconds (the seconds' buckets, added to
 *   a running total as they close and subtracted as they leave).
 * - When a minute is over, its seconds are folded into one minute bucket that keeps its top
 *   `MINUTE_KEYS` keys per dimension (within `MINUTE_KEY_CHARS` characters) plus "(other)", and
 *   the seconds' keys are let go. The 5-, 15- and 60-minute lists add up their last 4, 14 or 59
 *   whole minutes (running totals) and the current partial minute: they cover between the
 *   window less 59 s and the whole window, never more.
 *
 * Keys are summary strings, already cut to `MAX_SUMMARY_STRING` characters. Whatever the
 * records, what this holds stays under `STATS_MAX_BYTES` (derivation at the constant).
 *
 * Beside the lists, every span keeps the stream's quality (`quality.ts`: excluded, truncated and
 * timestamped hits, lag against Adobe's 20 s–5 min band, revenue per currency, report suites),
 * and the shard spread (`shard-spread.ts`) follows the same windows. Excluded hits (Adobe's
 * `exclude.value` "yes") are counted there and in `Stats.hits`, never in a list.
 */

const DIMENSIONS = ['pages', 'countries', 'browsers', 'devices', 'events', 'errorPages'] as const;
const PAGES = 0;
const COUNTRIES = 1;
const BROWSERS = 2;
const DEVICES = 3;
const EVENTS = 4;
const ERROR_PAGES = 5;

/**
 * Distinct keys a one-second bucket keeps, per dimension (pages, countries, browsers, devices,
 * events, error pages); a new key past the bound counts as "(other)". Pages have the long tail;
 * there are ~250 countries and a few dozen browsers and systems in any second.
 */
export const SECOND_KEYS = [500, 100, 100, 100, 200, 100] as const;
/** Characters of keys a one-second bucket keeps, per dimension (500 page names of 32 characters). */
export const SECOND_KEY_CHARS = [16_384, 4_096, 4_096, 4_096, 4_096, 4_096] as const;
/** Keys a folded minute keeps per dimension (its most frequent), the rest as "(other)". */
export const MINUTE_KEYS = [100, 50, 50, 50, 50, 50] as const;
/** Characters of keys a folded minute keeps per dimension. */
export const MINUTE_KEY_CHARS = [8_192, 2_048, 2_048, 2_048, 2_048, 2_048] as const;

/**
 * Upper bound of the heap the collector's buckets and totals hold, whatever the records: 34 MiB.
 * A key is a string of at most 24 + 2 × length bytes (header, UTF-16), an entry of a map at most
 * 56 bytes (V8's ordered hash map just after it doubled). Summed over the six dimensions, with
 * every bound reached at once:
 * - 61 second buckets (60 kept and the open one), each at most 1,100 keys and 36,864 characters
 *   (+ "(other)" per dimension): 1,100 × 24 + 2 × 36,864 + 1,106 × 56 ≈ 162 KB, ≈ 9.9 MB;
 * - the last-minute and partial-minute totals: 2 × 60 × 1,106 entries ≈ 7.4 MB, and the
 *   last-minute total may hold its own copy of every key (an equal key from an earlier second):
 *   60 × 100 KB ≈ 6.0 MB;
 * - 60 minute buckets, each at most 350 keys and 18,432 characters: ≈ 65 KB, ≈ 3.9 MB;
 * - the 5/15/60-minute totals: (4 + 14 + 59) × 356 entries ≈ 1.5 MB, and their own copies of
 *   keys ≤ 59 × 45 KB ≈ 2.7 MB;
 * - the stream's quality (`QualityCounts`) of each second and minute: at most 17 report suites
 *   in 2,048 characters, 17 currencies, a 122-bucket lag histogram ≈ 8.1 KB, × 121 ≈ 1.0 MB; of
 *   the five running totals, each up to 60 spans' keys and their own copies ≈ 385 KB, ≈ 1.9 MB;
 * - the shard spread: 70 HyperLogLogs of 1 KiB per shard, 573 KB for 8 shards.
 * Total ≈ 34.9 MB; `stats.test.ts` floods every dimension and checks the heap against it
 * (measured: ≈ 21 MiB).
 */
export const STATS_MAX_BYTES = 34 * 1024 * 1024;

const TOP_N = 10;
/** Currencies whose purchases are counted for the main currency (a hostile stream sends many). */
const MAX_CURRENCIES_SEEN = 64;
/** Lag samples kept per second for the percentiles (reservoir beyond this). */
const MAX_LAG_SAMPLES = 4096;
const OTHER = '(other)';

type CountMaps = [
  Map<string, number>,
  Map<string, number>,
  Map<string, number>,
  Map<string, number>,
  Map<string, number>,
  Map<string, number>,
];

function countMaps(): CountMaps {
  const map = () => new Map<string, number>();
  return [map(), map(), map(), map(), map(), map()];
}

/** Counts over some span: a second, a minute, a window. */
class Totals {
  /** Traffic hits: excluded ones are only counted in `quality`. */
  hits = 0;
  bots = 0;
  readonly counts: CountMaps = countMaps();
  /** Excluded, truncated, timestamped hits, lag against Adobe's band, revenue per currency, report suites. */
  quality = new QualityCounts();

  /** Adds (`sign` 1) or takes away (-1) another span's counts; a key at zero is deleted. */
  merge(from: Totals, sign: 1 | -1): void {
    this.hits += sign * from.hits;
    this.bots += sign * from.bots;
    this.quality.merge(from.quality, sign);
    for (let d = 0; d < DIMENSIONS.length; d++) {
      const target = this.counts[d]!;
      for (const [key, count] of from.counts[d]!) {
        const next = (target.get(key) ?? 0) + sign * count;
        if (next > 0) target.set(key, next);
        else target.delete(key);
      }
    }
  }
}

/** One second: keys bounded in number and characters per dimension. */
class SecondBucket extends Totals {
  /** The second it was closed as (epoch seconds). */
  t = 0;
  private readonly chars = [0, 0, 0, 0, 0, 0];

  bump(d: number, key: string | undefined): void {
    if (!key) return;
    const map = this.counts[d]!;
    const current = map.get(key);
    if (current !== undefined) {
      map.set(key, current + 1);
      return;
    }
    // Summaries are cut already; a caller that did not cut (a test, the mocks) is cut here.
    if (key.length > MAX_SUMMARY_STRING) {
      this.bump(d, truncate(key, MAX_SUMMARY_STRING));
      return;
    }
    if (map.size < SECOND_KEYS[d]! && this.chars[d]! + key.length <= SECOND_KEY_CHARS[d]!) {
      map.set(key, 1);
      this.chars[d]! += key.length;
    } else map.set(OTHER, (map.get(OTHER) ?? 0) + 1);
  }
}

/** A minute folded: its top keys per dimension, the rest as "(other)". */
class MinuteBucket extends Totals {
  constructor(
    readonly minute: number,
    partial: Totals,
  ) {
    super();
    this.hits = partial.hits;
    this.bots = partial.bots;
    this.quality = QualityCounts.folded(partial.quality);
    for (let d = 0; d < DIMENSIONS.length; d++) {
      const source = partial.counts[d]!;
      const kept = this.counts[d]!;
      let other = source.get(OTHER) ?? 0;
      let chars = 0;
      const ranked = [...source].sort(byCountThenKey);
      for (const [key, count] of ranked) {
        if (key === OTHER) continue;
        if (kept.size < MINUTE_KEYS[d]! && chars + key.length <= MINUTE_KEY_CHARS[d]!) {
          kept.set(key, count);
          chars += key.length;
        } else other += count;
      }
      if (other > 0) kept.set(OTHER, other);
    }
  }
}

/** The lists of `MinuteTop` in `DIMENSIONS` order. */
export const MINUTE_TOP_LISTS = ['pages', 'countries', 'browsers', 'devices', 'events', 'errorPages'] as const;

/**
 * The `keys` most counted entries of `counts` whose keys fit in `chars` characters together, most
 * first (ties by key), the rest summed as "(other)" last.
 */
export function keepTop(counts: Iterable<[string, number]>, keys: number, chars: number): [string, number][] {
  const kept: [string, number][] = [];
  let other = 0;
  let used = 0;
  for (const [key, count] of [...counts].sort(byCountThenKey)) {
    if (key !== OTHER && kept.length < keys && used + key.length <= chars) {
      kept.push([key, count]);
      used += key.length;
    } else other += count;
  }
  if (other > 0) kept.push([OTHER, other]);
  return kept;
}

/** A folded minute as the history keeps it: `HISTORY_TOP_KEYS` keys within `HISTORY_TOP_CHARS` per list. */
function minuteTopOf(bucket: MinuteBucket): MinuteTop {
  const lists = MINUTE_TOP_LISTS.map((_, d) => keepTop(bucket.counts[d]!, HISTORY_TOP_KEYS, HISTORY_TOP_CHARS[d]!));
  return minuteTopFrom(bucket.minute * 60, bucket.hits, bucket.bots, lists);
}

/** A `MinuteTop` from its lists in `MINUTE_TOP_LISTS` order. */
export function minuteTopFrom(t: number, hits: number, bots: number, lists: [string, number][][]): MinuteTop {
  return {
    t,
    hits,
    bots,
    pages: lists[0]!,
    countries: lists[1]!,
    browsers: lists[2]!,
    devices: lists[3]!,
    events: lists[4]!,
    errorPages: lists[5]!,
  };
}

/** A window of whole minutes (plus the partial one when read). */
interface MinuteWindow {
  minutes: number;
  total: Totals;
  /** The minute buckets in `total`, oldest first. */
  included: MinuteBucket[];
}

function byCountThenKey(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

function percentile(sorted: Float64Array, p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return Math.round(sorted[index]!);
}

/** The `TOP_N` largest counts of `a` + `b` (either may lack a key), without sorting everything. */
/** The `TOP_N` most counted keys of `a` (plus `b`'s counts), largest first, ties by key. */
export function topOf(a: Map<string, number>, b: Map<string, number> | undefined): Count[] {
  const best: Count[] = [];
  for (const [key, count] of a) offer(best, key, count + (b?.get(key) ?? 0));
  if (b) for (const [key, count] of b) if (!a.has(key)) offer(best, key, count);
  return best;
}

/** Puts a count into `best` (at most `TOP_N`, largest first, ties by key) if it belongs there. */
function offer(best: Count[], key: string, count: number): void {
  let i = best.length;
  if (i === TOP_N) {
    const last = best[TOP_N - 1]!;
    if (count < last.count || (count === last.count && key > last.key)) return;
    i--;
  }
  while (i > 0 && (best[i - 1]!.count < count || (best[i - 1]!.count === count && best[i - 1]!.key > key))) {
    best[i] = best[i - 1]!;
    i--;
  }
  best[i] = { key, count };
}

/** Not-streaming states a second of no data is attributed to, mildest first. */
export const DOWN_STATES = ['stalled', 'waiting', 'failed'] as const;
export type DownState = (typeof DOWN_STATES)[number];

/** The worse of two down states: `failed` over `waiting` over `stalled`. */
export function worstDown(a: DownState | undefined, b: DownState | undefined): DownState | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return DOWN_STATES.indexOf(a) >= DOWN_STATES.indexOf(b) ? a : b;
}

export class StatsCollector {
  private current = { hits: 0, duplicates: 0, malformed: 0, bytes: 0, bots: 0, errorPages: 0 };
  private byShard: number[];
  private lags = new Float64Array(MAX_LAG_SAMPLES);
  private lagCount = 0;
  private lagSeen = 0;
  private bucket = new SecondBucket();
  private readonly history: Stats[] = [];
  /** The closed seconds of the last minute, oldest first, and their total. */
  private readonly seconds: SecondBucket[] = [];
  private readonly lastMinute = new Totals();
  /** The seconds closed so far in the current minute. */
  private partial = new Totals();
  private partialMinute: number | undefined;
  private readonly minuteWindows = new Map<number, MinuteWindow>(
    TOP_WINDOWS_S.filter((w) => w > 60).map((w) => [w, { minutes: w / 60, total: new Totals(), included: [] }]),
  );
  private streamingSeen = false;
  /** The worst not-streaming state a shard was in during the current second (see {@link DOWN_RANK}). */
  private downSeen: DownState | undefined;

  /** Hits and distinct visitors per shard over the top lists' windows. */
  private readonly spread: ShardSpread;
  /** Purchases with revenue per currency since start (at most `MAX_CURRENCIES_SEEN`), and the most frequent. */
  private readonly purchasesByCurrency = new Map<string, number>();
  private mainCurrency: string | undefined;

  /** The site's traffic on Adobe's clock and what became of each outage. */
  readonly adobe: AdobeClock;

  /** Called with each minute's top lists as the minute is folded (the history keeps them). */
  onMinute: ((top: MinuteTop) => void) | undefined;

  constructor(
    private readonly shards: number,
    now: () => number = () => Date.now(),
    outageIdPrefix?: string,
  ) {
    this.adobe = new AdobeClock(now, outageIdPrefix);
    this.byShard = new Array<number>(shards).fill(0);
    this.spread = new ShardSpread(shards, TOP_WINDOWS_S);
  }

  /**
   * One distinct hit; `visitor` is its visitor's hash (`visitorHashOf`), for the shard spread.
   * Excluded hits count in `hits`, the lag and the stream's quality, never in the top lists.
   */
  hit(summary: HitSummary, visitor?: number): void {
    const c = this.current;
    c.hits++;
    this.byShard[summary.shard] = (this.byShard[summary.shard] ?? 0) + 1;
    this.spread.hit(summary.shard, visitor);
    let lagMs: number | undefined;
    if (summary.receivedTimeGMT !== undefined) {
      lagMs = summary.arrivedAt - summary.receivedTimeGMT * 1000;
      this.lag(lagMs);
    }
    this.adobe.hit(summary.shard, summary.receivedTimeGMT);
    const b = this.bucket;
    b.quality.add(summary, lagMs);
    if (summary.revenue && !summary.excluded) this.notePurchase(summary.currency);
    if (summary.excluded) return;
    if (summary.bot) c.bots++;
    if (summary.isErrorPage) c.errorPages++;
    b.hits++;
    if (summary.bot) b.bots++;
    const page = summary.pageName ?? summary.pageURL;
    b.bump(PAGES, page);
    b.bump(COUNTRIES, summary.geoCountry);
    b.bump(BROWSERS, summary.browser);
    b.bump(DEVICES, summary.device ?? summary.operatingSystem);
    if (summary.events) for (const event of summary.events) b.bump(EVENTS, event);
    if (summary.isErrorPage) b.bump(ERROR_PAGES, page ?? '(unknown page)');
  }

  duplicate(n = 1): void {
    this.current.duplicates += n;
  }

  malformed(n = 1): void {
    this.current.malformed += n;
  }

  bytes(n: number): void {
    this.current.bytes += n;
  }

  /** A shard streamed at some point of the current second (so it is not an outage). */
  streaming(): void {
    this.streamingSeen = true;
  }

  /** A shard was stalled, waiting or failed at some point of the current second. */
  down(state: DownState): void {
    this.downSeen = worstDown(this.downSeen, state);
  }

  /** The main currency is the one most purchases with revenue came in, since start. */
  private notePurchase(currency: string | undefined): void {
    const key = currencyKey(currency);
    const count = this.purchasesByCurrency.get(key);
    if (count === undefined && this.purchasesByCurrency.size >= MAX_CURRENCIES_SEEN) return;
    const next = (count ?? 0) + 1;
    this.purchasesByCurrency.set(key, next);
    const main = this.mainCurrency;
    if (main === undefined || (key !== main && next > (this.purchasesByCurrency.get(main) ?? 0)))
      this.mainCurrency = key;
  }

  /** Revenue in the main currency, rounded to cents. */
  private mainRevenue(a: QualityCounts, b?: QualityCounts): number {
    const main = this.mainCurrency;
    if (main === undefined) return 0;
    return roundCents((a.revenue.get(main) ?? 0) + (b?.revenue.get(main) ?? 0));
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
   * windows. `streamingNow` / `downNow` say whether a shard is streaming / the worst state a
   * shard is down in as the next second starts. An outage is a second with no hit, no shard
   * streaming and a shard down (stalled, waiting or failed), and says which (`outageState`); a
   * quiet stream, or the first connect after start, is not an outage.
   */
  tick(t: number, clients: number, streamingNow: boolean, downNow?: DownState): Stats {
    const outage = !this.streamingSeen && this.current.hits === 0 && this.downSeen !== undefined;
    const c = this.current;
    const stats: Stats = {
      t,
      hits: c.hits,
      duplicates: c.duplicates,
      malformed: c.malformed,
      bytes: c.bytes,
      clients,
      byShard: this.byShard,
      outage,
      bots: c.bots,
      errorPages: c.errorPages,
      revenue: this.mainRevenue(this.bucket.quality),
    };
    this.addQuality(stats, this.bucket.quality);
    if (outage) stats.outageState = this.downSeen;
    if (this.lagCount > 0) {
      const sorted = this.lags.slice(0, this.lagCount).sort();
      stats.lagP50Ms = percentile(sorted, 0.5);
      stats.lagP95Ms = percentile(sorted, 0.95);
    }
    this.history.push(stats);
    if (this.history.length > LIVE_WINDOW_S) this.history.shift();
    this.spread.tick(t);
    this.slide(t, this.bucket);
    this.current = { hits: 0, duplicates: 0, malformed: 0, bytes: 0, bots: 0, errorPages: 0 };
    this.byShard = new Array<number>(this.shards).fill(0);
    this.lagCount = 0;
    this.lagSeen = 0;
    this.bucket = new SecondBucket();
    this.streamingSeen = streamingNow;
    this.downSeen = downNow;
    return stats;
  }

  /** The stream's quality of a second (or a window) as `Stats` / `Top` fields. */
  private addQuality(into: Stats | Top, q: QualityCounts, other?: QualityCounts): void {
    const main = this.mainCurrency;
    if (main !== undefined && main !== NO_CURRENCY) into.currency = main;
    const byCurrency = revenueRecord(q.revenue, other?.revenue);
    if (byCurrency) into.revenueByCurrency = byCurrency;
    into.purchases = q.purchases + (other?.purchases ?? 0);
    into.excluded = q.excluded + (other?.excluded ?? 0);
    into.truncated = q.truncated + (other?.truncated ?? 0);
    into.timestamped = q.timestamped + (other?.timestamped ?? 0);
    into.lagged = q.lagged + (other?.lagged ?? 0);
    into.lagBelowBand = q.lagBelowBand + (other?.lagBelowBand ?? 0);
    into.lagAboveBand = q.lagAboveBand + (other?.lagAboveBand ?? 0);
  }

  /** Second `t` closed with `bucket`: the minute it starts may fold the last one; windows slide. */
  private slide(t: number, bucket: SecondBucket): void {
    bucket.t = t;
    const minute = Math.floor(t / 60);
    if (this.partialMinute !== minute) {
      if (this.partialMinute !== undefined) this.fold(new MinuteBucket(this.partialMinute, this.partial), minute);
      this.partial = new Totals();
      this.partialMinute = minute;
    }
    this.partial.merge(bucket, 1);
    // Seconds are closed in order; a second never closed (a late timer) simply has no bucket.
    this.seconds.push(bucket);
    this.lastMinute.merge(bucket, 1);
    while (this.seconds[0]!.t <= t - 60) this.lastMinute.merge(this.seconds.shift()!, -1);
    for (const window of this.minuteWindows.values()) {
      // Whole minutes from `minute - (minutes - 1)` on; the current one is the partial.
      while (window.included.length > 0 && window.included[0]!.minute <= minute - window.minutes) {
        window.total.merge(window.included.shift()!, -1);
      }
    }
  }

  private fold(folded: MinuteBucket, minute: number, fresh = true): void {
    if (fresh) this.onMinute?.(minuteTopOf(folded));
    for (const window of this.minuteWindows.values()) {
      if (folded.minute <= minute - window.minutes) continue;
      window.included.push(folded);
      window.total.merge(folded, 1);
    }
  }

  /**
   * What an earlier run left (the history store): its last hour of seconds, for `series`, and its
   * minutes' top lists, for the 5/15/60-minute windows (their hits, bots and lists; the stream's
   * quality of a restored minute is not kept, its seconds have it). Called once, before any tick.
   */
  restore(seconds: readonly Stats[], tops: readonly MinuteTop[]): void {
    this.history.push(...seconds.slice(-LIVE_WINDOW_S));
    const last = tops[tops.length - 1];
    if (last === undefined) return;
    const minute = Math.floor(last.t / 60) + 1;
    for (const top of tops) {
      const totals = new Totals();
      totals.hits = top.hits;
      totals.bots = top.bots;
      MINUTE_TOP_LISTS.forEach((list, d) => {
        for (const [key, count] of top[list]) totals.counts[d]!.set(key, count);
      });
      this.fold(new MinuteBucket(Math.floor(top.t / 60), totals), minute, false);
    }
  }

  /** The last `windowS` seconds, oldest first. */
  series(windowS: number): Stats[] {
    return this.history.slice(-Math.max(0, Math.min(windowS, LIVE_WINDOW_S)));
  }

  latest(): Stats | undefined {
    return this.history[this.history.length - 1];
  }

  top(windowS: number, at: number): Top | undefined {
    let total: Totals;
    let partial: Totals | undefined;
    if (windowS === 60) total = this.lastMinute;
    else {
      const window = this.minuteWindows.get(windowS);
      if (!window) return undefined;
      total = window.total;
      partial = this.partial;
    }
    const list = (d: number) => topOf(total.counts[d]!, partial?.counts[d]);
    const q = total.quality;
    const pq = partial?.quality;
    const top: Top = {
      window: windowS,
      at,
      hits: total.hits + (partial?.hits ?? 0),
      pages: list(PAGES),
      countries: list(COUNTRIES),
      browsers: list(BROWSERS),
      devices: list(DEVICES),
      events: list(EVENTS),
      revenue: this.mainRevenue(q, pq),
      bots: total.bots + (partial?.bots ?? 0),
      errorPages: list(ERROR_PAGES),
    };
    this.addQuality(top, q, pq);
    const p50 = q.lagPercentile(0.5, pq);
    if (p50 !== undefined) {
      top.lagP50Ms = p50;
      top.lagP95Ms = q.lagPercentile(0.95, pq)!;
    }
    top.reportSuites = suiteCounts(q.reportSuites, pq?.reportSuites);
    const shards = this.spread.read(windowS);
    if (shards) top.shards = shards;
    return top;
  }

  topAll(at: number): Top[] {
    return TOP_WINDOWS_S.map((w) => this.top(w, at)!);
  }

  /**
   * What the buckets and totals hold: map entries and key characters, every map counted on its
   * own (a key shared by several maps counts in each, so this over-counts). For tests and
   * metrics.
   */
  footprint(): { entries: number; keyChars: number } {
    let entries = 0;
    let keyChars = 0;
    const add = (totals: Totals) => {
      for (const map of totals.counts) {
        entries += map.size;
        for (const key of map.keys()) keyChars += key.length;
      }
    };
    add(this.bucket);
    for (const second of this.seconds) add(second);
    add(this.lastMinute);
    add(this.partial);
    const minutes = new Set<MinuteBucket>();
    for (const window of this.minuteWindows.values()) {
      add(window.total);
      for (const bucket of window.included) minutes.add(bucket);
    }
    for (const bucket of minutes) add(bucket);
    return { entries, keyChars };
  }
}
