/**
 * The full records of recent distinct hits, as received, for `GET /api/hits/:hitId`. Bounded by
 * count; the oldest go first.
 *
 * A ring of slots in parallel arrays, no object per hit: each slot refers to the line's UTF-8
 * bytes where the decoder found them (a decompressed chunk, outside the JS heap) with its
 * offsets. The young-generation collector copies every object that survives it: 20,000 lines of
 * ~1 KB held as strings made it copy ~2 KB per hit (bench/RESULTS.md, ingest). The id → slot map
 * holds small integers, and the ring (not the map's first key, which walks every deleted entry)
 * says which hit is oldest.
 */

export interface NewHit {
  /** The line's bytes are `bytes[start, end)`; the buffer is kept by reference. */
  bytes: Buffer;
  start: number;
  end: number;
  shard: number;
  seq: number;
  arrivedAt: number;
}

export interface StoredHit {
  /** The line as received. */
  line: string;
  shard: number;
  seq: number;
  arrivedAt: number;
}

export class HitStore {
  private readonly slotOf = new Map<string, number>();
  private readonly ids: (string | undefined)[];
  private readonly buffers: (Buffer | undefined)[];
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;
  private readonly shards: Uint8Array;
  private readonly seqs: Float64Array;
  private readonly arrivals: Float64Array;
  private next = 0;

  constructor(private readonly capacity = 20_000) {
    this.ids = new Array<string | undefined>(capacity).fill(undefined);
    this.buffers = new Array<Buffer | undefined>(capacity).fill(undefined);
    this.starts = new Uint32Array(capacity);
    this.ends = new Uint32Array(capacity);
    this.shards = new Uint8Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.arrivals = new Float64Array(capacity);
  }

  add(hitId: string, hit: NewHit): void {
    let slot = this.slotOf.get(hitId);
    if (slot === undefined) {
      slot = this.next;
      this.next = (this.next + 1) % this.capacity;
      const evicted = this.ids[slot];
      if (evicted !== undefined) this.slotOf.delete(evicted);
      this.ids[slot] = hitId;
      this.slotOf.set(hitId, slot);
    }
    this.buffers[slot] = hit.bytes;
    this.starts[slot] = hit.start;
    this.ends[slot] = hit.end;
    this.shards[slot] = hit.shard;
    this.seqs[slot] = hit.seq;
    this.arrivals[slot] = hit.arrivedAt;
  }

  get(hitId: string): StoredHit | undefined {
    const slot = this.slotOf.get(hitId);
    if (slot === undefined) return undefined;
    return {
      line: this.buffers[slot]!.toString('utf8', this.starts[slot], this.ends[slot]),
      shard: this.shards[slot]!,
      seq: this.seqs[slot]!,
      arrivedAt: this.arrivals[slot]!,
    };
  }

  get size(): number {
    return this.slotOf.size;
  }
}
