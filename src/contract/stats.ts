import { z } from 'zod';

/**
 * Extension: the figures Adobe's 2026 docs say to watch, the same in a second's `Stats` and a
 * window's `Top`. One difference: a second's `hits` counts its excluded hits, a window's `hits`
 * leaves them out (its lists are traffic); `truncated` and `timestamped` are of all hits either way.
 */
const QualityFields = {
  /** The currency `revenue` is in (ISO 4217): the one most purchases came in since the relay started. */
  currency: z.string().optional(),
  /**
   * Revenue per currency (ISO 4217 code → major unit, rounded to cents), set when the
   * second had revenue. `XXX` (ISO 4217's "no currency"): hits without a readable `currency`.
   */
  revenueByCurrency: z.record(z.string(), z.number()).optional(),
  /** Purchase hits (a `purchaseId`, or the `purchase` event), excluded ones left out. */
  purchases: z.int().nonnegative().optional(),
  /** Hits Adobe excluded from reporting (`exclude.value` "yes"); not traffic. */
  excluded: z.int().nonnegative().optional(),
  /** Hits Adobe marked incomplete (`truncated`). */
  truncated: z.int().nonnegative().optional(),
  /**
   * Timestamped hits: `receivedTimeGMT` more than `TIMESTAMPED_AFTER_S` after
   * `timeGMT` (the hit carried its own, older timestamp: offline or batched collection).
   */
  timestamped: z.int().nonnegative().optional(),
  /** Hits with a lag (they carry `receivedTimeGMT`): the base of the two shares below. */
  lagged: z.int().nonnegative().optional(),
  /** Hits whose lag was below Adobe's band (under `ADOBE_LAG_BAND_MS.min`). */
  lagBelowBand: z.int().nonnegative().optional(),
  /** Hits whose lag was beyond Adobe's band (over `ADOBE_LAG_BAND_MS.max`): late data. */
  lagAboveBand: z.int().nonnegative().optional(),
};

/** One second of relay activity (docs/api.md, "Routes"), computed over every hit, never a sample. */
export const StatsSchema = z.looseObject({
  /** Epoch seconds. */
  t: z.int(),
  /** Distinct hits that arrived in this second. */
  hits: z.int().nonnegative(),
  duplicates: z.int().nonnegative(),
  malformed: z.int().nonnegative(),
  /** Relay arrival time − `receivedTimeGMT`. */
  lagP50Ms: z.int().optional(),
  lagP95Ms: z.int().optional(),
  /** Compressed bytes read from upstream. */
  bytes: z.int().nonnegative(),
  /** SSE subscribers connected at the end of the second. */
  clients: z.int().nonnegative(),
  /** Extension: distinct hits per shard (index = shard). */
  byShard: z.array(z.int().nonnegative()).optional(),
  /** Extension: no shard was streaming during this second (an outage, not zero traffic). */
  outage: z.boolean().optional(),
  /**
   * Extension, with `outage`: the worst state a shard was in during it — `failed` (retrying cannot
   * fix it), `waiting` (the reconnect wait) or `stalled` (connected, but not a byte for half the
   * stall timeout). Other values may come: show them as they are.
   */
  outageState: z.string().optional(),
  /** Extension: hits flagged as bots (excluded hits left out). */
  bots: z.int().nonnegative().optional(),
  /** Extension: hits on error pages (excluded hits left out). */
  errorPages: z.int().nonnegative().optional(),
  /**
   * Extension: revenue of the second's purchase hits in `currency` (the relay's main currency),
   * major unit, rounded to cents; the other currencies are only in `revenueByCurrency`. On a
   * single-currency site this is all of it. Never counts excluded hits.
   */
  revenue: z.number().optional(),
  ...QualityFields,
});
export type Stats = z.output<typeof StatsSchema>;

/**
 * Adobe's documented latency from collection to the stream: "between 20 seconds and 5 minutes"
 * (Livestream FAQ). Lag here is the relay's arrival time − `receivedTimeGMT`.
 */
export const ADOBE_LAG_BAND_MS = { min: 20_000, max: 300_000 } as const;

/** A hit received this many seconds or more after its `timeGMT` counts as timestamped. */
export const TIMESTAMPED_AFTER_S = 60;

/** ISO 4217's code for "no currency": the key of revenue from hits without a readable `currency`. */
export const NO_CURRENCY = 'XXX';

/** `GET /api/stats?window=S`. */
export const StatsResponseSchema = z.looseObject({ series: z.array(StatsSchema) });
export type StatsResponse = z.output<typeof StatsResponseSchema>;

