import type { HitSummary } from '../../contract/index.ts';

/**
 * Gathers hit summaries into `hits` batches (one event every `intervalMs`, not one per hit) and
 * keeps the browser feed within `maxPerS`: a token bucket holding one second of allowance lets
 * every hit through at or below the limit (bursts included) and samples evenly above it, saying
 * so with `sampled: {kept, total}`.
 */

export interface FeedBatch {
  hits: HitSummary[];
  /** Seq range the batch covers, sampled-out hits included. */
  firstSeq: number;
  lastSeq: number;
  sampled?: { kept: number; total: number };
}

export class FeedBatcher {
  private pending: HitSummary[] = [];
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly maxPerS: number,
    now: number,
  ) {
    this.tokens = maxPerS;
    this.refilledAt = now;
  }

  push(summary: HitSummary): void {
    this.pending.push(summary);
  }

  get size(): number {
    return this.pending.length;
  }

  /** The batch gathered since the last call, or undefined when nothing arrived. */
  take(now: number): FeedBatch | undefined {
    this.tokens = Math.min(this.maxPerS, this.tokens + ((now - this.refilledAt) / 1000) * this.maxPerS);
    this.refilledAt = now;
    const all = this.pending;
    if (all.length === 0) return undefined;
    this.pending = [];
    const batch: FeedBatch = { hits: all, firstSeq: all[0]!.seq, lastSeq: all[all.length - 1]!.seq };
    if (all.length <= this.tokens) {
      this.tokens -= all.length;
      return batch;
    }
    const keep = Math.max(1, Math.floor(this.tokens));
    this.tokens = Math.max(0, this.tokens - keep);
    const kept: HitSummary[] = [];
    const step = all.length / keep;
    for (let i = 0; i < keep; i++) kept.push(all[Math.floor(i * step)]!);
    batch.hits = kept;
    batch.sampled = { kept: kept.length, total: all.length };
    return batch;
  }
}
