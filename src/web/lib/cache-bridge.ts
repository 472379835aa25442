import type { Problem, Shard, Stats, StatsResponse, Status } from '../../contract/index.ts';

/**
 * Pure updaters the live store uses to write SSE events into the TanStack Query cache, so the
 * REST queries and the stream share one source of truth.
 */

export interface ProblemsData {
  problems: Problem[];
}

/** The status with one shard replaced (or added, kept in shard order). */
export function withShard(status: Status | undefined, shard: Shard): Status | undefined {
  if (!status) return status;
  const shards = status.shards.filter((s) => s.shard !== shard.shard);
  shards.push(shard);
  shards.sort((a, b) => a.shard - b.shard);
  return { ...status, shards };
}

/** The problems list with a new one on top (newest first), bounded by `limit`, without duplicates. */
export function withProblem(data: ProblemsData | undefined, problem: Problem, limit: number): ProblemsData | undefined {
  if (!data) return data;
  const rest = data.problems.filter((p) => p.id !== problem.id);
  return { ...data, problems: [problem, ...rest].slice(0, Math.max(1, limit)) };
}

/** The per-second series with one more second, trimmed to the last `windowS` seconds. */
export function withStats(data: StatsResponse | undefined, stats: Stats, windowS: number): StatsResponse | undefined {
  if (!data) return data;
  const from = stats.t - windowS;
  const series = data.series.filter((s) => s.t > from && s.t !== stats.t);
  let i = series.length;
  while (i > 0 && series[i - 1]!.t > stats.t) i--;
  series.splice(i, 0, stats);
  return { ...data, series };
}
