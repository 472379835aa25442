import { join } from 'node:path';
import { z } from 'zod';
import { readStateFile, removeStaleTemporaries, writeFileAtomic } from './atomic-file.ts';
import { MemoryShardMemory, ShardMemorySchema, type ShardMemoryEntry } from '../../core/store/shard-memory.ts';
import { WriteHealth, type WriteHooks } from '../../core/store/write-health.ts';

/** A recorded loss later than this after now is damage, not clock skew. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const FileSchema = z.object({
  version: z.literal(1),
  upstream: z.string().optional(),
  shards: z.record(z.string(), ShardMemorySchema),
});

/**
 * Persisted in `DATA_DIR/shards.json`, replaced atomically on every change. The memory belongs
 * to one upstream stream (origin and path): pointed at another stream (or a fresh embedded
 * simulator on a new port), the relay has no churn to answer for and starts clean.
 *
 * Never throws. A file that exists but cannot be read, parsed or trusted (a time in the future)
 * means "assume the worst": every shard counts a loss at the file's last change (at start when
 * even that is unknown, never later than now), so the relay waits the full cooldown, and
 * `unreadable` says why. A write that fails (disk full, read-only, the file became a folder)
 * leaves the memory working in the process and is reported through `hooks` once per episode.
 */
export class FileShardMemory extends MemoryShardMemory {
  readonly path: string;
  /** Set when the file could not be used at start. */
  readonly unreadable: { reason: string; lossAt: number } | undefined;
  private readonly health: WriteHealth;

  /** `upstream`: the stream's identity, e.g. `upstreamKey(url)`. */
  constructor(
    dataDir: string,
    private readonly upstream: string,
    options: { now?: () => number; hooks?: WriteHooks } = {},
  ) {
    super();
    const now = (options.now ?? Date.now)();
    this.path = join(dataDir, 'shards.json');
    this.health = new WriteHealth('the shard memory (shards.json)', options.hooks);
    removeStaleTemporaries(this.path);
    const read = readStateFile(this.path);
    if (read.kind === 'absent') return;
    let problem: string | undefined = read.kind === 'unreadable' ? read.reason : undefined;
    if (read.kind === 'text') {
      try {
        const parsed = FileSchema.parse(JSON.parse(read.text));
        if (parsed.upstream !== undefined && parsed.upstream !== upstream) return;
        const future = Object.values(parsed.shards).some(
          (entry) => Math.max(entry.lastLossAt ?? 0, entry.aliveAt ?? 0) > now + MAX_CLOCK_SKEW_MS,
        );
        if (future) problem = 'it records a loss in the future';
        else for (const [shard, entry] of Object.entries(parsed.shards)) this.entries.set(Number(shard), entry);
      } catch (error) {
        problem = `it is not a valid shard memory (${error instanceof SyntaxError ? 'not JSON' : 'unexpected content'})`;
      }
    }
    if (problem !== undefined) {
      this.entries.clear();
      const lossAt = Math.min(read.modifiedAt ?? now, now);
      this.unreadable = { reason: `${this.path}: ${problem}`, lossAt };
    }
  }

  override effectiveLastLoss(shard: number): number | undefined {
    const known = super.effectiveLastLoss(shard);
    const assumed = this.unreadable?.lossAt;
    if (assumed === undefined) return known;
    return known === undefined ? assumed : Math.max(known, assumed);
  }

  override update(shard: number, patch: Partial<ShardMemoryEntry>): void {
    super.update(shard, patch);
    const shards: Record<string, ShardMemoryEntry> = {};
    for (const [key, entry] of this.entries) shards[String(key)] = entry;
    try {
      writeFileAtomic(this.path, `${JSON.stringify({ version: 1, upstream: this.upstream, shards }, null, 2)}\n`);
      this.health.succeeded();
    } catch (error) {
      this.health.failed(error);
    }
  }
}

/** A stream's identity for the memory: origin and path, without the query. */
export function upstreamKey(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
