import type { Figure, SuiteResult } from './figures.ts';

export interface SuiteContext {
  quick: boolean;
  /** `--long`: the browser suite runs 5 minutes for the heap figure. */
  long: boolean;
  soakMinutes: number;
  /** Seconds between two soak faults. */
  faultEveryS: number;
  /**
   * `--ingest-against <commit>`: the ingest suite also runs the relay path of that commit (a git
   * worktree sharing this node_modules), interleaved with this one, for a same-run comparison.
   */
  ingestAgainst?: string;
  log(message: string): void;
}

export interface Suite {
  name: string;
  title: string;
  run(ctx: SuiteContext, result: SuiteResult): Promise<void>;
}

/** Collects a suite's output as it goes, so a failure keeps what was measured. */
export function newResult(suite: Suite, command: string): SuiteResult {
  return {
    suite: suite.name,
    title: suite.title,
    command,
    startedAt: new Date().toISOString(),
    durationS: 0,
    figures: [] as Figure[],
    notes: [],
    profiles: [],
  };
}
