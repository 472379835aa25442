import { join } from 'node:path';
import { z } from 'zod';
import { readFileIfPresent, writeFileAtomic } from './atomic-file.ts';

/**
 * What each shard must remember across a restart so that a crash-and-restart can never
 * reconnect sooner than the cooldown: when it last lost (or was refused) a connection, whether a
 * connection was open and when it was last seen alive, and how many 409s came in a row.
 */

const ShardMemorySchema = z.object({
  lastLossAt: z.number().optional(),
  /** A connection was open (or being opened) when this was written. */
  open: z.boolean().optional(),
  /** While open: the last time the relay was known alive with it. */
  aliveAt: z.number().optional(),
  consecutive409: z.int().nonnegative().optional(),
});
export type ShardMemoryEntry = z.output<typeof ShardMemorySchema>;

const FileSchema = z.object({
  version: z.literal(1),
  upstream: z.string().optional(),
  shards: z.record(z.string(), ShardMemorySchema),
});

export interface ShardMemory {
  get(shard: number): ShardMemoryEntry;
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

/**
 * Persisted in `DATA_DIR/shards.json`, replaced atomically on every change. The memory belongs
 * to one upstream stream (origin and path): pointed at another stream (or a fresh embedded
 * simulator on a new port), the relay has no churn to answer for and starts clean.
 */
export class FileShardMemory extends MemoryShardMemory {
  readonly path: string;

  /** `upstream`: the stream's identity, e.g. `upstreamKey(url)`. */
  constructor(
    dataDir: string,
    private readonly upstream: string,
  ) {
    super();
    this.path = join(dataDir, 'shards.json');
    const text = readFileIfPresent(this.path);
    if (text) {
      try {
        const parsed = FileSchema.parse(JSON.parse(text));
        if (parsed.upstream !== undefined && parsed.upstream !== upstream) return;
        for (const [shard, entry] of Object.entries(parsed.shards)) this.entries.set(Number(shard), entry);
      } catch {
        // A damaged file: start empty rather than refuse to start (nothing else is lost).
      }
    }
  }

  override update(shard: number, patch: Partial<ShardMemoryEntry>): void {
    super.update(shard, patch);
    const shards: Record<string, ShardMemoryEntry> = {};
    for (const [key, entry] of this.entries) shards[String(key)] = entry;
    writeFileAtomic(this.path, `${JSON.stringify({ version: 1, upstream: this.upstream, shards }, null, 2)}\n`);
  }
}

/** A stream's identity for the memory: origin and path, without the query. */
export function upstreamKey(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
