import type { Problem } from '../../../../contract/index.ts';

/** Every occurrence of one code. */
export interface ProblemGroup {
  code: string;
  count: number;
  /** Epoch ms of the oldest and newest occurrence. */
  firstAt: number;
  lastAt: number;
  /** The newest occurrence: the card shows its fields. */
  latest: Problem;
  /** Newest first. */
  occurrences: Problem[];
}

export interface ProblemFilter {
  action?: string | null;
  source?: string | null;
}

export function filterProblems(problems: readonly Problem[], filter: ProblemFilter): Problem[] {
  return problems.filter(
    (p) => (!filter.action || p.action === filter.action) && (!filter.source || p.source === filter.source),
  );
}

/** Groups by code; groups ordered by their newest occurrence, newest first. */
export function groupProblems(problems: readonly Problem[]): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const problem of problems) {
    const group = groups.get(problem.code);
    if (!group) {
      groups.set(problem.code, {
        code: problem.code,
        count: 1,
        firstAt: problem.at,
        lastAt: problem.at,
        latest: problem,
        occurrences: [problem],
      });
      continue;
    }
    group.count++;
    group.occurrences.push(problem);
    if (problem.at < group.firstAt) group.firstAt = problem.at;
    if (problem.at > group.lastAt) {
      group.lastAt = problem.at;
      group.latest = problem;
    }
  }
  const result = [...groups.values()];
  for (const group of result) group.occurrences.sort((a, b) => b.at - a.at);
  return result.sort((a, b) => b.lastAt - a.lastAt);
}
