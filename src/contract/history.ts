import { z } from 'zod';
import { OutageSchema } from './stats.ts';

/**
 * Extension: the relay's history (docs/api.md, "History"). The relay keeps aggregates, never hits:
 * one `Stats` per second for `SECONDS_KEPT_S`, one `HistoryMinute` per minute and the minute's top
 * lists for `MINUTES_KEPT_S`, the outages for as long. The Node host keeps them in `DATA_DIR`
 * (SQLite), so they survive a restart; the mock host keeps them in memory.
 */

/** Per-second `Stats` are kept this long (a day and an hour: "the same time yesterday" still has seconds). */
export const SECONDS_KEPT_S = 25 * 3600;
/** Per-minute aggregates and top lists are kept this long (30 days). */
export const MINUTES_KEPT_S = 30 * 86_400;
/** Longest `window` of `GET /api/history` and `GET /api/history/top`. */
export const MAX_HISTORY_WINDOW_S = MINUTES_KEPT_S;
/** Most buckets `GET /api/history` answers with (`points`), and its default. */
export const MAX_HISTORY_POINTS = 2_000;
export const DEFAULT_HISTORY_POINTS = 720;
/** Keys kept per top list and minute in the history (the rest count as "(other)"). */
export const HISTORY_TOP_KEYS = 25;
/**
 * Characters of keys kept per list and minute, in `MinuteTop` order (pages, countries, browsers,
 * devices, events, error pages): with the key bound, what a minute's lists can hold whatever the
 * records (an hour's lists keep twice as many keys and characters). Keys past it count as "(other)".
 */
export const HISTORY_TOP_CHARS = [1024, 512, 512, 512, 512, 512] as const;

/**
 * A span of seconds summed: a minute of the store, or one bucket of `GET /api/history`. Counts are
 * sums; `hitsMin`/`hitsMax` are the lowest and highest hits of one second within it (so a spike and
 * a gap survive any downsampling); lag percentiles are the worst second's (p95) and the median
 * second's (p50); `clients` the most seen.
 */
export const HistoryBucketSchema = z.looseObject({
  /** Epoch seconds: the bucket's start. */
  t: z.int(),
  /** Seconds of the bucket the relay recorded (fewer than the step: the relay was not running for the rest). */
  seconds: z.int().nonnegative(),
  hits: z.int().nonnegative(),
  hitsMin: z.int().nonnegative(),
  hitsMax: z.int().nonnegative(),
  duplicates: z.int().nonnegative(),
  malformed: z.int().nonnegative(),
  bytes: z.int().nonnegative(),
  clients: z.int().nonnegative(),
  lagP50Ms: z.int().optional(),
  lagP95Ms: z.int().optional(),
  /** Seconds in an outage (no shard streaming), and the worst state of them (`Stats.outageState`). */
  outageS: z.int().nonnegative(),
  outageState: z.string().optional(),
  bots: z.int().nonnegative().optional(),
  errorPages: z.int().nonnegative().optional(),
  /** Revenue in the relay's main currency (`Stats.revenue`), purchases and excluded hits, summed. */
  revenue: z.number().optional(),
  purchases: z.int().nonnegative().optional(),
  excluded: z.int().nonnegative().optional(),
});
export type HistoryBucket = z.output<typeof HistoryBucketSchema>;

/** The store's per-minute aggregate: a `HistoryBucket` of one minute. */
export type HistoryMinute = HistoryBucket;

/** `[key, count]` pairs, most hits first, "(other)" last when some were cut. */
const PairsSchema = z.array(z.tuple([z.string(), z.int().nonnegative()]));

/** One minute's top lists as the store keeps them (`HISTORY_TOP_KEYS` per list). */
export const MinuteTopSchema = z.looseObject({
  /** Epoch seconds: the minute's start. */
  t: z.int(),
  /** Traffic hits (excluded ones left out) and bots, as `Top`. */
  hits: z.int().nonnegative(),
  bots: z.int().nonnegative(),
  pages: PairsSchema,
  countries: PairsSchema,
  browsers: PairsSchema,
  devices: PairsSchema,
  events: PairsSchema,
  errorPages: PairsSchema,
});
export type MinuteTop = z.output<typeof MinuteTopSchema>;

/** `GET /api/history?window=S&points=N&end=T`. */
export const HistoryResponseSchema = z.looseObject({
  /** The span asked for, in seconds, ending at `end` (epoch s, exclusive). */
  window: z.int().positive(),
  end: z.int(),
  /** Seconds per bucket: a whole number of seconds below a minute, of minutes from there on. */
  step: z.int().positive(),
  /** `second` when built from per-second Stats, `minute` from the per-minute aggregates. */
  resolution: z.enum(['second', 'minute']),
  /** Buckets with data, oldest first (a bucket the relay recorded nothing in is absent: a gap). */
  buckets: z.array(HistoryBucketSchema),
  /** Outages that overlap the span, oldest first, with their verdicts. */
  outages: z.array(OutageSchema),
});
export type HistoryResponse = z.output<typeof HistoryResponseSchema>;
