/**
 * The full records of recent distinct hits, as received (the line's text), for
 * `GET /api/hits/:hitId`. Bounded by count; the oldest go first.
 */

export interface StoredHit {
  line: string;
  shard: number;
  seq: number;
  arrivedAt: number;
}

export class HitStore {
  private readonly byId = new Map<string, StoredHit>();

  constructor(private readonly capacity = 20_000) {}

  add(hitId: string, hit: StoredHit): void {
    this.byId.set(hitId, hit);
    if (this.byId.size > this.capacity) {
      const oldest = this.byId.keys().next();
      if (!oldest.done) this.byId.delete(oldest.value);
    }
  }

  get(hitId: string): StoredHit | undefined {
    return this.byId.get(hitId);
  }

  get size(): number {
    return this.byId.size;
  }
}
