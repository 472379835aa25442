/**
 * Recent `hits` events of the mock relay, serialized, for `Last-Event-ID` replay: kept until they
 * are both older than `minAgeMs` and beyond the last `minHits` hits, as the relay's ReplayBuffer
 * keeps them (at least the last 60 s and the last 10,000 hits, CONTRACT.md §3).
 */

export interface LoggedHits {
  firstSeq: number;
  lastSeq: number;
  at: number;
  hits: number;
  /** The event id (`<runId>.<lastSeq>`). */
  id: string;
  /** The event's data, serialized once. */
  data: string;
}

export type ReplayAnswer = { kind: 'replay'; events: LoggedHits[] } | { kind: 'too-old'; missed: number };

export class ReplayLog {
  private events: LoggedHits[] = [];
  private hits = 0;

  constructor(
    private readonly minAgeMs = 60_000,
    private readonly minHits = 10_000,
  ) {}

  push(event: LoggedHits): void {
    this.events.push(event);
    this.hits += event.hits;
    let drop = 0;
    while (drop < this.events.length - 1) {
      const oldest = this.events[drop]!;
      if (event.at - oldest.at <= this.minAgeMs || this.hits - oldest.hits < this.minHits) break;
      this.hits -= oldest.hits;
      drop++;
    }
    if (drop > 0) this.events = this.events.slice(drop);
  }

  /** Events after `lastSeq`, or how many hits can no longer be replayed. */
  since(lastSeq: number, currentSeq: number): ReplayAnswer {
    const oldest = this.events[0];
    if (!oldest) {
      return lastSeq >= currentSeq ? { kind: 'replay', events: [] } : { kind: 'too-old', missed: currentSeq - lastSeq };
    }
    if (lastSeq < oldest.firstSeq - 1) return { kind: 'too-old', missed: oldest.firstSeq - 1 - lastSeq };
    return { kind: 'replay', events: this.events.filter((e) => e.lastSeq > lastSeq) };
  }
}
