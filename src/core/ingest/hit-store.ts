import { copyBytes, portableBytes, type ByteOps } from '../bytes.ts';

/**
 * The full records of recent distinct hits, as received, for `GET /api/hits/:hitId`: at most
 * `capacity` hits (default 20,000) holding at most `maxBytes` of lines (default 64 MiB), the
 * oldest out first. Whatever the records, the store never holds more than `maxBytes` + one slab
 * (1 MiB) of line bytes plus ~100 bytes of bookkeeping per slot (~2 MB at 20,000).
 *
 * Each line's bytes are copied (one memcpy) into the store's own arena: a ring of `maxBytes` made
 * of 1 MiB slabs, outside the JS heap. A hit therefore holds exactly its own bytes, never the
 * decompressed chunk it arrived in (referring to the chunk kept a whole ~16–64 KB chunk alive per
 * tiny record, and a whole 1 MB buffer per long one). Lines are written one after the other round
 * the ring; a hit whose bytes the writer is about to overwrite is evicted first, so the live hits
 * always occupy one contiguous stretch of the ring. Slabs are allocated when the writer first
 * reaches them and released once no live hit is in them, so a quiet relay holds little.
 *
 * No object or string per stored hit: slots are parallel typed arrays. The young-generation
 * collector copies every object that survives it; 20,000 lines held as strings made it copy
 * ~2 KB per hit (bench/RESULTS.md, ingest). The id → slot map holds small integers, and the ring
 * (not the map's first key, which walks every deleted entry) says which hit is oldest.
 */

/** Hits kept at most, whatever their size. */
export const HIT_STORE_CAPACITY = 20_000;
/** Bytes of lines kept at most: 20,000 hits of up to ~3.3 KB each fit. */
export const HIT_STORE_MAX_BYTES = 64 * 1024 * 1024;
/** The arena is allocated and released in slabs of this size. */
export const HIT_STORE_SLAB_BYTES = 1024 * 1024;

export interface HitStoreOptions {
  /** Hits kept at most. Default `HIT_STORE_CAPACITY` (20,000). */
  capacity?: number;
  /** Line bytes kept at most, rounded up to whole slabs. Default `HIT_STORE_MAX_BYTES` (64 MiB). */
  maxBytes?: number;
  /** Slab size. Default `HIT_STORE_SLAB_BYTES` (1 MiB). */
  slabBytes?: number;
  /** The host's byte operations. Default `portableBytes`. */
  bytes?: ByteOps;
}

export interface StoredHit {
  /** The line as received. */
  line: string;
  shard: number;
  seq: number;
  arrivedAt: number;
}

export class HitStore {
  readonly capacity: number;
  readonly maxBytes: number;
  private readonly slabBytes: number;
  private readonly slotOf = new Map<string, number>();
  /** The hit id of each slot; undefined for a free slot or one whose id was stored again. */
  private readonly ids: (string | undefined)[];
  /** Where each slot's line starts in the arena, and its length. */
  private readonly positions: Float64Array;
  private readonly lengths: Uint32Array;
  private readonly shards: Uint8Array;
  private readonly seqs: Float64Array;
  private readonly arrivals: Float64Array;
  /** Slots in use (live or replaced), from `oldest` on round the slot ring. */
  private oldest = 0;
  private count = 0;
  /** Where the next line goes in the arena, and the arena bytes held by the slots in use. */
  private head = 0;
  private used = 0;
  private readonly slabs: (Uint8Array | undefined)[];
  /** One released slab kept for the writer, so a steady stream allocates nothing. */
  private spare: Uint8Array | undefined;
  private readonly ops: ByteOps;

  constructor(options: HitStoreOptions = {}) {
    this.capacity = Math.max(1, options.capacity ?? HIT_STORE_CAPACITY);
    this.slabBytes = Math.max(1, options.slabBytes ?? HIT_STORE_SLAB_BYTES);
    const slabCount = Math.max(1, Math.ceil((options.maxBytes ?? HIT_STORE_MAX_BYTES) / this.slabBytes));
    this.maxBytes = slabCount * this.slabBytes;
    this.slabs = new Array<Uint8Array | undefined>(slabCount).fill(undefined);
    this.ops = options.bytes ?? portableBytes;
    this.ids = new Array<string | undefined>(this.capacity).fill(undefined);
    this.positions = new Float64Array(this.capacity);
    this.lengths = new Uint32Array(this.capacity);
    this.shards = new Uint8Array(this.capacity);
    this.seqs = new Float64Array(this.capacity);
    this.arrivals = new Float64Array(this.capacity);
  }

