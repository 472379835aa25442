/**
 * The full records of recent distinct hits, as received (the line's text), for
 * `GET /api/hits/:hitId`. Bounded by count; the oldest go first. A ring of ids says which one is
 * oldest: asking a Map for its first key after many deletions walks over every deleted slot.
 */

export interface StoredHit {
  line: string;
  shard: number;
  seq: number;
  arrivedAt: number;
}

export class HitStore {
  private readonly byId = new Map<string, StoredHit>();
  private readonly ring: (string | undefined)[];
  private next = 0;

  constructor(private readonly capacity = 20_000) {
    this.ring = new Array<string | undefined>(capacity);
  }

  add(hitId: string, hit: StoredHit): void {
    if (this.byId.has(hitId)) {
      this.byId.set(hitId, hit);
      return;
    }
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.byId.delete(evicted);
    this.ring[this.next] = hitId;
    this.next = (this.next + 1) % this.capacity;
    this.byId.set(hitId, hit);
  }

  get(hitId: string): StoredHit | undefined {
    return this.byId.get(hitId);
  }

  get size(): number {
    return this.byId.size;
  }
}
