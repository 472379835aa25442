import type { QueryCacheNotifyEvent, QueryClient, QueryKey } from '@tanstack/react-query';
import type {
  Alert,
  CountersEvent,
  Problem,
  Shard,
  Stats,
  StatsResponse,
  Status,
  Top,
  Traffic,
} from '../../../contract/index.ts';
import { queryKeys } from '../query-keys.ts';
import { mergeAlert, withAlert, type AlertsData } from './alert-merge.ts';
import { withTraffic } from './traffic-merge.ts';

/** Problems list length assumed for a cached problems query whose key names no limit. */
const DEFAULT_PROBLEMS_LIMIT = 200;

export interface ProblemsData {
  problems: Problem[];
}

/**
 * Where the live stream meets the TanStack Query cache, so the REST queries and the stream share
 * one source of truth:
 * - it writes SSE events into the cached queries: `hello` the status, `state` one shard of it,
 *   `counters` its totals, `problem` every problems list, `alert` the alerts, `stats` every
 *   stats history, `top` each window;
 * - it reconciles: a REST answer that was in flight while events arrived replaces what they wrote,
 *   so it puts those live events back (a stats second, a problem, an alert, a newer shard state).
 */
export class CacheBridge {
  /** Recent live events, re-applied to a REST answer that was in flight when they arrived. */
  private recentStats: Stats[] = [];
  private recentTraffic: Traffic[] = [];
  private recentProblems: Problem[] = [];
  private recentAlerts: Alert[] = [];
  /** The newest state of each shard the stream told us; a late status answer must not undo it. */
  private readonly latestShards = new Map<number, Shard>();
  /** The newest totals the stream told us (`hello`, `counters`); an older status answer must not undo them. */
  private latestCounters: CountersEvent | undefined;
  private unsubscribe: (() => void) | undefined;

  /** `currentRun` is the relay run the stream is on: a status answer from another run is left alone. */
  constructor(
    private readonly queryClient: QueryClient,
    private readonly currentRun: () => string | undefined,
  ) {}

