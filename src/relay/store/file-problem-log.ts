import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ProblemSchema, type Problem } from '../../contract/index.ts';
import { readStateFile, removeStaleTemporaries, writeFileAtomic } from './atomic-file.ts';
import { ProblemLog, type ProblemLogOptions, type ProblemUpdate } from '../../core/store/problem-log.ts';
import { WriteHealth, type WriteHooks } from '../../core/store/write-health.ts';

/**
 * The error log: every Problem, newest first, surviving a restart. Stored as NDJSON in
 * `DATA_DIR/problems.ndjson`, one complete line per write, appended and fsynced, so a crash
 * mid-write can at worst leave a torn last line, which the next start skips: nothing already
 * written is lost. The file is compacted (atomically) when it grows past `maxLines`.
 *
 * A Problem's later life (resolved, acknowledged) is appended as an update line keyed by its id,
 * `{"update":"<id>","resolvedAt":…}`, folded into the Problem when the file is read (an update
 * for an id no longer held is ignored, and a relay of an older version skips the line as not a
 * Problem). Compaction writes the Problems folded, so updates do not outlive their Problem.
 *
 * Never throws: a folder that cannot be created or written keeps the log in memory (reported
 * through `hooks` once per episode), a file that cannot be read starts the log empty
 * (`unreadable` says why). The memory side is the core's `ProblemLog`.
 */

export interface FileProblemLogOptions extends ProblemLogOptions {
  /** Compact the file beyond this many lines. Default 5,000. */
  maxLines?: number;
  hooks?: WriteHooks;
}

/** One line of the file that changes an earlier Problem. */
const UpdateLineSchema = z.object({
  update: z.string().min(1),
  resolvedAt: z.number().optional(),
  acknowledgedAt: z.number().optional(),
});

export class FileProblemLog extends ProblemLog {
  private readonly maxLines: number;
  private readonly health: WriteHealth;
  private lines = 0;
  readonly path: string;
  /** Set when the file existed but could not be read at start. */
  readonly unreadable: string | undefined;

  constructor(dataDir: string, options: FileProblemLogOptions = {}) {
    super(options);
    this.maxLines = options.maxLines ?? 5_000;
    this.health = new WriteHealth('the error log (problems.ndjson)', options.hooks);
    this.path = join(dataDir, 'problems.ndjson');
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch {
      // Reported by the first write that fails.
    }
    removeStaleTemporaries(this.path);
    const read = readStateFile(this.path);
    if (read.kind === 'unreadable') this.unreadable = `${this.path}: ${read.reason}`;
    if (read.kind !== 'text') return;
    for (const line of read.text.split('\n')) {
      if (!line.trim()) continue;
      this.lines++;
      try {
        const json: unknown = JSON.parse(line);
        const update = UpdateLineSchema.safeParse(json);
        if (update.success) {
          const { update: id, ...patch } = update.data;
          this.apply(id, patch);
          continue;
        }
        const parsed = ProblemSchema.safeParse(json);
        if (parsed.success) this.remember(parsed.data);
      } catch {
        // A torn last line from a crash mid-write.
      }
    }
  }

  override add(problem: Problem): void {
    this.remember(problem);
    this.append(JSON.stringify(problem));
  }

  override update(id: string, patch: ProblemUpdate): { problem: Problem; changed: boolean } | undefined {
    const result = this.apply(id, patch);
    if (result?.changed) {
      const { resolvedAt, acknowledgedAt } = patch;
      this.append(
        JSON.stringify({
          update: id,
          ...(resolvedAt !== undefined ? { resolvedAt } : {}),
          ...(acknowledgedAt !== undefined ? { acknowledgedAt } : {}),
        }),
      );
    }
    return result;
  }

  /** Appends one line; a failure is reported once per episode, never thrown. */
  private append(line: string): void {
    try {
      const fd = openSync(this.path, 'a', 0o600);
      try {
        // After a failed write a torn line may end the file: start on a line of our own.
        writeSync(fd, `${this.health.ok ? '' : '\n'}${line}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      if (++this.lines > this.maxLines) this.compact();
      this.health.succeeded();
    } catch (error) {
      this.health.failed(error);
    }
  }

  /** Throws like `writeFileAtomic`; `append` reports it. */
  private compact(): void {
    const recent = this.problems.slice(-this.keep);
    writeFileAtomic(this.path, recent.map((p) => `${JSON.stringify(p)}\n`).join(''));
    this.lines = recent.length;
  }
}
