/**
 * Delays in whole milliseconds, counted in one bucket per millisecond (0 … `maxMs`, the last
 * bucket holding everything above), so percentiles over millions of samples cost nothing.
 */
export class Histogram {
  private readonly counts: Float64Array;
  count = 0;
  sum = 0;
  max = 0;

  constructor(private readonly maxMs = 120_000) {
    this.counts = new Float64Array(maxMs + 1);
  }

  add(ms: number, times = 1): void {
    const bucket = ms <= 0 ? 0 : ms >= this.maxMs ? this.maxMs : Math.round(ms);
    this.counts[bucket]! += times;
    this.count += times;
    this.sum += ms * times;
    if (ms > this.max) this.max = ms;
  }

  /** The smallest delay at or below which a share `p` (0–1) of the samples lie. */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.ceil(p * this.count);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i;
    }
    return this.maxMs;
  }

  get mean(): number {
    return this.count ? this.sum / this.count : NaN;
  }

  summary(): HistogramSummary {
    return {
      count: this.count,
      mean: this.mean,
      p50: this.percentile(0.5),
      p90: this.percentile(0.9),
      p99: this.percentile(0.99),
      p999: this.percentile(0.999),
      max: this.max,
    };
  }

  merge(other: Histogram): void {
    for (const [ms, n] of other.sparse()) {
      this.counts[ms]! += n;
      this.count += n;
    }
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
  }

  /** Non-empty buckets, to send across processes. */
  sparse(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i]) out.push([i, this.counts[i]!]);
    return out;
  }

  static fromSparse(entries: readonly [number, number][], max: number): Histogram {
    const h = new Histogram();
    for (const [ms, n] of entries) h.add(ms, n);
    h.max = Math.max(h.max, max);
    return h;
  }
}

export interface HistogramSummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Percentile of a plain array (sorted copy). */
export function percentileOf(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
