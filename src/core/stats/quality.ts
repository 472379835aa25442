import {
  ADOBE_LAG_BAND_MS,
  MAX_SUMMARY_STRING,
  NO_CURRENCY,
  TIMESTAMPED_AFTER_S,
  type Count,
  type HitSummary,
} from '../../contract/index.ts';
import { roundCents } from '../ingest/summary.ts';
import { truncate } from '../upstream/error-body.ts';

/**
 * The stream's quality over a span (a second, a minute, a window): excluded, truncated and
 * timestamped hits, lag against Adobe's 20 s–5 min band with a histogram for percentiles,
 * purchases and revenue per currency, report suite ids. Spans add up and subtract like the top
 * lists' counts, and stay small whatever the records: report suites and currencies are bounded
 * per second and per minute (the rest: "(other)", `XXX`).
 */

/** Distinct report suite ids a second or a minute keeps; further ones count as "(other)". */
export const REPORT_SUITE_KEYS = 16;
/** Characters of report suite ids a second or a minute keeps. */
export const REPORT_SUITE_CHARS = 2048;
/** Currencies a second or a minute keeps; revenue in further ones counts as `NO_CURRENCY`. */
export const CURRENCY_KEYS = 16;
const OTHER = '(other)';

/**
 * Lag histogram: bucket 0 holds lags under 1 s (negative ones too: a skewed clock), bucket k ≥ 1
 * holds [1 s × 1.1^(k−1), 1 s × 1.1^k), the last one everything beyond a day. A percentile read
 * from it is the bucket's geometric middle: within 5 % of the true value.
 */
export const LAG_BUCKETS = 122;
const LOG_STEP = Math.log(1.1);

function bucketOfMs(ms: number): number {
  return Math.min(LAG_BUCKETS - 1, 1 + Math.floor(Math.log(ms / 1000) / LOG_STEP));
}

/** The bucket of each 100 ms step up to an hour, so the hot path seldom takes a logarithm. */
const TABLE_STEP_MS = 100;
const BUCKET_TABLE = Uint8Array.from({ length: 36_000 }, (_, i) =>
  i * TABLE_STEP_MS < 1000 ? 0 : bucketOfMs(i * TABLE_STEP_MS),
);

export function lagBucket(ms: number): number {
  if (!(ms >= 1000)) return 0;
  const step = Math.floor(ms / TABLE_STEP_MS);
  if (step + 1 >= BUCKET_TABLE.length) return bucketOfMs(ms);
  const bucket = BUCKET_TABLE[step]!;
  // A step that holds a bucket edge is worked out exactly.
  return bucket === BUCKET_TABLE[step + 1] ? bucket : bucketOfMs(ms);
}

function bucketMiddle(k: number): number {
  return k === 0 ? 500 : 1000 * 1.1 ** (k - 0.5);
}

const CURRENCY = /^[A-Za-z]{3}$/;

/** The key revenue is kept under: the ISO 4217 code in capitals, `XXX` for anything else. */
export function currencyKey(currency: string | undefined): string {
  return currency !== undefined && CURRENCY.test(currency) ? currency.toUpperCase() : NO_CURRENCY;
}

export class QualityCounts {
  excluded = 0;
  truncated = 0;
  timestamped = 0;
  lagged = 0;
  lagBelowBand = 0;
  lagAboveBand = 0;
  purchases = 0;
  readonly lags = new Float64Array(LAG_BUCKETS);
  /** Currency key → revenue in its major unit, unrounded. */
  readonly revenue = new Map<string, number>();
  readonly reportSuites = new Map<string, number>();
  private suiteChars = 0;

  /** One hit of this span (a second); `lagMs` when it has a `receivedTimeGMT`. */
  add(summary: HitSummary, lagMs: number | undefined): void {
    if (summary.excluded) this.excluded++;
    if (summary.truncated) this.truncated++;
    const received = summary.receivedTimeGMT;
    if (received !== undefined && summary.timeGMT !== undefined && received - summary.timeGMT > TIMESTAMPED_AFTER_S) {
      this.timestamped++;
    }
    if (lagMs !== undefined) {
      this.lagged++;
      if (lagMs < ADOBE_LAG_BAND_MS.min) this.lagBelowBand++;
      else if (lagMs > ADOBE_LAG_BAND_MS.max) this.lagAboveBand++;
      this.lags[lagBucket(lagMs)]!++;
    }
    if (summary.purchase) this.purchases++;
    // Summaries carry revenue on purchase hits only (`summariseRecord`); never count an excluded one.
    if (summary.revenue && !summary.excluded) this.addRevenue(currencyKey(summary.currency), summary.revenue);
    if (summary.reportSuite !== undefined) this.addSuite(summary.reportSuite, 1);
  }

