import type { Sampled, HitSummary, SseEventMap } from '../../../contract/index.ts';

/** Hit summaries the feed keeps; older ones are dropped. */
export const DEFAULT_FEED_LIMIT = 5_000;

export interface FeedCounts {
  /** Distinct hits the relay had for this browser: `sampled.total` when sampled, else the hits sent. */
  received: number;
  /** Hits that reached this tab (the feed shows at most `feedLimit` of them). */
  shown: number;
  /** Events whose data failed the contract schemas: counted and ignored. */
  malformed: number;
  /** Events with a name this dashboard does not know yet. */
  ignored: number;
}

export type { Sampled };

/**
 * The span the feed's sampling is told over. The relay samples each batch on its own (a batch
 * that fits its allowance is sent whole), so under load one batch in a few is complete: the
 * marker, told batch by batch, came and went several times a second with a different "1 in N"
 * each time. Over the last 2 s it says what the feed shows, steadily, and goes 2 s after the
 * last sampled batch.
 */
export const SAMPLING_SPAN_MS = 2_000;
/** Batches remembered for the span at most, whatever the rate (50 a second under load). */
const SAMPLING_MAX_BATCHES = 500;

interface SampledBatch {
  at: number;
  kept: number;
  total: number;
}

export interface FeedReset {
  reason: string;
  missed?: number;
  /** Local clock, epoch ms. */
  at: number;
}

/**
 * The live feed of hit summaries, in arrival order and bounded. Hits from `hits` events wait
 * until the next `flush()` (one per frame), so the feed array changes at most once a frame; a hit
 * whose `seq` is not above the last one is a replay this tab already has and is skipped. Also
 * keeps the counts the snapshot shows (hits received and shown, events malformed or unknown),
 * the sampling over the last 2 s and the last reset.
 */
export class HitFeed {
  counts: FeedCounts = { received: 0, shown: 0, malformed: 0, ignored: 0 };
  /** Sampling of the `hits` events of the last `SAMPLING_SPAN_MS`; undefined when each was complete. */
  sampled: Sampled | undefined;
  private batches: SampledBatch[] = [];
  lastReset: FeedReset | undefined;
  private pending: HitSummary[] = [];
  private flushed: readonly HitSummary[] = [];
  private lastSeq = -1;

  constructor(private readonly limit: number) {}

  /** The feed as of the last flush (oldest first). */
  get hits(): readonly HitSummary[] {
    return this.flushed;
  }

  /**
   * Takes a `hits` event received at `at` (epoch ms); `onAccepted` sees every hit that is new to
   * this tab. Returns how many distinct hits the event stands for (the relay's total when it
   * sampled them).
   */
  add({ hits, sampled }: SseEventMap['hits'], onAccepted: (hit: HitSummary) => void, at: number): number {
    let accepted = 0;
    for (const hit of hits) {
      if (hit.seq <= this.lastSeq) continue;
      this.lastSeq = hit.seq;
      this.pending.push(hit);
      onAccepted(hit);
      accepted++;
    }
    if (this.pending.length > 2 * this.limit) this.pending = this.pending.slice(-this.limit);
    const total = sampled ? Math.max(sampled.total, accepted) : accepted;
    this.counts = { ...this.counts, received: this.counts.received + total, shown: this.counts.shown + accepted };
    this.noteSampling(at, sampled ? sampled.kept : total, total);
    return total;
  }

  /** Sums the batches of the last `SAMPLING_SPAN_MS`: sampled while any of them was. */
  private noteSampling(at: number, kept: number, total: number): void {
    const { batches } = this;
    batches.push({ at, kept, total });
    let first = 0;
    while (
      first < batches.length - 1 &&
      (batches[first]!.at <= at - SAMPLING_SPAN_MS || batches.length - first > SAMPLING_MAX_BATCHES)
    )
      first++;
    if (first > 0) batches.splice(0, first);
    let keptSum = 0;
    let totalSum = 0;
    let anySampled = false;
    for (const batch of batches) {
      keptSum += batch.kept;
      totalSum += batch.total;
      if (batch.kept < batch.total) anySampled = true;
    }
    this.sampled = anySampled ? { kept: keptSum, total: totalSum } : undefined;
  }

  /** Moves the pending hits into the feed, dropping the oldest beyond the limit. */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const merged = batch.length >= this.limit ? batch : this.flushed.concat(batch);
    this.flushed = merged.length > this.limit ? merged.slice(merged.length - this.limit) : merged;
  }

  /** Starts afresh (the relay said `reset`, or a new relay run): the sequence may restart. */
  reset(reason: string, at: number, missed?: number): void {
    this.pending = [];
    this.flushed = [];
    this.lastSeq = -1;
    this.batches = [];
    this.sampled = undefined;
    this.lastReset = { reason, at, ...(missed !== undefined ? { missed } : {}) };
  }

  /** Empties the feed; counts are kept. */
  clear(): void {
    this.pending = [];
    this.flushed = [];
  }

  countMalformed(): void {
    this.counts = { ...this.counts, malformed: this.counts.malformed + 1 };
  }

  countIgnored(): void {
    this.counts = { ...this.counts, ignored: this.counts.ignored + 1 };
  }
}
