import { z } from 'zod';

/**
 * What each shard must remember across a restart so that a crash-and-restart can never
 * reconnect sooner than the cooldown: when it last lost (or was refused) a connection, whether a
 * connection was open and when it was last seen alive, and how many 409s came in a row.
 */

export const ShardMemorySchema = z.object({
  lastLossAt: z.number().optional(),
  /** A connection was open (or being opened) when this was written. */
  open: z.boolean().optional(),
  /** While open: the last time the relay was known alive with it. */
  aliveAt: z.number().optional(),
  consecutive409: z.int().nonnegative().optional(),
  /** When the next attempt was planned (a long Retry-After must outlive a restart too). */
  retryAt: z.number().optional(),
});
export type ShardMemoryEntry = z.output<typeof ShardMemorySchema>;

export interface ShardMemory {
  get(shard: number): ShardMemoryEntry;
  /** Never throws: a store that cannot persist keeps the memory in the process. */
  update(shard: number, patch: Partial<ShardMemoryEntry>): void;
  /**
   * The moment the shard last lost its connection as far as a restarted relay can tell: the
   * recorded loss, or, if a connection was open when the relay died, the last time it was seen alive.
   */
  effectiveLastLoss(shard: number): number | undefined;
}

/** Kept in memory (tests, benchmarks). */
export class MemoryShardMemory implements ShardMemory {
  protected entries = new Map<number, ShardMemoryEntry>();

  get(shard: number): ShardMemoryEntry {
    return { ...this.entries.get(shard) };
  }

  update(shard: number, patch: Partial<ShardMemoryEntry>): void {
    this.entries.set(shard, { ...this.entries.get(shard), ...patch });
  }

  effectiveLastLoss(shard: number): number | undefined {
    const entry = this.entries.get(shard);
    if (!entry) return undefined;
    const candidates = [entry.lastLossAt, entry.open ? entry.aliveAt : undefined].filter(
      (n): n is number => typeof n === 'number',
    );
    return candidates.length ? Math.max(...candidates) : undefined;
  }
}
