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
  /** The record's `browser`; when it has none, the browser family read from `userAgent`. */
  browser: z.string().optional(),
  operatingSystem: z.string().optional(),
  events: z.array(z.string()).optional(),
  /**
   * Revenue of a purchase hit (`purchaseId`, or the `purchase` event), never of an excluded hit,
   * in `currency`'s major unit rounded to cents: the `revenue` event (each entry count ×
   * 10^exponent, summed), else the sum of `products[].revenue`.
   */
  revenue: z.number().optional(),
  bot: z.boolean().optional(),
  /** Extension: the page was an error page. */
  isErrorPage: z.boolean().optional(),
  /** Extension: the record's `currency` (ISO 4217 as sent): what `revenue` is in. */
  currency: z.string().optional(),
  /** Extension: a purchase hit (it has a `purchaseId`, or the `purchase` event). Only set when true. */
  purchase: z.boolean().optional(),
  /** Extension: Adobe excluded the hit from reporting (`exclude.value` "yes"): not traffic. Only set when true. */
  excluded: z.boolean().optional(),
  /** Extension: Adobe sent the hit incomplete (`truncated`). Only set when true. */
  truncated: z.boolean().optional(),
  /**
   * Extension: the device. From the mobile device fields (`mobileManufacturer` and
   * `mobileDeviceName`), which Livestream fills instead of `userAgent` since April 2026; from
   * `userAgent` for a stream still sending it ("Apple iPhone", "Android phone", "Desktop").
   */
  device: z.string().optional(),
  /** Extension: the device's type: `mobileDeviceType` ("Mobile Phone", "Tablet", …), else read from `userAgent`. */
  deviceType: z.string().optional(),
});
export type HitSummary = z.output<typeof HitSummarySchema>;

/** `hitIdHigh-hitIdLow` with exact digits. */
export const EXACT_HIT_ID = /^\d{1,20}-\d{1,20}$/;
