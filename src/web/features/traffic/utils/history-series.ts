import type { HistoryBucket, HistoryResponse, Outage } from '../../../../contract/index.ts';

/**
 * Chart maths for the relay's history (`GET /api/history`): buckets to points, gaps kept as gaps,
 * and the period compared with laid on today's axis. Pure functions; times in epoch seconds.
 */

/** One point of the long-window chart; null breaks the line (the relay recorded nothing then). */
export interface HistoryPoint {
  /** Start of the bucket. */
  t: number;
  /** Mean hits per second over the seconds the relay recorded in the bucket. */
  hits: number | null;
  /** The lowest and the highest hits of one second in the bucket (hits/s): spikes and dips survive. */
  band: [number, number] | null;
  lagP50: number | null;
  lagP95: number | null;
}

/** A span the relay recorded nothing in, `[from, to)`. */
export interface HistoryGap {
  from: number;
  to: number;
}

export interface HistorySummary {
  totalHits: number;
  /** Mean hits/s over the seconds recorded. */
  avg: number | null;
  /** The busiest second and the bucket it is in. */
  peak: number | null;
  peakT: number | null;
  recordedS: number;
  /** Seconds of the window the relay recorded nothing in (absent buckets and partly recorded ones). */
  missingS: number;
}

export interface HistoryView {
  /** The axis: the window's first and last second. */
  startT: number;
  endT: number;
  step: number;
  resolution: HistoryResponse['resolution'];
  points: HistoryPoint[];
  gaps: HistoryGap[];
  outages: Outage[];
  summary: HistorySummary;
}

const rate = (b: HistoryBucket) => (b.seconds > 0 ? b.hits / b.seconds : 0);

function pointOf(b: HistoryBucket): HistoryPoint {
  return {
    t: b.t,
    hits: rate(b),
    band: [b.hitsMin, b.hitsMax],
    lagP50: b.lagP50Ms ?? null,
    lagP95: b.lagP95Ms ?? null,
  };
}

const nullPoint = (t: number): HistoryPoint => ({ t, hits: null, band: null, lagP50: null, lagP95: null });

/**
 * The buckets as points, one per step from the window's start to its end: a bucket the relay did
 * not send (nothing recorded) is a null point, so the line and the band break there and a gap
 * never reads as zero traffic.
 */
export function buildHistoryView(response: HistoryResponse): HistoryView {
  const { step, end, window: windowS } = response;
  const startT = end - windowS;
  const from = Math.floor(startT / step) * step;
  const points: HistoryPoint[] = [];
  const gaps: HistoryGap[] = [];
  let totalHits = 0;
  let recordedS = 0;
  let peak: number | null = null;
  let peakT: number | null = null;
  let i = 0;
  const buckets = response.buckets;
  for (let t = from; t < end; t += step) {
    while (i < buckets.length && buckets[i]!.t < t) i++;
    const b = buckets[i];
    if (b !== undefined && b.t === t) {
      points.push(pointOf(b));
      totalHits += b.hits;
      recordedS += b.seconds;
      if (peak === null || b.hitsMax > peak) {
        peak = b.hitsMax;
        peakT = b.t;
      }
    } else {
      points.push(nullPoint(t));
      const last = gaps.at(-1);
      const gapFrom = Math.max(t, startT);
      const gapTo = Math.min(t + step, end);
      if (last !== undefined && last.to === gapFrom) last.to = gapTo;
      else gaps.push({ from: gapFrom, to: gapTo });
    }
  }
  // The first bucket can start before the window (buckets are aligned on the step): the axis starts with the window.
  if (points[0] !== undefined && points[0].t < startT) points[0] = { ...points[0], t: startT };
  return {
    startT,
    endT: end - 1,
    step,
    resolution: response.resolution,
    points,
    gaps,
    outages: response.outages,
    summary: {
      totalHits,
      avg: recordedS > 0 ? totalHits / recordedS : null,
      peak,
      peakT,
      recordedS,
      missingS: Math.max(0, end - Math.max(from, startT) - recordedS),
    },
  };
}

/** A point of the overlay: the compared period's hits/s, moved onto today's axis. */
export interface ComparePoint {
  t: number;
  compare: number | null;
}

export interface CompareView {
  points: ComparePoint[];
  /** The compared period had data (otherwise the chart says so in words and draws nothing). */
  hasData: boolean;
  totalHits: number;
  avg: number | null;
}

/**
 * The compared period (the same window, `offsetS` earlier) moved `offsetS` forward onto today's
 * axis: each bucket's mean hits/s at `t + offsetS`, a null point where the relay recorded nothing
 * (the line breaks: a missing day is never a flat zero). Only what falls in `[startT, endT]`.
 */
export function alignCompare(
  response: HistoryResponse | undefined,
  offsetS: number,
  startT: number,
  endT: number,
): CompareView {
  const points: ComparePoint[] = [];
  let totalHits = 0;
  let recordedS = 0;
  if (response === undefined) return { points, hasData: false, totalHits, avg: null };
  const { step } = response;
  let previousEnd: number | undefined;
  for (const b of response.buckets) {
    const t = b.t + offsetS;
    if (t + step <= startT || t > endT) continue;
    if (previousEnd !== undefined && t > previousEnd) points.push({ t: previousEnd, compare: null });
    points.push({ t: Math.max(t, startT), compare: rate(b) });
    previousEnd = t + step;
    totalHits += b.hits;
    recordedS += b.seconds;
  }
  return { points, hasData: recordedS > 0, totalHits, avg: recordedS > 0 ? totalHits / recordedS : null };
}

/**
 * The end (epoch s, exclusive) of the period to compare a live window with: the window's end
 * rounded up to the minute, `offsetS` earlier, so the request changes once a minute, not every
 * second. The span asked for is the window plus that minute.
 */
export function compareSpan(endT: number, windowS: number, offsetS: number): { windowS: number; endS: number } {
  const end = Math.ceil((endT + 1) / 60) * 60;
  return { windowS: Math.max(60, windowS + 60), endS: end - offsetS };
}
