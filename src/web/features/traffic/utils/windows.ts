import type { Top } from '../../../../contract/index.ts';

/** Windows the traffic panel offers, in seconds (a subset of the relay's `TOP_WINDOWS_S`). */
export const TRAFFIC_WINDOWS_S = [300, 900, 3600] as const;
export type TrafficWindowS = (typeof TRAFFIC_WINDOWS_S)[number];

export function isTrafficWindow(value: number): value is TrafficWindowS {
  return (TRAFFIC_WINDOWS_S as readonly number[]).includes(value);
}

/** The top lists computed over exactly this window, if the relay sent them. */
export function pickTop(tops: readonly Top[] | undefined, windowS: number): Top | undefined {
  return tops?.find((t) => t.window === windowS);
}

/** Seconds between axis ticks for a span of `spanS` seconds: 4 to 10 ticks, on round times. */
export function tickStep(spanS: number): number {
  if (spanS <= 60) return 15;
  if (spanS <= 150) return 30;
  if (spanS <= 420) return 60;
  if (spanS <= 960) return 180;
  if (spanS <= 1800) return 300;
  return 600;
}

/**
 * Axis ticks on round times: every minute for 5 min, 3 min for 15 min, 10 min for an hour, and
 * finer for a shorter span (the charts of a relay started a minute ago).
 */
export function timeTicks(startT: number, endT: number): number[] {
  const stepS = tickStep(endT - startT + 1);
  const ticks: number[] = [];
  for (let t = Math.ceil(startT / stepS) * stepS; t <= endT; t += stepS) ticks.push(t);
  return ticks;
}
