import { z } from 'zod';

/**
 * What a browser gets of a hit (CONTRACT.md §4). `hitId` is `"<hitIdHigh>-<hitIdLow>"` with the
 * exact decimal digits from the wire (both exceed 2^53), or a stable id derived from the record's
 * bytes when those fields are missing. Never a number.
 */
export const HitSummarySchema = z.looseObject({
  /** Grows by one per distinct hit, across shards. */
  seq: z.int().nonnegative(),
  hitId: z.string().min(1),
  shard: z.int().nonnegative(),
  /** Epoch ms when the relay received the hit. */
  arrivedAt: z.number(),
  /** Unix seconds (collection). */
  timeGMT: z.int().optional(),
  /** Unix seconds (arrival at Adobe). */
  receivedTimeGMT: z.int().optional(),
  reportSuite: z.string().optional(),
  pageName: z.string().optional(),
  pageURL: z.string().optional(),
  geoCountry: z.string().optional(),
  geoCity: z.string().optional(),
  browser: z.string().optional(),
  operatingSystem: z.string().optional(),
  events: z.array(z.string()).optional(),
  /** In the currency's major unit (Livestream sends product revenue in cents). */
  revenue: z.number().optional(),
  bot: z.boolean().optional(),
  /** Extension: the page was an error page. */
  isErrorPage: z.boolean().optional(),
});
export type HitSummary = z.output<typeof HitSummarySchema>;

/** `hitIdHigh-hitIdLow` with exact digits. */
export const EXACT_HIT_ID = /^\d{1,20}-\d{1,20}$/;