  private addRevenue(key: string, amount: number): void {
    const current = this.revenue.get(key);
    if (current !== undefined) this.revenue.set(key, current + amount);
    else if (this.revenue.size < CURRENCY_KEYS || key === NO_CURRENCY) this.revenue.set(key, amount);
    else this.revenue.set(NO_CURRENCY, (this.revenue.get(NO_CURRENCY) ?? 0) + amount);
  }

  private addSuite(id: string, count: number): void {
    const current = this.reportSuites.get(id);
    if (current !== undefined) {
      this.reportSuites.set(id, current + count);
      return;
    }
    const key = id.length > MAX_SUMMARY_STRING ? truncate(id, MAX_SUMMARY_STRING) : id;
    if (
      key !== OTHER &&
      this.reportSuites.size < REPORT_SUITE_KEYS &&
      this.suiteChars + key.length <= REPORT_SUITE_CHARS
    ) {
      this.reportSuites.set(key, count);
      this.suiteChars += key.length;
    } else this.reportSuites.set(OTHER, (this.reportSuites.get(OTHER) ?? 0) + count);
  }

  /** Adds (`sign` 1) or takes away (-1) another span; a key at zero is deleted. */
  merge(from: QualityCounts, sign: 1 | -1): void {
    this.excluded += sign * from.excluded;
    this.truncated += sign * from.truncated;
    this.timestamped += sign * from.timestamped;
    this.lagged += sign * from.lagged;
    this.lagBelowBand += sign * from.lagBelowBand;
    this.lagAboveBand += sign * from.lagAboveBand;
    this.purchases += sign * from.purchases;
    if (from.lagged > 0) for (let k = 0; k < LAG_BUCKETS; k++) this.lags[k]! += sign * from.lags[k]!;
    mergeMap(this.revenue, from.revenue, sign, true);
    mergeMap(this.reportSuites, from.reportSuites, sign, false);
  }

  /** A minute's copy: its most frequent report suites and largest currencies, the rest grouped. */
  static folded(from: QualityCounts): QualityCounts {
    const folded = new QualityCounts();
    folded.merge(from, 1);
    folded.reportSuites.clear();
    folded.revenue.clear();
    for (const [id, count] of [...from.reportSuites].sort(byCountThenKey)) folded.addSuite(id, count);
    for (const [key, amount] of [...from.revenue].sort(byAmount)) folded.addRevenue(key, amount);
    return folded;
  }

  /** Percentile `p` (0–1) of the lags counted, in ms; undefined without any. */
  lagPercentile(p: number, other?: QualityCounts): number | undefined {
    const total = this.lagged + (other?.lagged ?? 0);
    if (total <= 0) return undefined;
    const rank = Math.max(1, Math.ceil(p * total));
    let seen = 0;
    for (let k = 0; k < LAG_BUCKETS; k++) {
      seen += this.lags[k]! + (other?.lags[k] ?? 0);
      if (seen >= rank) return Math.round(bucketMiddle(k));
    }
    return Math.round(bucketMiddle(LAG_BUCKETS - 1));
  }
}

function mergeMap(target: Map<string, number>, from: Map<string, number>, sign: 1 | -1, amounts: boolean): void {
  for (const [key, value] of from) {
    const next = (target.get(key) ?? 0) + sign * value;
    // Revenue sums floats: what is left of a key taken away is rounding noise.
    if (amounts ? Math.abs(next) >= 0.000_5 : next > 0) target.set(key, next);
    else target.delete(key);
  }
}

function byCountThenKey(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

function byAmount(a: [string, number], b: [string, number]): number {
  return Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/** Revenue per currency, rounded to cents, zero amounts left out; undefined when there is none. */
export function revenueRecord(
  a: Map<string, number>,
  b: Map<string, number> | undefined,
): Record<string, number> | undefined {
  let record: Record<string, number> | undefined;
  const put = (key: string, value: number) => {
    const cents = roundCents(value);
    if (cents !== 0) (record ??= {})[key] = cents;
  };
  for (const [key, value] of a) put(key, value + (b?.get(key) ?? 0));
  if (b) for (const [key, value] of b) if (!a.has(key)) put(key, value);
  return record;
}

/** Report suites of `a` + `b`, most hits first (ties by id), at most `limit`. */
export function suiteCounts(a: Map<string, number>, b: Map<string, number> | undefined, limit = 10): Count[] {
  const sums = new Map(a);
  if (b) for (const [key, count] of b) sums.set(key, (sums.get(key) ?? 0) + count);
  return [...sums]
    .filter(([, count]) => count > 0)
    .sort(byCountThenKey)
    .slice(0, limit)
    .map(([key, count]) => ({ key, count }));
}
