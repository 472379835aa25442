/**
 * Recent `hits` events, serialized, for `Last-Event-ID` replay. Bounded by bytes, and otherwise
 * kept until they are both older than `minAgeMs` and beyond the last `minHits` hits, so at least
 * the last 60 s and the last 10,000 hits stay replayable (docs/api.md, "Routes").
 */

export interface BufferedEvent {
  /** Seq range the event covers (a sampled event covers the hits it left out too). */
  firstSeq: number;
  lastSeq: number;
  at: number;
  /** Hits carried (what counts toward `minHits`). */
  hits: number;
  bytes: Uint8Array;
}

/**
 * `firstStraddles`: the first event holds hits up to `lastSeq` too (the id came from another
 * relay on the same stream, whose events are cut elsewhere): the caller trims it.
 */
export type ReplayAnswer =
  { kind: 'replay'; events: Uint8Array[]; firstStraddles?: true } | { kind: 'too-old'; missed: number };

export interface ReplayBufferOptions {
  minAgeMs?: number;
  minHits?: number;
  maxBytes?: number;
}

export class ReplayBuffer {
  /** Evicted slots before `head` are cleared at once, so only what is replayable stays referenced. */
  private events: (BufferedEvent | undefined)[] = [];
  private head = 0;
  private bytes = 0;
  private hits = 0;
  private readonly minAgeMs: number;
  private readonly minHits: number;
  private readonly maxBytes: number;

  constructor(options: ReplayBufferOptions = {}) {
    this.minAgeMs = options.minAgeMs ?? 60_000;
    this.minHits = options.minHits ?? 10_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  push(event: BufferedEvent, now: number): void {
    this.events.push(event);
    this.bytes += event.bytes.length;
    this.hits += event.hits;
    this.evict(now);
  }

  private evict(now: number): void {
    while (this.head < this.events.length - 1) {
      const oldest = this.events[this.head]!;
      const overBytes = this.bytes > this.maxBytes;
      const expendable = now - oldest.at > this.minAgeMs && this.hits - oldest.hits >= this.minHits;
      if (!overBytes && !expendable) break;
      this.events[this.head] = undefined;
      this.head++;
      this.bytes -= oldest.bytes.length;
      this.hits -= oldest.hits;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  /** Events after `lastSeq`, or how many hits can no longer be replayed. */
  since(lastSeq: number, currentSeq: number): ReplayAnswer {
    const oldest = this.events[this.head];
    if (!oldest)
      return lastSeq >= currentSeq ? { kind: 'replay', events: [] } : { kind: 'too-old', missed: currentSeq - lastSeq };
    if (lastSeq < oldest.firstSeq - 1) return { kind: 'too-old', missed: oldest.firstSeq - 1 - lastSeq };
    const events: Uint8Array[] = [];
    let straddles = false;
    for (let i = this.head; i < this.events.length; i++) {
      const event = this.events[i]!;
      if (event.lastSeq <= lastSeq) continue;
      if (events.length === 0 && event.firstSeq <= lastSeq) straddles = true;
      events.push(event.bytes);
    }
    return straddles ? { kind: 'replay', events, firstStraddles: true } : { kind: 'replay', events };
  }

  get stats(): { events: number; bytes: number; hits: number } {
    return { events: this.events.length - this.head, bytes: this.bytes, hits: this.hits };
  }
}
