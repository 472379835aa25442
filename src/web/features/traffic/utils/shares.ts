import type { Count } from '../../../../contract/index.ts';

/** `part / whole`, or null when the whole is 0 (a share of nothing is undefined, not 0 %). */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** One bar of a top list. */
export interface RankedCount {
  key: string;
  count: number;
  /** Of the window's hits, 0..1 (null when the window has no hits). */
  share: number | null;
  /** Of the list's largest count, 0..1: the bar's length. */
  relative: number;
}

/** The `limit` largest counts, largest first (ties by key), with their shares. */
export function rankCounts(counts: readonly Count[], total: number, limit = 8): RankedCount[] {
  const sorted = [...counts].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).slice(0, limit);
  const max = sorted[0]?.count ?? 0;
  return sorted.map((c) => ({
    key: c.key,
    count: c.count,
    share: share(c.count, total),
    relative: max > 0 ? c.count / max : 0,
  }));
}
