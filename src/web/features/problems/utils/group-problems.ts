import type { Problem } from '../../../../contract/index.ts';

/** Every occurrence of one code that is still active, or every one that is resolved. */
export interface ProblemGroup {
  code: string;
  /** `active` while any occurrence in it is unresolved; resolved occurrences form their own group. */
  lifecycle: 'active' | 'resolved';
  count: number;
  /** Epoch ms of the oldest and newest occurrence. */
  firstAt: number;
  lastAt: number;
  /** The newest occurrence: the card shows its fields. */
  latest: Problem;
  /** Newest first. */
  occurrences: Problem[];
  /** Resolved groups: when the last of them was resolved (epoch ms). */
  resolvedAt?: number;
  /** When every occurrence has been acknowledged: the latest acknowledgement (epoch ms). */
  acknowledgedAt?: number;
  /** Occurrences no operator has acknowledged yet. */
  unacknowledged: Problem[];
}

export interface ProblemFilter {
  action?: string | null;
  source?: string | null;
}

export function isActive(problem: Problem): boolean {
  return problem.resolvedAt === undefined;
}

export function filterProblems(problems: readonly Problem[], filter: ProblemFilter): Problem[] {
  return problems.filter(
    (p) => (!filter.action || p.action === filter.action) && (!filter.source || p.source === filter.source),
  );
}

/**
 * Groups by code and lifecycle: active groups first, newest first; then resolved groups, the
 * most recently resolved first. A code can have both (an active occurrence and older resolved ones).
 */
export function groupProblems(problems: readonly Problem[]): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const problem of problems) {
    const lifecycle = isActive(problem) ? 'active' : 'resolved';
    const key = `${lifecycle} ${problem.code}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        code: problem.code,
        lifecycle,
        count: 1,
        firstAt: problem.at,
        lastAt: problem.at,
        latest: problem,
        occurrences: [problem],
        unacknowledged: [],
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
  for (const group of result) {
    group.occurrences.sort((a, b) => b.at - a.at);
    group.unacknowledged = group.occurrences.filter((p) => p.acknowledgedAt === undefined);
    if (group.unacknowledged.length === 0) {
      group.acknowledgedAt = Math.max(...group.occurrences.map((p) => p.acknowledgedAt!));
    }
    if (group.lifecycle === 'resolved') group.resolvedAt = Math.max(...group.occurrences.map((p) => p.resolvedAt!));
  }
  const rank = (g: ProblemGroup) => (g.lifecycle === 'active' ? 0 : 1);
  return result.sort((a, b) => rank(a) - rank(b) || (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0) || b.lastAt - a.lastAt);
}

/** How many error objects are active (not resolved). */
export function countActive(problems: readonly Problem[]): number {
  return problems.reduce((n, p) => n + (isActive(p) ? 1 : 0), 0);
}