  start(): void {
    this.unsubscribe = this.queryClient.getQueryCache().subscribe(this.onCacheEvent);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** The stream (re)connected: its status replaces the cached one. */
  hello(status: Status): void {
    this.queryClient.setQueryData(queryKeys.status(), status);
    this.latestShards.clear();
    this.latestCounters =
      status.relay.now === undefined
        ? undefined
        : {
            at: status.relay.now,
            counters: status.counters,
            clients: status.clients,
            shardHits: status.shards.map((s) => s.hits),
          };
    for (const shard of status.shards) this.latestShards.set(shard.shard, shard);
    // The stream only carries what happens from now on: the second that closed between a REST
    // answer and this hello (or everything during a gap) must come from REST again.
    void this.queryClient.invalidateQueries({ queryKey: queryKeys.problemsAll() });
    void this.queryClient.invalidateQueries({ queryKey: queryKeys.alerts() });
    void this.queryClient.invalidateQueries({ queryKey: queryKeys.statsAll() });
    void this.queryClient.invalidateQueries({ queryKey: queryKeys.trafficAll() });
  }

  shard(shard: Shard): void {
    this.latestShards.set(shard.shard, shard);
    this.queryClient.setQueryData<Status>(queryKeys.status(), (old) => withShard(old, shard));
  }

  /** The relay's running totals: the status's counters, clients and each shard's hits. */
  counters(live: CountersEvent): void {
    this.latestCounters = live;
    for (const shard of this.latestShards.values()) {
      const hits = live.shardHits[shard.shard];
      if (hits !== undefined && hits !== shard.hits) this.latestShards.set(shard.shard, { ...shard, hits });
    }
    this.queryClient.setQueryData<Status>(queryKeys.status(), (old) => withCounters(old, live));
  }

  problem(problem: Problem): void {
    this.recentProblems = [...this.recentProblems.slice(-49), problem];
    for (const [key, data] of this.queryClient.getQueriesData<ProblemsData>({ queryKey: queryKeys.problemsAll() })) {
      if (!data) continue;
      this.queryClient.setQueryData<ProblemsData>(key, withProblem(data, problem, limitOf(key)));
    }
  }

  /** An alert fired or resolved: added to the cached alerts, or replacing its earlier copy. */
  alert(alert: Alert): void {
    this.recentAlerts = [...this.recentAlerts.slice(-49), alert];
    this.queryClient.setQueryData<AlertsData>(queryKeys.alerts(), (data) => withAlert(data, alert));
  }

  stats(stats: Stats): void {
    this.recentStats = [...this.recentStats.slice(-59), stats];
    for (const [key, data] of this.queryClient.getQueriesData<StatsResponse>({ queryKey: queryKeys.statsAll() })) {
      if (!data) continue;
      this.queryClient.setQueryData<StatsResponse>(key, withStats(data, stats, windowOf(key)));
    }
  }

  /** The seconds of the site's traffic (Adobe's clock) that late hits changed, and the outages. */
  traffic(update: Traffic): void {
    this.recentTraffic = [...this.recentTraffic.slice(-29), update];
    for (const [key, data] of this.queryClient.getQueriesData<Traffic>({ queryKey: queryKeys.trafficAll() })) {
      if (!data) continue;
      this.queryClient.setQueryData<Traffic>(key, withTraffic(data, update, windowOf(key)));
    }
  }

  top(windows: readonly Top[]): void {
    for (const top of windows) this.queryClient.setQueryData(queryKeys.top(top.window), top);
  }

  /** Another relay run: nothing cached is known to be right any more. */
  invalidateAll(): void {
    void this.queryClient.invalidateQueries();
  }

  /**
   * A REST answer replaces what the stream wrote while the request was in flight: put those live
   * events back (a stats second or a problem would otherwise be lost until the next refetch).
   */
  private readonly onCacheEvent = (event: QueryCacheNotifyEvent) => {
    if (event.type !== 'updated' || event.action.type !== 'success' || event.action.manual) return;
    const key = event.query.queryKey as QueryKey;
    if (key[0] === queryKeys.trafficAll()[0]) {
      let data = event.query.state.data as Traffic | undefined;
      if (!data || this.recentTraffic.length === 0) return;
      // Counts only grow: re-applying what the stream said cannot lower what the answer counted.
      for (const update of this.recentTraffic) data = withTraffic(data, { seconds: update.seconds }, windowOf(key));
      this.queryClient.setQueryData<Traffic>(key, data);
    } else if (key[0] === queryKeys.statsAll()[0]) {
      let data = event.query.state.data as StatsResponse | undefined;
      const last = data?.series.at(-1)?.t ?? -Infinity;
      const missing = this.recentStats.filter((stats) => stats.t > last);
      if (!data || missing.length === 0) return;
      for (const stats of missing) data = withStats(data, stats, windowOf(key));
      this.queryClient.setQueryData<StatsResponse>(key, data);
    } else if (key[0] === queryKeys.status()[0]) {
      const data = event.query.state.data as Status | undefined;
      const runId = this.currentRun();
      if (!data || (data.relay.runId && runId && data.relay.runId !== runId)) return;
      const fresher = [...this.latestShards.values()].filter((live) => {
        const answered = data.shards.find((s) => s.shard === live.shard);
        return !answered || answered.since < live.since;
      });
      const live = this.latestCounters;
      const newerCounters = live !== undefined && live.at > (data.relay.now ?? 0);
      if (fresher.length === 0 && !newerCounters) return;
      let merged: Status | undefined = data;
      for (const shard of fresher) merged = withShard(merged, shard);
      if (newerCounters) merged = withCounters(merged, live);
      this.queryClient.setQueryData<Status>(key, merged);
    } else if (key[0] === queryKeys.problemsAll()[0]) {
      let data = event.query.state.data as ProblemsData | undefined;
      if (!data) return;
      const known = new Map(data.problems.map((p) => [p.id, p]));
      // Missing from the answer, or further in their life (resolved, acknowledged) than it says.
      const missing = this.recentProblems.filter((p) => {
        const answered = known.get(p.id);
        return !answered || mergeProblem(answered, p) !== answered;
      });
      if (missing.length === 0) return;
      for (const problem of missing) data = withProblem(data, problem, limitOf(key));
      this.queryClient.setQueryData<ProblemsData>(key, data);
    } else if (key[0] === queryKeys.alerts()[0]) {
      let data = event.query.state.data as AlertsData | undefined;
      if (!data) return;
      const known = new Map(data.alerts.map((a) => [a.id, a]));
      // Missing from the answer, or further in their life (resolved) than it says.
      const missing = this.recentAlerts.filter((a) => {
        const answered = known.get(a.id);
        return !answered || mergeAlert(answered, a) !== answered;
      });
      if (missing.length === 0) return;
      for (const alert of missing) data = withAlert(data, alert);
      this.queryClient.setQueryData<AlertsData>(key, data);
    }
  };
}

/** The status with one shard replaced (or added, kept in shard order). */
export function withShard(status: Status | undefined, shard: Shard): Status | undefined {
  if (!status) return status;
  const shards = status.shards.filter((s) => s.shard !== shard.shard);
  shards.push(shard);
  shards.sort((a, b) => a.shard - b.shard);
  return { ...status, shards };
}

/** The status with the stream's newer totals: counters, clients, and each shard's hits. */
export function withCounters(status: Status | undefined, live: CountersEvent): Status | undefined {
  if (!status) return status;
  return {
    ...status,
    counters: live.counters,
    clients: live.clients,
    shards: status.shards.map((s) => {
      const hits = live.shardHits[s.shard];
      return hits === undefined || hits === s.hits ? s : { ...s, hits };
    }),
  };
}

/**
 * The problems list with a new one on top (newest first), bounded by `limit`. A Problem sent
 * again (same id: resolved, acknowledged) replaces the one listed, in its place: never a duplicate.
 */
export function withProblem(data: ProblemsData | undefined, problem: Problem, limit: number): ProblemsData | undefined {
  if (!data) return data;
  const index = data.problems.findIndex((p) => p.id === problem.id);
  if (index < 0) return { ...data, problems: [problem, ...data.problems].slice(0, Math.max(1, limit)) };
  const merged = mergeProblem(data.problems[index]!, problem);
  if (merged === data.problems[index]) return data;
  const problems = [...data.problems];
  problems[index] = merged;
  return { ...data, problems };
}

/**
 * The later copy of a Problem, its life kept whatever the order copies arrive in: once resolved
 * or acknowledged it stays so (an older copy, a REST answer sent before the event, cannot undo it).
 * Returns `known` itself when `next` adds nothing.
 */
export function mergeProblem(known: Problem, next: Problem): Problem {
  const resolvedAt = known.resolvedAt ?? next.resolvedAt;
  const acknowledgedAt = known.acknowledgedAt ?? next.acknowledgedAt;
  if (resolvedAt === known.resolvedAt && acknowledgedAt === known.acknowledgedAt) return known;
  return {
    ...known,
    ...next,
    ...(resolvedAt !== undefined ? { resolvedAt } : {}),
    ...(acknowledgedAt !== undefined ? { acknowledgedAt } : {}),
  };
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

function limitOf(key: QueryKey): number {
  const params = key[1] as { limit?: unknown } | undefined;
  return typeof params?.limit === 'number' ? params.limit : DEFAULT_PROBLEMS_LIMIT;
}

function windowOf(key: QueryKey): number {
  const params = key[1] as { windowS?: unknown } | undefined;
  return typeof params?.windowS === 'number' ? params.windowS : 3600;
}
