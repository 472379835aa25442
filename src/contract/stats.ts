import { z } from 'zod';

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
  /** Extension: hits flagged as bots. */
  bots: z.int().nonnegative().optional(),
  /** Extension: hits on error pages. */
  errorPages: z.int().nonnegative().optional(),
  /** Extension: revenue in the currency's major unit. */
  revenue: z.number().optional(),
});
export type Stats = z.output<typeof StatsSchema>;

/** `GET /api/stats?window=S`. */
export const StatsResponseSchema = z.looseObject({ series: z.array(StatsSchema) });
export type StatsResponse = z.output<typeof StatsResponseSchema>;

/** Longest history kept and served, in seconds. */
export const MAX_STATS_WINDOW_S = 3600;

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
  hits: z.int().nonnegative(),
  pages: z.array(CountSchema),
  countries: z.array(CountSchema),
  browsers: z.array(CountSchema),
  devices: z.array(CountSchema),
  events: z.array(CountSchema),
  revenue: z.number(),
  bots: z.int().nonnegative(),
  errorPages: z.array(CountSchema),
});
export type Top = z.output<typeof TopSchema>;

/** Windows the relay keeps top lists for, in seconds. */
export const TOP_WINDOWS_S = [60, 300, 900, 3600] as const;
