import type { HitSummary, Sampled } from '../../contract/index.ts';

/**
 * Gathers hit summaries into `hits` batches (one event per batch, not one per hit) and
 * keeps the browser feed within `maxPerS`: a token bucket holding one second of allowance lets
 * every hit through at or below the limit (bursts included) and samples evenly above it, saying
 * so with `sampled: {kept, total}`.
 */

/**
 * The feed's batch policy (latency wins, docs/decisions.md): when the relay is idle a batch
 * leaves as soon as what arrived in one read is in (the next turn of the event loop), and under
 * load batches leave at most once every `FEED_MIN_GAP_MS`, so a busy stream costs at most 50
 * events a second per browser. The relay and the mock relay both batch on it.
 */
export const FEED_MIN_GAP_MS = 20;

export interface FeedBatch {
  hits: HitSummary[];
  /** Seq range the batch covers, sampled-out hits included. */
  firstSeq: number;
  lastSeq: number;
  sampled?: Sampled;
}

export class FeedBatcher {
  /** Summaries held for the next batch: every hit, or every `stride`-th once there are too many. */
  private pending: HitSummary[] = [];
  private total = 0;
  private firstSeq = 0;
  private lastSeq = 0;
  private stride = 1;
  private skip = 0;
  private tokens: number;
  private refilledAt: number;

  /** `onFirst` is told when a summary arrives with none held: time to arm the next batch. */
  constructor(
    private readonly maxPerS: number,
    now: number,
    private readonly onFirst: () => void = () => undefined,
  ) {
    this.tokens = maxPerS;
    this.refilledAt = now;
  }

  /**
   * Holds a summary for the next batch. Memory stays bounded at any rate: past two seconds'
   * allowance the held summaries are thinned to every other one, and so on, evenly.
   */
  push(summary: HitSummary): void {
    if (this.total === 0) {
      this.firstSeq = summary.seq;
      this.onFirst();
    }
    this.total++;
    this.lastSeq = summary.seq;
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    this.pending.push(summary);
    this.skip = this.stride - 1;
    if (this.pending.length >= 2 * this.maxPerS) {
      this.pending = this.pending.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  /** Distinct hits gathered for the next batch. */
  get size(): number {
    return this.total;
  }

  /** The batch gathered since the last call, or undefined when nothing arrived. */
  take(now: number): FeedBatch | undefined {
    this.tokens = Math.min(this.maxPerS, this.tokens + ((now - this.refilledAt) / 1000) * this.maxPerS);
    this.refilledAt = now;
    const { pending, total } = this;
    if (total === 0) return undefined;
    const batch: FeedBatch = { hits: pending, firstSeq: this.firstSeq, lastSeq: this.lastSeq };
    this.pending = [];
    this.total = 0;
    this.stride = 1;
    this.skip = 0;
    if (total <= this.tokens) {
      // Never thinned: at most one second's allowance was held.
      this.tokens -= total;
      return batch;
    }
    const keep = Math.min(pending.length, Math.max(1, Math.floor(this.tokens)));
    this.tokens = Math.max(0, this.tokens - keep);
    const kept: HitSummary[] = [];
    const step = pending.length / keep;
    for (let i = 0; i < keep; i++) kept.push(pending[Math.floor(i * step)]!);
    batch.hits = kept;
    batch.sampled = { kept: kept.length, total };
    return batch;
  }
}
