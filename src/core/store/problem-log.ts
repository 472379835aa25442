import type { Problem } from '../../contract/index.ts';

/**
 * The error log, newest first: the last `keep` Problems (default 1,000) in memory. The Node host
 * persists it (src/relay/store/file-problem-log.ts); the mock host keeps it in memory only.
 */
export interface ProblemLogOptions {
  /** Problems kept in memory and served. Default 1,000. */
  keep?: number;
}

export class ProblemLog {
  protected readonly problems: Problem[] = [];
  protected readonly keep: number;

  constructor(options: ProblemLogOptions = {}) {
    this.keep = options.keep ?? 1_000;
  }

  /** Remembers a Problem (a later one with the same id replaces nothing: the log is a history). */
  add(problem: Problem): void {
    this.remember(problem);
  }

  protected remember(problem: Problem): void {
    this.problems.push(problem);
    if (this.problems.length > this.keep * 2) this.problems.splice(0, this.problems.length - this.keep);
  }

  /** Newest first. */
  list(limit: number): Problem[] {
    const start = Math.max(0, this.problems.length - Math.min(limit, this.keep));
    return this.problems.slice(start).reverse();
  }

  get size(): number {
    return Math.min(this.problems.length, this.keep);
  }
}
