import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ProblemSchema, type Problem } from '../../contract/index.ts';
import { readStateFile, removeStaleTemporaries, writeFileAtomic } from './atomic-file.ts';
import { ProblemLog, type ProblemLogOptions } from '../../core/store/problem-log.ts';
import { WriteHealth, type WriteHooks } from '../../core/store/write-health.ts';

/**
 * The error log: every Problem, newest first, surviving a restart. Stored as NDJSON in
 * `DATA_DIR/problems.ndjson`, one complete line per write, appended and fsynced, so a crash
 * mid-write can at worst leave a torn last line, which the next start skips: nothing already
 * written is lost. The file is compacted (atomically) when it grows past `maxLines`.
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
        const parsed = ProblemSchema.safeParse(JSON.parse(line));
        if (parsed.success) this.remember(parsed.data);
      } catch {
        // A torn last line from a crash mid-write.
      }
    }
  }

  override add(problem: Problem): void {
    this.remember(problem);
    try {
      const fd = openSync(this.path, 'a', 0o600);
      try {
        // After a failed write a torn line may end the file: start on a line of our own.
        writeSync(fd, `${this.health.ok ? '' : '\n'}${JSON.stringify(problem)}\n`);
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

  /** Throws like `writeFileAtomic`; `add` reports it. */
  private compact(): void {
    const recent = this.problems.slice(-this.keep);
    writeFileAtomic(this.path, recent.map((p) => `${JSON.stringify(p)}\n`).join(''));
    this.lines = recent.length;
  }
}
