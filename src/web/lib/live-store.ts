import type { QueryCacheNotifyEvent, QueryClient, QueryKey } from '@tanstack/react-query';
import {
  parseSseEvent,
  type HitSummary,
  type Problem,
  type Shard,
  type SseEventMap,
  type Stats,
  type StatsResponse,
  type Status,
  type Top,
} from '../../contract/index.ts';
import { withProblem, withShard, withStats, type ProblemsData } from './cache-bridge.ts';
import { queryKeys } from './query-keys.ts';
import { relayClock, type RelayClock } from './relay-clock.ts';
import type { LinkState, RawEvent, StreamTransport } from './transport.ts';

/** Hit summaries the feed keeps; older ones are dropped. */
export const DEFAULT_FEED_LIMIT = 5_000;
/** A hidden tab gets no animation frames: a timer flushes instead (browsers slow it to ≥ 1 s). */
export const HIDDEN_FLUSH_MS = 250;
/** Problems list length assumed for a cached problems query whose key names no limit. */
const DEFAULT_PROBLEMS_LIMIT = 200;

export interface FeedCounts {
  /** Distinct hits the relay had for this browser: `sampled.total` when sampled, else the hits sent. */
  received: number;
  /** Hits that reached this tab (the feed shows at most `feedLimit` of them). */
  shown: number;
  /** Events whose data failed the contract schemas: counted and ignored. */
  malformed: number;
  /** Events with a name this dashboard does not know yet. */
  ignored: number;
}

export interface Sampled {
  kept: number;
  total: number;
}

export interface FeedReset {
  reason: string;
  missed?: number;
  /** Local clock, epoch ms. */
  at: number;
}

/**
 * Everything the live stream shows. A new object per change, each field kept by reference while
 * unchanged, so a selector re-renders only what changed.
 */
export interface LiveSnapshot {
  /** Arrival order (oldest first, newest last), at most `feedLimit`; frozen while paused. */
  feed: readonly HitSummary[];
  counts: FeedCounts;
  /** Sampling of the latest `hits` event; undefined when the feed is complete. */
  sampled: Sampled | undefined;
  paused: boolean;
  /** Local clock, epoch ms. */
  pausedAt: number | undefined;
  /** Hits that arrived since pausing (relay's count, as `received`). */
  arrivedWhilePaused: number;
  /** While paused, charts show seconds up to this one (epoch s). */
  chartsFrozenAtT: number | undefined;
  /** Latest top lists for every window; frozen while paused. */
  top: readonly Top[] | undefined;
  /** Latest second of stats; live even while paused (the connection map uses it). */
  latestStats: Stats | undefined;
  /** Arrival of the last hit per shard (relay clock, epoch ms). */
  lastHitAt: Readonly<Record<number, number>>;
  /** The browser's link to the relay. `lastEventAt` moves at most once a second. */
  link: LinkState;
  /** The last time the feed was started afresh (relay said `reset`, or a new relay run). */
  lastReset: FeedReset | undefined;
  /** Current relay run, from `hello`. */
  runId: string | undefined;
  /** Which transport holds the connection. */
  transport: StreamTransport['kind'];
}

/** Requests one flush; returns a cancel function. */
export type FlushScheduler = (flush: () => void) => () => void;

/** Next animation frame, or a timer when no frame comes (hidden tab), whichever is first. */
export const frameScheduler: FlushScheduler = (flush) => {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(timer);
    flush();
  };
  const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(run) : undefined;
  const timer = setTimeout(run, HIDDEN_FLUSH_MS);
  return () => {
    done = true;
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
};

export interface LiveStoreOptions {
  transport: StreamTransport;
  queryClient: QueryClient;
  feedLimit?: number;
  scheduler?: FlushScheduler;
  clock?: RelayClock;
  /** Local clock (epoch ms). */
  now?: () => number;
}

/**
 * The live side of the dashboard, outside React: it owns the SSE transport, checks every event
 * against the contract (a malformed one is counted, never a crash), batches hits per animation
 * frame (never a React update per hit), keeps the feed bounded, counts what arrives while paused,
 * and writes `hello`/`state`/`problem`/`stats`/`top` into the TanStack Query cache.
 * Read it with `useSyncExternalStore` (see `live-store-react.tsx`).
 */
export class LiveStore {
  private readonly transport: StreamTransport;
  private readonly queryClient: QueryClient;
  private readonly feedLimit: number;
  private readonly scheduler: FlushScheduler;
  private readonly clock: RelayClock;
  private readonly now: () => number;
  private readonly listeners = new Set<() => void>();

