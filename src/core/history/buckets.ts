import type { HistoryBucket, Stats } from '../../contract/index.ts';
import { DOWN_STATES, worstDown, type DownState } from '../stats/stats.ts';

/**
 * Sums of seconds into buckets (a minute of the store, a bucket of `GET /api/history`): counts are
 * summed, `hitsMin`/`hitsMax` keep the lowest and highest second, lag p95 the worst second's, lag
 * p50 the median of the seconds' (or of the merged buckets') p50s, clients the most seen.
 */
export class BucketBuilder {
  private bucket: HistoryBucket | undefined;
  private p50s: number[] = [];

  constructor(readonly t: number) {}

  get empty(): boolean {
    return this.bucket === undefined;
  }

  /** One second of `Stats`. */
  second(s: Stats): void {
    this.merge({
      t: s.t,
      seconds: 1,
      hits: s.hits,
      hitsMin: s.hits,
      hitsMax: s.hits,
      duplicates: s.duplicates,
      malformed: s.malformed,
      bytes: s.bytes,
      clients: s.clients,
      outageS: s.outage ? 1 : 0,
      ...(s.lagP50Ms === undefined ? {} : { lagP50Ms: s.lagP50Ms }),
      ...(s.lagP95Ms === undefined ? {} : { lagP95Ms: s.lagP95Ms }),
      ...(s.outage && s.outageState !== undefined ? { outageState: s.outageState } : {}),
      ...(s.bots === undefined ? {} : { bots: s.bots }),
      ...(s.errorPages === undefined ? {} : { errorPages: s.errorPages }),
      ...(s.revenue === undefined ? {} : { revenue: s.revenue }),
      ...(s.purchases === undefined ? {} : { purchases: s.purchases }),
      ...(s.excluded === undefined ? {} : { excluded: s.excluded }),
    });
  }

  /** A bucket already summed (a minute of the store). */
  merge(b: HistoryBucket): void {
    if (b.lagP50Ms !== undefined) this.p50s.push(b.lagP50Ms);
    const a = this.bucket;
    if (a === undefined) {
      this.bucket = { ...b, t: this.t };
      return;
    }
    a.seconds += b.seconds;
    a.hits += b.hits;
    a.hitsMin = Math.min(a.hitsMin, b.hitsMin);
    a.hitsMax = Math.max(a.hitsMax, b.hitsMax);
    a.duplicates += b.duplicates;
    a.malformed += b.malformed;
    a.bytes += b.bytes;
    a.clients = Math.max(a.clients, b.clients);
    a.outageS += b.outageS;
    const worst = worstState(a.outageState, b.outageState);
    if (worst !== undefined) a.outageState = worst;
    if (b.lagP95Ms !== undefined) a.lagP95Ms = Math.max(a.lagP95Ms ?? 0, b.lagP95Ms);
    addOptional(a, b, 'bots');
    addOptional(a, b, 'errorPages');
    addOptional(a, b, 'purchases');
    addOptional(a, b, 'excluded');
    if (b.revenue !== undefined) a.revenue = Math.round(((a.revenue ?? 0) + b.revenue) * 100) / 100;
  }

  /** The bucket summed so far; undefined when nothing was added. */
  build(): HistoryBucket | undefined {
    const b = this.bucket;
    if (b === undefined) return undefined;
    if (this.p50s.length > 0) {
      const sorted = [...this.p50s].sort((x, y) => x - y);
      b.lagP50Ms = sorted[Math.floor((sorted.length - 1) / 2)]!;
    }
    return b;
  }
}

type Countable = 'bots' | 'errorPages' | 'purchases' | 'excluded';

function addOptional(a: HistoryBucket, b: HistoryBucket, key: Countable): void {
  const v = b[key];
  if (v !== undefined) a[key] = (a[key] ?? 0) + v;
}

const isDown = (state: string): state is DownState => (DOWN_STATES as readonly string[]).includes(state);

/** The worse of two outage states; a state this relay does not know counts as the worst. */
function worstState(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (!isDown(a)) return a;
  if (!isDown(b)) return b;
  return worstDown(a, b);
}

/** Sums `items` (sorted by `t`) into buckets of `step` seconds starting at `fromS`; empty buckets are left out. */
export function bucketize<T extends { t: number }>(
  items: readonly T[],
  fromS: number,
  step: number,
  add: (builder: BucketBuilder, item: T) => void,
): HistoryBucket[] {
  const out: HistoryBucket[] = [];
  let builder: BucketBuilder | undefined;
  for (const item of items) {
    const t = fromS + Math.floor((item.t - fromS) / step) * step;
    if (builder === undefined || builder.t !== t) {
      const done = builder?.build();
      if (done) out.push(done);
      builder = new BucketBuilder(t);
    }
    add(builder, item);
  }
  const done = builder?.build();
  if (done) out.push(done);
  return out;
}

const SECOND_STEPS = [1, 2, 5, 10, 15, 30];
const MINUTE_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/**
 * The bucket length for `windowS` in at most `points` buckets: a round number of seconds (below a
 * minute, only when `secondsAvailable`) or of minutes.
 */
export function stepFor(windowS: number, points: number, secondsAvailable: boolean): number {
  const raw = Math.ceil(windowS / points);
  if (secondsAvailable) {
    const s = SECOND_STEPS.find((step) => step >= raw);
    if (s !== undefined) return s;
  }
  return MINUTE_STEPS.find((step) => step >= raw) ?? Math.ceil(raw / 86_400) * 86_400;
}
