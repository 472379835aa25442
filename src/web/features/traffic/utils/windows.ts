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

/** Axis ticks on whole minutes: every minute for 5 min, 3 min for 15 min, 10 min for an hour. */
export function timeTicks(startT: number, endT: number, windowS: number): number[] {
  const step = windowS <= 300 ? 60 : windowS <= 900 ? 180 : 600;
  const ticks: number[] = [];
  for (let t = Math.ceil(startT / step) * step; t <= endT; t += step) ticks.push(t);
  return ticks;
}
