import { ADOBE_LAG_BAND_MS, NO_CURRENCY, type Count, type Stats, type Top } from '../../../../contract/index.ts';
import { share } from '../utils/shares.ts';
import { pickTop } from '../utils/windows.ts';

/**
 * What the "Stream quality" panel shows, from the relay's `top` windows (every hit counted, never
 * the sampled feed) and its latest second. Pure, so the thresholds are tested without a DOM.
 */

/** Share of hits beyond Adobe's 5 minutes that is flagged: late data an operator should look at. */
export const LATE_SHARE_FLAG = 0.01;
/** Share of truncated hits that is flagged. */
export const TRUNCATED_SHARE_FLAG = 0.001;
/** Share of timestamped hits in the last minute that is flagged (offline or batched traffic arriving). */
export const TIMESTAMPED_SHARE_FLAG = 0.05;
/** A shard whose share of hits or visitors is outside [1/N × (1 − this), 1/N × (1 + this)] is uneven. */
export const SHARD_TOLERANCE = 0.5;
/** Hits per shard a window needs before its spread is judged (fewer: noise). */
export const SHARD_MIN_HITS = 20;
/** Figures older than this (relay clock) say their age. */
export const FRESH_MS = 5_000;

export interface Figure {
  count: number;
  /** Of `base`, 0..1; null when the base is 0. */
  share: number | null;
  flagged: boolean;
}

export interface ShardRow {
  shard: number;
  hits: number;
  visitors: number;
  hitShare: number | null;
  visitorShare: number | null;
  uneven: boolean;
}

export interface RevenueRow {
  /** ISO 4217 code, or undefined for revenue without a currency (`XXX`). */
  currency: string | undefined;
  amount: number;
}

export interface QualityView {
  windowS: number;
  /** Epoch ms (relay clock) the window was computed at. */
  at: number;
  /** Every hit of the window, excluded ones included. */
  all: number;
  lag:
    | {
        p50Ms: number | undefined;
        p95Ms: number | undefined;
        lagged: number;
        beyond: Figure;
        below: Figure;
        /** The p95 is beyond Adobe's 5 minutes. */
        p95Beyond: boolean;
      }
    | undefined;
  /** The relay's last second: lag percentiles and its time (epoch ms). */
  lagNow: { p50Ms: number; p95Ms: number | undefined; at: number } | undefined;
  timestampedMinute: Figure | undefined;
  timestamped: Figure | undefined;
  excluded: Figure | undefined;
  truncated: Figure | undefined;
  purchases: number | undefined;
  revenue: RevenueRow[];
  reportSuites: (Count & { share: number | null })[] | undefined;
  shards: ShardRow[] | undefined;
  shardsUneven: boolean;
}

function figure(count: number | undefined, base: number, flagAbove?: number): Figure | undefined {
  if (count === undefined) return undefined;
  const s = share(count, base);
  return { count, share: s, flagged: flagAbove !== undefined && s !== null && s > flagAbove };
}

/** Shard rows with their shares, each flagged when far from an even 1/N. */
export function shardRows(shards: readonly { hits: number; visitors: number }[]): ShardRow[] {
  const n = shards.length;
  const hits = shards.reduce((sum, s) => sum + s.hits, 0);
  const visitors = shards.reduce((sum, s) => sum + s.visitors, 0);
  const judged = n > 1 && hits >= SHARD_MIN_HITS * n;
  const even = 1 / n;
  const off = (s: number | null) =>
    judged && s !== null && (s < even * (1 - SHARD_TOLERANCE) || s > even * (1 + SHARD_TOLERANCE));
  return shards.map((s, shard) => {
    const hitShare = share(s.hits, hits);
    const visitorShare = share(s.visitors, visitors);
    return {
      shard,
      hits: s.hits,
      visitors: s.visitors,
      hitShare,
      visitorShare,
      uneven: off(hitShare) || off(visitorShare),
    };
  });
}

/** Revenue per currency, largest first, the currency-less last. */
export function revenueRows(byCurrency: Readonly<Record<string, number>> | undefined): RevenueRow[] {
  return Object.entries(byCurrency ?? {})
    .filter(([, amount]) => amount !== 0)
    .sort(([a, x], [b, y]) => (a === NO_CURRENCY ? 1 : 0) - (b === NO_CURRENCY ? 1 : 0) || y - x || a.localeCompare(b))
    .map(([code, amount]) => ({ currency: code === NO_CURRENCY ? undefined : code, amount }));
}

/**
 * The panel's figures for `windowS` (one of the relay's top windows); the timestamped share is
 * also read over the last minute. Undefined until the relay has sent that window.
 */
export function buildQualityView(
  tops: readonly Top[] | undefined,
  windowS: number,
  latest?: Stats,
): QualityView | undefined {
  const top = pickTop(tops, windowS);
  if (!top) return undefined;
  const minute = pickTop(tops, 60);
  const all = top.hits + (top.excluded ?? 0);
  const minuteAll = minute ? minute.hits + (minute.excluded ?? 0) : 0;
  const lagged = top.lagged ?? 0;
  const beyond = figure(top.lagAboveBand, lagged, LATE_SHARE_FLAG);
  const below = figure(top.lagBelowBand, lagged);
  const shards = top.shards && top.shards.length > 0 ? shardRows(top.shards) : undefined;
  return {
    windowS,
    at: top.at,
    all,
    lag:
      beyond && below
        ? {
            p50Ms: top.lagP50Ms,
            p95Ms: top.lagP95Ms,
            lagged,
            beyond,
            below,
            p95Beyond: top.lagP95Ms !== undefined && top.lagP95Ms > ADOBE_LAG_BAND_MS.max,
          }
        : undefined,
    lagNow:
      latest?.lagP50Ms !== undefined
        ? { p50Ms: latest.lagP50Ms, p95Ms: latest.lagP95Ms, at: latest.t * 1000 }
        : undefined,
    timestampedMinute: minute ? figure(minute.timestamped, minuteAll, TIMESTAMPED_SHARE_FLAG) : undefined,
    timestamped: figure(top.timestamped, all),
    excluded: figure(top.excluded, all),
    truncated: figure(top.truncated, all, TRUNCATED_SHARE_FLAG),
    purchases: top.purchases,
    revenue: revenueRows(top.revenueByCurrency),
    reportSuites: top.reportSuites?.map((c) => ({ ...c, share: share(c.count, all) })),
    shards,
    shardsUneven: shards?.some((s) => s.uneven) ?? false,
  };
}
