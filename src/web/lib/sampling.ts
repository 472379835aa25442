import type { Sampled } from '../../contract/index.ts';

/**
 * The N of "1 in N shown": `round(total / kept)`, at least 1. Undefined when the feed is not
 * sampled (no ratio, nothing received, or every hit kept).
 */
export function oneInN(sampled: Sampled | undefined): number | undefined {
  if (!sampled || sampled.total <= 0 || sampled.kept >= sampled.total) return undefined;
  return Math.max(1, Math.round(sampled.total / Math.max(sampled.kept, 1)));
}

/**
 * The marker's headline: "1 in 12 shown", or the percentage when N rounds to 1 (e.g. 900 of
 * 1,000 kept), where "1 in 1" would wrongly read as "everything".
 */
export function sampledLabel(sampled: Sampled | undefined): string | undefined {
  const n = oneInN(sampled);
  if (n === undefined || !sampled) return undefined;
  if (n >= 2) return `1 in ${n} shown`;
  return `${Math.floor((sampled.kept / sampled.total) * 100)}% shown`;
}
