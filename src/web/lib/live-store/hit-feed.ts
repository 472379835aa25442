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
 * the sampling of the latest batch and the last reset.
 */
export class HitFeed {
  counts: FeedCounts = { received: 0, shown: 0, malformed: 0, ignored: 0 };
  /** Sampling of the latest `hits` event; undefined when it was complete. */
  sampled: Sampled | undefined;
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
   * Takes a `hits` event; `onAccepted` sees every hit that is new to this tab. Returns how many
   * distinct hits the event stands for (the relay's total when it sampled them).
   */
  add({ hits, sampled }: SseEventMap['hits'], onAccepted: (hit: HitSummary) => void): number {
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
    this.sampled = sampled ? { kept: sampled.kept, total: sampled.total } : undefined;
    return total;
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