  /**
   * Keeps a copy of `bytes[start, end)` as the line of `hitId` (an id stored again replaces the
   * earlier hit and becomes the newest). Returns false, keeping nothing, for a line longer than
   * the whole store.
   */
  add(
    hitId: string,
    bytes: Uint8Array,
    start: number,
    end: number,
    shard: number,
    seq: number,
    arrivedAt: number,
  ): boolean {
    const length = end - start;
    if (length > this.maxBytes || length < 0) return false;
    const previous = this.slotOf.get(hitId);
    if (previous !== undefined) {
      this.slotOf.delete(hitId);
      this.ids[previous] = undefined;
    }
    while (this.count === this.capacity || this.used + length > this.maxBytes) this.evictOldest();
    const slot = (this.oldest + this.count) % this.capacity;
    this.positions[slot] = this.head;
    this.lengths[slot] = length;
    this.shards[slot] = shard;
    this.seqs[slot] = seq;
    this.arrivals[slot] = arrivedAt;
    this.ids[slot] = hitId;
    this.slotOf.set(hitId, slot);
    this.count++;
    this.used += length;
    this.write(bytes, start, end);
    return true;
  }

  get(hitId: string): StoredHit | undefined {
    const slot = this.slotOf.get(hitId);
    if (slot === undefined) return undefined;
    return {
      line: this.read(this.positions[slot]!, this.lengths[slot]!),
      shard: this.shards[slot]!,
      seq: this.seqs[slot]!,
      arrivedAt: this.arrivals[slot]!,
    };
  }

  /** Distinct hits held. */
  get size(): number {
    return this.slotOf.size;
  }

  /** Line bytes the held slots occupy in the arena (at most `maxBytes`). */
  get bytes(): number {
    return this.used;
  }

  /** Arena bytes allocated (slabs, the spare included): at most `maxBytes` + one slab. */
  get allocatedBytes(): number {
    let slabs = this.spare ? 1 : 0;
    for (const slab of this.slabs) if (slab) slabs++;
    return slabs * this.slabBytes;
  }

  private evictOldest(): void {
    const slot = this.oldest;
    const id = this.ids[slot];
    if (id !== undefined) {
      this.slotOf.delete(id);
      this.ids[slot] = undefined;
    }
    const from = this.positions[slot]!;
    this.used -= this.lengths[slot]!;
    this.count--;
    this.oldest = (slot + 1) % this.capacity;
    // Release the slabs the oldest live line has moved past (never the writer's).
    const tail = this.count > 0 ? this.positions[this.oldest]! : this.head;
    const headSlab = Math.floor(this.head / this.slabBytes);
    let slab = Math.floor(from / this.slabBytes);
    const tailSlab = Math.floor(tail / this.slabBytes);
    while (slab !== tailSlab) {
      if (slab !== headSlab) this.release(slab);
      slab = (slab + 1) % this.slabs.length;
    }
  }

  private release(index: number): void {
    const slab = this.slabs[index];
    if (!slab) return;
    this.slabs[index] = undefined;
    this.spare ??= slab;
  }

  private slab(index: number): Uint8Array {
    let slab = this.slabs[index];
    if (!slab) {
      slab = this.spare ?? new Uint8Array(this.slabBytes);
      this.spare = undefined;
      this.slabs[index] = slab;
    }
    return slab;
  }

  /** Copies `bytes[start, end)` to the head of the ring, across slabs and round its end. */
  private write(bytes: Uint8Array, start: number, end: number): void {
    let at = this.head;
    while (start < end) {
      const index = Math.floor(at / this.slabBytes);
      const offset = at - index * this.slabBytes;
      const take = Math.min(end - start, this.slabBytes - offset);
      this.ops.copy(bytes, this.slab(index), offset, start, start + take);
      start += take;
      at += take;
      if (at === this.maxBytes) at = 0;
    }
    this.head = at;
  }

  private read(position: number, length: number): string {
    const index = Math.floor(position / this.slabBytes);
    const offset = position - index * this.slabBytes;
    if (offset + length <= this.slabBytes) return this.ops.utf8(this.slab(index), offset, offset + length);
    // A line across slabs (or round the ring's end): gather it first (rare, and only on request).
    const line = new Uint8Array(length);
    let at = position;
    for (let done = 0; done < length;) {
      const i = Math.floor(at / this.slabBytes);
      const o = at - i * this.slabBytes;
      const take = Math.min(length - done, this.slabBytes - o);
      copyBytes(this.slab(i), line, done, o, o + take);
      done += take;
      at += take;
      if (at === this.maxBytes) at = 0;
    }
    return this.ops.utf8(line, 0, length);
  }
}
