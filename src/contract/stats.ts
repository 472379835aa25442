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
