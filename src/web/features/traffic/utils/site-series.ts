import type { Outage, TrafficSecond } from '../../../../contract/index.ts';
import { bucketSeconds } from './series.ts';

/**
 * The site's traffic on Adobe's clock (`GET /api/traffic`, the `traffic` event) for one chart
 * window: hits counted in the second Adobe received them, so the backlog Livestream resends
 * after an outage fills the gap it belongs to instead of spiking when it arrives.
 */

export interface SitePoint {
  /** Start of the bucket, epoch seconds. */
  t: number;
  /** Mean hits per second over the bucket. */
  site: number;
}

export interface SiteView {
  points: SitePoint[];
  /** Mean and peak hits/s over the seconds that are complete (older than `settlingS`). */
  avg: number | null;
  peak: number | null;
  /** Hits in the window. */
  total: number;
  /** Outages that overlap the window, oldest first. */
  outages: Outage[];
}

/**
 * Buckets the seconds between `startT` and `endT` (epoch s) as the other charts do (at most
 * `maxPoints`, aligned on multiples of the bucket). The last `settlingS` seconds are still
 * arriving (Livestream's usual delay): drawn, but left out of the mean and the peak.
 */
export function buildSiteView(
  seconds: readonly TrafficSecond[],
  outages: readonly Outage[],
  options: { startT: number; endT: number; settlingS: number; maxPoints?: number },
): SiteView {
  const { startT, endT, settlingS } = options;
  const bucketS = bucketSeconds(endT - startT + 1, options.maxPoints);
  const align = (t: number) => Math.floor(t / bucketS) * bucketS;
  const sums = new Map<number, number>();
  let total = 0;
  let settledSum = 0;
  let peak: number | null = null;
  for (const { t, hits } of seconds) {
    if (t < startT || t > endT) continue;
    total += hits;
    sums.set(align(t), (sums.get(align(t)) ?? 0) + hits);
    if (t <= endT - settlingS) {
      settledSum += hits;
      peak = Math.max(peak ?? 0, hits);
    }
  }
  const points: SitePoint[] = [];
  if (seconds.length > 0) {
    for (let b = align(startT); b <= endT; b += bucketS) {
      points.push({ t: Math.max(b, startT), site: (sums.get(b) ?? 0) / bucketS });
    }
  }
  // Seconds the relay sent no count for had no hit: they count as zeros.
  const settledN = seconds.length > 0 ? Math.max(0, endT - settlingS - startT + 1) : 0;
  const overlapping = outages.filter((o) => (o.to ?? Infinity) >= startT * 1000 && o.from <= (endT + 1) * 1000);
  return { points, avg: settledN ? settledSum / settledN : null, peak, total, outages: overlapping };
}
