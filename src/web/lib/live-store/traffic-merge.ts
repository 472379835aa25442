import type { Traffic, TrafficSecond } from '../../../contract/index.ts';

/**
 * Folds a `traffic` event into the cached `GET /api/traffic` answer. The event carries absolute
 * counts for the seconds that changed (a late hit changes a second minutes back), so a second
 * takes the larger count, never a sum; seconds newer than the cached ones extend the series (with zeros
 * between, as the relay answers), and the series keeps `windowS` seconds ending at the newest.
 * Outages, when the event has them, replace the cached list.
 */
export function withTraffic(data: Traffic | undefined, update: Traffic, windowS: number): Traffic | undefined {
  if (!data) return data;
  const byT = new Map<number, number>(data.seconds.map((s) => [s.t, s.hits]));
  let newest = data.seconds.at(-1)?.t ?? -Infinity;
  for (const second of update.seconds) {
    // A second's count only grows within a run: the larger one is the newer (a live event
    // re-applied to a REST answer that already counted more must not lower it).
    byT.set(second.t, Math.max(second.hits, byT.get(second.t) ?? 0));
    if (second.t > newest) newest = second.t;
  }
  if (!Number.isFinite(newest)) return { ...data, ...(update.outages ? { outages: update.outages } : {}) };
  const from = newest - windowS + 1;
  const seconds: TrafficSecond[] = [];
  for (let t = Math.max(from, data.seconds[0]?.t ?? from); t <= newest; t++) seconds.push({ t, hits: byT.get(t) ?? 0 });
  return { ...data, seconds, ...(update.outages ? { outages: update.outages } : {}) };
}
