/**
 * Remembers recently seen hit ids to drop duplicates (after a reconnect, across shards), in
 * bounded memory: two generations of at most `capacity` ids each; when the young one fills, the
 * old one is forgotten. An id is recognised for at least `capacity` further distinct hits.
 */
export class Dedup {
  private young = new Set<string>();
  private old = new Set<string>();

  constructor(private readonly capacity = 200_000) {}

  /** True the first time an id is seen (within the memory window); false for a duplicate. */
  add(id: string): boolean {
    if (this.old.has(id)) return false;
    // One lookup in the young generation: adding an id it holds leaves its size alone.
    const before = this.young.size;
    this.young.add(id);
    if (this.young.size === before) return false;
    if (this.young.size > this.capacity) {
      this.young.delete(id);
      this.old = this.young;
      this.young = new Set([id]);
    }
    return true;
  }

  /** Seen (within the memory window), without adding it. */
  has(id: string): boolean {
    return this.young.has(id) || this.old.has(id);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}
