import type { Top } from '../../../../contract/index.ts';
import type { TimeZoneMode } from '../../../lib/format-time.ts';

/** The live windows: per-second stats in memory, kept current by the stream (a subset of the relay's `TOP_WINDOWS_S`). */
export const LIVE_WINDOWS_S = [300, 900, 3600] as const;
/** The long windows: drawn from the relay's history (`GET /api/history`), refetched every minute. */
export const LONG_WINDOWS_S = [21_600, 86_400, 604_800, 2_592_000] as const;
/** Windows the traffic panel offers, in seconds. */
export const TRAFFIC_WINDOWS_S = [...LIVE_WINDOWS_S, ...LONG_WINDOWS_S] as const;
export type TrafficWindowS = (typeof TRAFFIC_WINDOWS_S)[number];
export type LiveWindowS = (typeof LIVE_WINDOWS_S)[number];
export type LongWindowS = (typeof LONG_WINDOWS_S)[number];

export function isTrafficWindow(value: number): value is TrafficWindowS {
  return (TRAFFIC_WINDOWS_S as readonly number[]).includes(value);
}

/** A window drawn from the history rather than the live hour. */
export function isLongWindow(value: number): value is LongWindowS {
  return (LONG_WINDOWS_S as readonly number[]).includes(value);
}

/** "Compare with": the same window shifted back by a day or a week. */
export const COMPARE_OFFSETS = { '1d': 86_400, '7d': 604_800 } as const;
export type CompareKey = keyof typeof COMPARE_OFFSETS;

export function parseCompare(value: string | null): CompareKey | undefined {
  return value === '1d' || value === '7d' ? value : undefined;
}

/** The overlay's legend entry. */
export function compareLabel(key: CompareKey): string {
  return key === '1d' ? 'Yesterday, same time' : 'Last week, same time';
}

/** What the chart says when the compared period has no data (never a flat zero line). */
export function compareMissing(key: CompareKey): string {
  return key === '1d' ? 'No data for yesterday at this time.' : 'No data for last week at this time.';
}

/** The top lists computed over exactly this window, if the relay sent them. */
export function pickTop(tops: readonly Top[] | undefined, windowS: number): Top | undefined {
  return tops?.find((t) => t.window === windowS);
}

const HOUR = 3600;
const DAY = 86_400;

/**
 * Seconds between axis ticks for a span of `spanS` seconds: 4 to 10 ticks, on round times; on a
 * `narrow` plot (a phone) 3 to 5 for the long windows, so none is dropped for want of room.
 */
export function tickStep(spanS: number, narrow = false): number {
  if (narrow && spanS > 2 * HOUR) {
    if (spanS <= 8 * HOUR) return 2 * HOUR;
    if (spanS <= 30 * HOUR) return 6 * HOUR;
    if (spanS <= 10 * DAY) return 2 * DAY;
    return 10 * DAY;
  }
  if (spanS <= 60) return 15;
  if (spanS <= 150) return 30;
  if (spanS <= 420) return 60;
  if (spanS <= 960) return 180;
  if (spanS <= 1800) return 300;
  if (spanS <= 2 * HOUR) return 600;
  if (spanS <= 8 * HOUR) return HOUR;
  if (spanS <= 30 * HOUR) return 3 * HOUR;
  if (spanS <= 2 * DAY) return 6 * HOUR;
  if (spanS <= 10 * DAY) return DAY;
  return 5 * DAY;
}

/** Seconds east of UTC of the zone at `epochS` (the browser's zone for `local`). */
export function zoneOffsetS(epochS: number, zone: TimeZoneMode): number {
  return zone === 'utc' ? 0 : -new Date(epochS * 1000).getTimezoneOffset() * 60;
}

/**
 * Axis ticks on round times of the zone: every minute for 5 min, 3 min for 15 min, 10 min for an
 * hour, hours for 6 h and 24 h, midnights for 7 d and 30 d (every 5th day), finer for a shorter
 * span (the charts of a relay started a minute ago).
 */
export function timeTicks(startT: number, endT: number, zone: TimeZoneMode = 'utc', narrow = false): number[] {
  const stepS = tickStep(endT - startT + 1, narrow);
  const ticks: number[] = [];
  if (stepS < HOUR) {
    for (let t = Math.ceil(startT / stepS) * stepS; t <= endT; t += stepS) ticks.push(t);
    return ticks;
  }
  // Round in the zone's wall-clock time (whole hours, midnights), so a date tick is midnight there.
  // 5-day steps count from the Unix epoch's days, so the ticks stay put as the window slides.
  const offset = zoneOffsetS(startT, zone);
  for (let wall = Math.ceil((startT + offset) / stepS) * stepS; wall - offset <= endT; wall += stepS) {
    const t = wall - zoneOffsetS(wall - offset, zone);
    if (t >= startT && t <= endT && ticks.at(-1) !== t) ticks.push(t);
  }
  return ticks;
}