  private snapshot: LiveSnapshot;
  private pending: HitSummary[] = [];
  private liveFeed: readonly HitSummary[] = [];
  private frozenFeed: readonly HitSummary[] = [];
  private liveTop: readonly Top[] | undefined;
  private frozenTop: readonly Top[] | undefined;
  private counts: FeedCounts = { received: 0, shown: 0, malformed: 0, ignored: 0 };
  private sampled: Sampled | undefined;
  private arrivedWhilePaused = 0;
  private latestStats: Stats | undefined;
  private lastHitAt: Record<number, number> = {};
  private lastHitAtChanged = false;
  private linkBase: LinkState;
  private lastEventAt: number | undefined;
  private lastReset: FeedReset | undefined;
  private runId: string | undefined;
  private lastSeq = -1;
  private helloCount = 0;
  private cancelFlush: (() => void) | undefined;
  private running = false;
  /** Recent live events, re-applied to a REST answer that was in flight when they arrived. */
  private recentStats: Stats[] = [];
  private recentProblems: Problem[] = [];
  /** The newest state of each shard the stream told us; a late status answer must not undo it. */
  private readonly latestShards = new Map<number, Shard>();
  private unsubscribeCache: (() => void) | undefined;

  constructor(options: LiveStoreOptions) {
    this.transport = options.transport;
    this.queryClient = options.queryClient;
    this.feedLimit = Math.max(1, options.feedLimit ?? DEFAULT_FEED_LIMIT);
    this.scheduler = options.scheduler ?? frameScheduler;
    this.clock = options.clock ?? relayClock;
    this.now = options.now ?? (() => Date.now());
    this.linkBase = { state: 'connecting', since: this.now(), attempt: 0 };
    this.snapshot = {
      feed: this.liveFeed,
      counts: this.counts,
      sampled: undefined,
      paused: false,
      pausedAt: undefined,
      arrivedWhilePaused: 0,
      chartsFrozenAtT: undefined,
      top: undefined,
      latestStats: undefined,
      lastHitAt: {},
      link: withLastEvent(this.linkBase, undefined),
      lastReset: undefined,
      runId: undefined,
      transport: this.transport.kind,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribeCache = this.queryClient.getQueryCache().subscribe(this.onCacheEvent);
    this.transport.start({ event: (event) => this.receive(event), link: (link) => this.receiveLink(link) });
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.unsubscribeCache?.();
    this.unsubscribeCache = undefined;
    this.transport.stop();
    this.cancelFlush?.();
    this.cancelFlush = undefined;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveSnapshot => this.snapshot;

  /** Pauses or resumes the feed and the charts (WCAG 2.2.2). The connection map stays live. */
  setPaused(paused: boolean): void {
    if (paused === this.snapshot.paused) return;
    this.applyPending();
    if (paused) {
      this.frozenFeed = this.liveFeed;
      this.frozenTop = this.liveTop;
      this.arrivedWhilePaused = 0;
    }
    this.publish({
      paused,
      pausedAt: paused ? this.now() : undefined,
      chartsFrozenAtT: paused ? (this.latestStats?.t ?? Math.floor(this.clock.now(this.now()) / 1000)) : undefined,
    });
  }

  togglePause = (): void => this.setPaused(!this.snapshot.paused);

  /** Reconnects the browser's link now instead of waiting for its countdown. */
  retryLinkNow = (): void => this.transport.retryNow();

  /** Empties the feed (counts are kept). */
  clearFeed = (): void => {
    this.pending = [];
    this.liveFeed = [];
    this.frozenFeed = [];
    this.publish({});
  };

  /** Applies what arrived since the last frame at once (tests, and before pausing). */
  flushNow(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    this.publish({});
  }

  private receiveLink(link: LinkState) {
    this.linkBase = link;
    this.schedule();
  }

  private receive(event: RawEvent) {
    if (!this.running) return;
    this.lastEventAt = event.receivedAt;
    switch (event.name) {
      case 'hello':
        this.parsed('hello', event, (hello) => this.onHello(hello, event.receivedAt));
        break;
      case 'state':
        this.parsed('state', event, (shard) => {
          // The relay stamps `since` as it broadcasts the change: a fresh reading of its clock,
          // taken exactly when a countdown starts.
          this.clock.observe(shard.since, event.receivedAt);
          this.latestShards.set(shard.shard, shard);
          this.queryClient.setQueryData<Status>(queryKeys.status(), (old) => withShard(old, shard));
          this.noteHit(shard.shard, shard.lastHitAt);
        });
        break;
      case 'hits':
        this.parsed('hits', event, (hits) => this.onHits(hits));
        break;
      case 'problem':
        this.parsed('problem', event, (problem) => this.onProblem(problem));
        break;
      case 'stats':
        this.parsed('stats', event, (stats) => this.onStats(stats));
        break;
      case 'top':
        this.parsed('top', event, ({ windows }) => {
          this.liveTop = windows;
          for (const top of windows) this.queryClient.setQueryData(queryKeys.top(top.window), top);
        });
        break;
      case 'reset':
        this.parsed('reset', event, (reset) => this.onReset(reset.reason, reset.missed));
        break;
      default:
        this.counts = { ...this.counts, ignored: this.counts.ignored + 1 };
    }
    this.schedule();
  }

  private parsed<K extends keyof SseEventMap>(name: K, event: RawEvent, apply: (value: SseEventMap[K]) => void) {
    const result = parseSseEvent(name, event.data);
    if (result.ok) apply(result.value);
    else this.counts = { ...this.counts, malformed: this.counts.malformed + 1 };
  }

  private onHello(hello: SseEventMap['hello'], receivedAt: number) {
    const { status } = hello;
    if (status.relay.now !== undefined) this.clock.observe(status.relay.now, receivedAt);
    const runId = status.relay.runId;
    if (runId && this.runId && runId !== this.runId) this.onReset('other-run');
    if (runId) this.runId = runId;
    this.queryClient.setQueryData(queryKeys.status(), status);
    this.latestShards.clear();
    for (const shard of status.shards) {
      this.latestShards.set(shard.shard, shard);
      this.noteHit(shard.shard, shard.lastHitAt);
    }
    // The stream only carries what happens from now on: the second that closed between a REST
    // answer and this hello (or everything during a gap) must come from REST again.
    void this.queryClient.invalidateQueries({ queryKey: queryKeys.problemsAll() });
    void this.queryClient.invalidateQueries({ queryKey: queryKeys.statsAll() });
    this.helloCount++;
  }

  private onHits({ hits, sampled }: SseEventMap['hits']) {
    let accepted = 0;
    for (const hit of hits) {
      if (hit.seq <= this.lastSeq) continue;
      this.lastSeq = hit.seq;
      this.pending.push(hit);
      this.noteHit(hit.shard, hit.arrivedAt);
      accepted++;
    }
    if (this.pending.length > 2 * this.feedLimit) this.pending = this.pending.slice(-this.feedLimit);
    const total = sampled ? Math.max(sampled.total, accepted) : accepted;
    this.counts = { ...this.counts, received: this.counts.received + total, shown: this.counts.shown + accepted };
    this.sampled = sampled ? { kept: sampled.kept, total: sampled.total } : undefined;
    if (this.snapshot.paused) this.arrivedWhilePaused += total;
  }

  /**
   * A REST answer replaces what the stream wrote while the request was in flight: put those live
   * events back (a stats second or a problem would otherwise be lost until the next refetch).
   */
  private readonly onCacheEvent = (event: QueryCacheNotifyEvent) => {
    if (event.type !== 'updated' || event.action.type !== 'success' || event.action.manual) return;
    const key = event.query.queryKey as QueryKey;
    if (key[0] === queryKeys.statsAll()[0]) {
      let data = event.query.state.data as StatsResponse | undefined;
      const last = data?.series.at(-1)?.t ?? -Infinity;
      const missing = this.recentStats.filter((stats) => stats.t > last);
      if (!data || missing.length === 0) return;
      for (const stats of missing) data = withStats(data, stats, windowOf(key));
      this.queryClient.setQueryData<StatsResponse>(key, data);
    } else if (key[0] === queryKeys.status()[0]) {
      const data = event.query.state.data as Status | undefined;
      if (!data || (data.relay.runId && this.runId && data.relay.runId !== this.runId)) return;
      const fresher = [...this.latestShards.values()].filter((live) => {
        const answered = data.shards.find((s) => s.shard === live.shard);
        return !answered || answered.since < live.since;
      });
      if (fresher.length === 0) return;
      let merged: Status | undefined = data;
      for (const shard of fresher) merged = withShard(merged, shard);
      this.queryClient.setQueryData<Status>(key, merged);
    } else if (key[0] === queryKeys.problemsAll()[0]) {
      let data = event.query.state.data as ProblemsData | undefined;
      if (!data) return;
      const known = new Set(data.problems.map((p) => p.id));
      const missing = this.recentProblems.filter((p) => !known.has(p.id));
      if (missing.length === 0) return;
      for (const problem of missing) data = withProblem(data, problem, limitOf(key));
      this.queryClient.setQueryData<ProblemsData>(key, data);
    }
  };

  private onProblem(problem: Problem) {
    this.recentProblems = [...this.recentProblems.slice(-49), problem];
    for (const [key, data] of this.queryClient.getQueriesData<ProblemsData>({ queryKey: queryKeys.problemsAll() })) {
      if (!data) continue;
      this.queryClient.setQueryData<ProblemsData>(key, withProblem(data, problem, limitOf(key)));
    }
  }

  private onStats(stats: Stats) {
    this.latestStats = stats;
    this.recentStats = [...this.recentStats.slice(-59), stats];
    for (const [key, data] of this.queryClient.getQueriesData<StatsResponse>({ queryKey: queryKeys.statsAll() })) {
      if (!data) continue;
      this.queryClient.setQueryData<StatsResponse>(key, withStats(data, stats, windowOf(key)));
    }
  }

  private onReset(reason: string, missed?: number) {
    this.pending = [];
    this.liveFeed = [];
    this.lastSeq = -1;
    this.lastReset = { reason, at: this.now(), ...(missed !== undefined ? { missed } : {}) };
    if (reason === 'other-run') void this.queryClient.invalidateQueries();
  }

  private noteHit(shard: number, at: number | undefined) {
    if (at === undefined || (this.lastHitAt[shard] ?? -Infinity) >= at) return;
    if (!this.lastHitAtChanged) this.lastHitAt = { ...this.lastHitAt };
    this.lastHitAt[shard] = at;
    this.lastHitAtChanged = true;
  }

  private schedule() {
    if (this.cancelFlush) return;
    this.cancelFlush = this.scheduler(() => {
      this.cancelFlush = undefined;
      this.publish({});
    });
  }

  private applyPending() {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const merged = batch.length >= this.feedLimit ? batch : this.liveFeed.concat(batch);
    this.liveFeed = merged.length > this.feedLimit ? merged.slice(merged.length - this.feedLimit) : merged;
  }

  private publish(changes: Partial<Pick<LiveSnapshot, 'paused' | 'pausedAt' | 'chartsFrozenAtT'>>) {
    this.applyPending();
    const prev = this.snapshot;
    const paused = changes.paused ?? prev.paused;
    const lastEventAt =
      this.lastEventAt !== undefined &&
      (prev.link.lastEventAt === undefined || this.lastEventAt - prev.link.lastEventAt >= 1000)
        ? this.lastEventAt
        : prev.link.lastEventAt;
    const linkChanged = this.linkBase !== stripLastEvent(prev.link) || lastEventAt !== prev.link.lastEventAt;
    const next: LiveSnapshot = {
      feed: paused ? this.frozenFeed : this.liveFeed,
      counts: sameCounts(prev.counts, this.counts) ? prev.counts : this.counts,
      sampled: sameSampled(prev.sampled, this.sampled) ? prev.sampled : this.sampled,
      paused,
      pausedAt: 'pausedAt' in changes ? changes.pausedAt : prev.pausedAt,
      arrivedWhilePaused: paused ? this.arrivedWhilePaused : 0,
      chartsFrozenAtT: 'chartsFrozenAtT' in changes ? changes.chartsFrozenAtT : prev.chartsFrozenAtT,
      top: paused ? this.frozenTop : this.liveTop,
      latestStats: this.latestStats,
      lastHitAt: this.lastHitAtChanged ? this.lastHitAt : prev.lastHitAt,
      link: linkChanged ? withLastEvent(this.linkBase, lastEventAt) : prev.link,
      lastReset: this.lastReset,
      runId: this.runId,
      transport: this.transport.kind,
    };
    this.lastHitAtChanged = false;
    const changed = (Object.keys(next) as (keyof LiveSnapshot)[]).some((key) => next[key] !== prev[key]);
    if (!changed) return;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}

const linkBases = new WeakMap<LinkState, LinkState>();

function withLastEvent(base: LinkState, lastEventAt: number | undefined): LinkState {
  const link = lastEventAt === undefined ? { ...base } : { ...base, lastEventAt };
  linkBases.set(link, base);
  return link;
}

function stripLastEvent(link: LinkState): LinkState | undefined {
  return linkBases.get(link);
}

function sameCounts(a: FeedCounts, b: FeedCounts): boolean {
  return a.received === b.received && a.shown === b.shown && a.malformed === b.malformed && a.ignored === b.ignored;
}

function sameSampled(a: Sampled | undefined, b: Sampled | undefined): boolean {
  return a === b || (!!a && !!b && a.kept === b.kept && a.total === b.total);
}

function limitOf(key: QueryKey): number {
  const params = key[1] as { limit?: unknown } | undefined;
  return typeof params?.limit === 'number' ? params.limit : DEFAULT_PROBLEMS_LIMIT;
}

function windowOf(key: QueryKey): number {
  const params = key[1] as { windowS?: unknown } | undefined;
  return typeof params?.windowS === 'number' ? params.windowS : 3600;
}

export function createLiveStore(options: LiveStoreOptions): LiveStore {
  return new LiveStore(options);
}
