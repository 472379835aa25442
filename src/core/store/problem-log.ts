import type { Problem } from '../../contract/index.ts';

/**
 * The error log, newest first: the last `keep` Problems (default 1,000) in memory. The Node host
 * persists it (src/relay/store/file-problem-log.ts); the mock host keeps it in memory only.
 *
 * A Problem has a life: it is added once, and later `update`d in place (same `id`) when it is
 * resolved or acknowledged. An update never moves it: the log stays in the order things happened.
 */
export interface ProblemLogOptions {
  /** Problems kept in memory and served. Default 1,000. */
  keep?: number;
}

/** What may change in a logged Problem: its life, never what happened. */
export interface ProblemUpdate {
  resolvedAt?: number;
  acknowledgedAt?: number;
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

  /**
   * Sets `resolvedAt` and/or `acknowledgedAt` of the Problem with this id, each only if not set
   * yet (the first resolution and the first acknowledgement are the ones that count). Returns the
   * Problem as it is now, and whether this call changed it; undefined for an id not in the log.
   */
  update(id: string, patch: ProblemUpdate): { problem: Problem; changed: boolean } | undefined {
    return this.apply(id, patch);
  }

  /** The Problem with this id, if the log still holds it. */
  find(id: string): Problem | undefined {
    const index = this.indexOf(id);
    return index < 0 ? undefined : this.problems[index];
  }

  /** Problems not resolved yet that `match`, oldest first. */
  active(match: (problem: Problem) => boolean = () => true): Problem[] {
    const start = Math.max(0, this.problems.length - this.keep);
    return this.problems.slice(start).filter((p) => p.resolvedAt === undefined && match(p));
  }

  protected remember(problem: Problem): void {
    this.problems.push(problem);
    if (this.problems.length > this.keep * 2) this.problems.splice(0, this.problems.length - this.keep);
  }

  /** The update without any side effect of a host (a file log folds its own lines with it). */
  protected apply(id: string, patch: ProblemUpdate): { problem: Problem; changed: boolean } | undefined {
    const index = this.indexOf(id);
    if (index < 0) return undefined;
    const old = this.problems[index]!;
    const next: Problem = { ...old };
    let changed = false;
    if (patch.resolvedAt !== undefined && old.resolvedAt === undefined) {
      next.resolvedAt = patch.resolvedAt;
      changed = true;
    }
    if (patch.acknowledgedAt !== undefined && old.acknowledgedAt === undefined) {
      next.acknowledgedAt = patch.acknowledgedAt;
      changed = true;
    }
    if (!changed) return { problem: old, changed };
    this.problems[index] = next;
    return { problem: next, changed };
  }

  /** Newest first. */
  list(limit: number): Problem[] {
    const start = Math.max(0, this.problems.length - Math.min(limit, this.keep));
    return this.problems.slice(start).reverse();
  }

  get size(): number {
    return Math.min(this.problems.length, this.keep);
  }

  /** Searched from the newest: updates are nearly always about recent Problems. */
  private indexOf(id: string): number {
    const stop = Math.max(0, this.problems.length - this.keep);
    for (let i = this.problems.length - 1; i >= stop; i--) if (this.problems[i]!.id === id) return i;
    return -1;
  }
}
