import { z } from 'zod';

/**
 * Longest string in a `HitSummary` and in a top list (docs/api.md, "Rules": bounded memory): longer
 * ones are cut to this many characters, the last one `…`.
 */
export const MAX_SUMMARY_STRING = 1024;

/**
 * Most event names a summary carries, and most characters they hold together: a real hit
 * carries a handful of events (a purchase a few dozen), and every summary is held by the feed,
 * the replay buffer and every browser.
 */
export const MAX_SUMMARY_EVENTS = 64;
export const MAX_SUMMARY_EVENT_CHARS = 4096;

/**
 * What a browser gets of a hit (docs/api.md, "SSE events"). Every string is at most `MAX_SUMMARY_STRING`
 * characters; `events` holds at most `MAX_SUMMARY_EVENTS` names. `hitId` is
 * `"<hitIdHigh>-<hitIdLow>"` with the exact decimal digits from the wire (both exceed 2^53),
 * without leading zeros, or a stable id derived from the record's bytes when those fields are
 * missing. Never a number.
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