/**
 * Longest `window` of `GET /api/stats`, in seconds (a day): the last `LIVE_WINDOW_S` come from
 * memory, the rest from the history store (src/contract/history.ts), so they survive a restart.
 */
export const MAX_STATS_WINDOW_S = 86_400;

/** Seconds the relay holds in memory for the live charts: stats, traffic on Adobe's clock, outages. */
export const LIVE_WINDOW_S = 3600;

/**
 * Extension: the site's traffic on Adobe's clock — distinct hits counted in the second of their
 * `receivedTimeGMT` (when Adobe received them), not when they reached the relay. A hit that comes
 * late (the backlog Adobe resends after a reconnect) fills the second it belongs to.
 */
export const TrafficSecondSchema = z.looseObject({
  /** Epoch seconds (Adobe's `receivedTimeGMT`). */
  t: z.int(),
  hits: z.int().nonnegative(),
});
export type TrafficSecond = z.output<typeof TrafficSecondSchema>;

/**
 * What became of a shard's outage: `open` while it lasts; `recovering` while the backlog of a
 * short one arrives; `recovered` once it has (`lateHits` of the gap came back); `probably-lost`
 * when the shard resumed after more than Adobe's few-minute resume window.
 */
export const OUTAGE_VERDICTS = ['open', 'recovering', 'recovered', 'probably-lost'] as const;

/** Extension: one outage of one shard's stream, on the relay's clock. */
export const OutageSchema = z.looseObject({
  id: z.string(),
  shard: z.int().nonnegative(),
  /** Epoch ms: the shard stopped streaming. */
  from: z.number(),
  /** Epoch ms: the shard streamed again (absent while the outage lasts). */
  to: z.number().optional(),
  /** Hits received after `to` that Adobe had received before it: the gap's backlog. */
  lateHits: z.int().nonnegative(),
  verdict: z.string(),
  /** One line for an operator, e.g. "recovered: 1,204 hits of the 4-minute gap arrived late". */
  summary: z.string(),
});
export type Outage = z.output<typeof OutageSchema>;

/** Extension: `GET /api/traffic?window=S`, and the `traffic` SSE event (the seconds that changed). */
export const TrafficSchema = z.looseObject({
  /** Seconds on Adobe's clock, oldest first (the event carries only those that changed). */
  seconds: z.array(TrafficSecondSchema),
  /** Outages of the last hour, oldest first (the event carries them when one changed). */
  outages: z.array(OutageSchema).optional(),
});
export type Traffic = z.output<typeof TrafficSchema>;

const CountSchema = z.looseObject({ key: z.string(), count: z.int().nonnegative() });
export type Count = z.output<typeof CountSchema>;

/**
 * Extension: top lists over a sliding window, computed by the relay over every hit.
 * `GET /api/top?window=S` and the `top` SSE event.
 */
export const TopSchema = z.looseObject({
  /** Window length in seconds. */
  window: z.int().positive(),
  /** Epoch ms when computed. */
  at: z.number(),
  /** Hits the lists count: the window's hits but the excluded ones (`excluded`), the base of the lists' shares. */
  hits: z.int().nonnegative(),
  pages: z.array(CountSchema),
  countries: z.array(CountSchema),
  browsers: z.array(CountSchema),
  /** Devices: the mobile device fields (manufacturer and name), else read from `userAgent`, else the operating system. */
  devices: z.array(CountSchema),
  events: z.array(CountSchema),
  /** Revenue in `currency` (the main currency), as `Stats.revenue`. */
  revenue: z.number(),
  bots: z.int().nonnegative(),
  errorPages: z.array(CountSchema),
  ...QualityFields,
  /** Extension: the window's lag percentiles over every hit (a log histogram: within 5 %). */
  lagP50Ms: z.int().optional(),
  lagP95Ms: z.int().optional(),
  /**
   * Extension: report suite ids of the window's hits (excluded ones included), most hits first.
   * At most 16 distinct ids per second and per minute are kept; the rest count as "(other)".
   */
  reportSuites: z.array(CountSchema).optional(),
  /**
   * Extension: how the window's hits and visitors spread over the shards (index = shard):
   * `hits`, and `visitors`, distinct `visIdHigh`/`visIdLow` (else `mcVisId…`, `customVisId`)
   * estimated with a HyperLogLog (within about 3 %). Livestream groups hits by visitor: a shard
   * far from 1/N of either is uneven. The 60-second window covers the last 51–60 s.
   */
  shards: z.array(z.looseObject({ hits: z.int().nonnegative(), visitors: z.int().nonnegative() })).optional(),
});
export type Top = z.output<typeof TopSchema>;

/** Windows the relay keeps top lists for, in seconds. */
export const TOP_WINDOWS_S = [60, 300, 900, 3600] as const;
