import http from 'node:http';
import { BlockSplitter, readFrame } from './sse-frames.ts';

/**
 * One SSE client that must see every hit: records each `seq` of every `hits` event in a
 * bitset, counts duplicates, `reset` events and `sampled` batches, and comes back with
 * `Last-Event-ID` if its stream ends (which the soak expects never to happen).
 */
export class SoakClient {
  private seen = new Uint8Array(1 << 20);
  distinct = 0;
  duplicates = 0;
  maxSeq = 0;
  resets = 0;
  sampled = 0;
  /** Sampled batches: the seq they end at and how many hits they left out. */
  readonly sampledOut: { lastSeq: number; out: number }[] = [];
  reconnects = 0;
  events = 0;
  lastEventId: string | undefined;
  /** The largest batch end (lastSeq) received so far. */
  private ends: number[] = [];
  private req: http.ClientRequest | undefined;
  private stopped = false;

  constructor(private readonly url: string) {}

  /** `from`: an event id to resume from (`<runId>.0` replays the run from its first hit). */
  start(from?: string): void {
    this.lastEventId = from;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.req?.destroy();
  }

  /** The end of the last batch that ends at or before `seq` (a boundary to count up to). */
  boundaryAtOrBefore(seq: number): number {
    let best = 0;
    for (const end of this.ends) if (end <= seq && end > best) best = end;
    return best;
  }

  /** Hits left out by sampled batches ending at or before `upTo`. */
  sampledOutUpTo(upTo: number): number {
    return this.sampledOut.filter((s) => s.lastSeq <= upTo).reduce((sum, s) => sum + s.out, 0);
  }

  /** The first few runs of missing seqs up to `upTo`, e.g. `1–566, 9001`. */
  missingRanges(upTo: number, max = 5): string {
    const ranges: string[] = [];
    let start = 0;
    for (let seq = 1; seq <= upTo + 1 && ranges.length < max; seq++) {
      const missing = seq <= upTo && (seq >= this.seen.length || !this.seen[seq]);
      if (missing && !start) start = seq;
      if (!missing && start) {
        ranges.push(start === seq - 1 ? String(start) : `${start}–${seq - 1}`);
        start = 0;
      }
    }
    return ranges.join(', ');
  }

  /** Seqs from 1 to `upTo` never received. */
  missing(upTo: number): number {
    let missing = 0;
    for (let seq = 1; seq <= upTo; seq++) if (seq >= this.seen.length || !this.seen[seq]) missing++;
    return missing;
  }

  private mark(seq: number): void {
    if (seq >= this.seen.length) {
      const bigger = new Uint8Array(Math.max(seq + 1, this.seen.length * 2));
      bigger.set(this.seen);
      this.seen = bigger;
    }
    if (this.seen[seq]) this.duplicates++;
    else {
      this.seen[seq] = 1;
      this.distinct++;
    }
    if (seq > this.maxSeq) this.maxSeq = seq;
  }

  private connect(): void {
    const splitter = new BlockSplitter();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
    const req = http.get(`${this.url}/api/stream`, { agent: false, headers });
    this.req = req;
    const again = () => {
      if (this.stopped || this.req !== req) return;
      this.reconnects++;
      this.req = undefined;
      setTimeout(() => this.connect(), 1000);
    };
    req.on('error', again);
    req.on('close', again);
    req.on('response', (res) => {
      res.on('data', (chunk: Buffer) =>
        splitter.push(chunk, (block) => {
          const head = readFrame(block);
          if (!head) return;
          if (head.event === 'reset') this.resets++;
          if (head.event !== 'hits') return;
          this.events++;
          if (head.id) {
            this.lastEventId = head.id;
            this.ends.push(Number(head.id.slice(head.id.lastIndexOf('.') + 1)));
          }
          const data = JSON.parse(block.toString('utf8', head.dataStart, head.dataEnd)) as {
            hits: { seq: number }[];
            sampled?: { kept: number; total: number };
          };
          if (data.sampled) {
            this.sampled++;
            const lastSeq = Number(head.id?.slice(head.id.lastIndexOf('.') + 1));
            this.sampledOut.push({ lastSeq, out: data.sampled.total - data.sampled.kept });
          }
          for (const hit of data.hits) this.mark(hit.seq);
        }),
      );
    });
  }
}
