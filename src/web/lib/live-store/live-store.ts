import type { QueryClient } from '@tanstack/react-query';
import { parseSseEvent, type HitSummary, type SseEventMap, type Stats, type Top } from '../../../contract/index.ts';
import { relayClock, type RelayClock } from '../relay-clock.ts';
import type { LinkState, RawEvent, StreamTransport } from '../stream-link/index.ts';
import { CacheBridge } from './cache-bridge.ts';
import { FrameBatcher, frameScheduler, type FlushScheduler } from './frame-batcher.ts';
import { DEFAULT_FEED_LIMIT, HitFeed, type FeedCounts, type FeedReset, type Sampled } from './hit-feed.ts';
import { LinkStatus } from './link-status.ts';
import { Pause } from './pause.ts';

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
 * against the contract (a malformed one is counted, never a crash) and hands it to its parts:
 * the bounded feed (`hit-feed.ts`), the pause (`pause.ts`), the relay's clock (`relay-clock.ts`,
 * from `hello` and `state`), the TanStack Query cache (`cache-bridge.ts`). It publishes one
 * snapshot per animation frame (`frame-batcher.ts`), never a React update per hit.
 * Read it with `useSyncExternalStore` (see `live-store-react.tsx`).
 */
export class LiveStore {
  private readonly transport: StreamTransport;
  private readonly clock: RelayClock;
  private readonly now: () => number;
  private readonly listeners = new Set<() => void>();
  private readonly feed: HitFeed;
  private readonly pause = new Pause();
  private readonly link: LinkStatus;
  private readonly cache: CacheBridge;
  private readonly batcher: FrameBatcher;

  private snapshot: LiveSnapshot;
  private liveTop: readonly Top[] | undefined;
  private latestStats: Stats | undefined;
  private lastHitAt: Record<number, number> = {};
  private lastHitAtChanged = false;
  private runId: string | undefined;
  private running = false;

  constructor(options: LiveStoreOptions) {
    this.transport = options.transport;
    this.clock = options.clock ?? relayClock;
    this.now = options.now ?? (() => Date.now());
    this.feed = new HitFeed(Math.max(1, options.feedLimit ?? DEFAULT_FEED_LIMIT));
    this.link = new LinkStatus({ state: 'connecting', since: this.now(), attempt: 0 });
    this.cache = new CacheBridge(options.queryClient, () => this.runId);
    this.batcher = new FrameBatcher(options.scheduler ?? frameScheduler, () => this.publish());
    this.snapshot = {
      feed: this.feed.hits,
      counts: this.feed.counts,
      sampled: undefined,
      paused: false,
      pausedAt: undefined,
      arrivedWhilePaused: 0,
      chartsFrozenAtT: undefined,
      top: undefined,
      latestStats: undefined,
      lastHitAt: {},
      link: this.link.current(),
      lastReset: undefined,
      runId: undefined,
      transport: this.transport.kind,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.cache.start();
    this.transport.start({ event: (event) => this.receive(event), link: (link) => this.receiveLink(link) });
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.cache.stop();
    this.transport.stop();
    this.batcher.cancel();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveSnapshot => this.snapshot;

  /** Pauses or resumes the feed and the charts (WCAG 2.2.2). The connection map stays live. */
  setPaused(paused: boolean): void {
    if (paused === this.snapshot.paused) return;
    this.feed.flush();
    if (paused) {
      const at = this.now();
      const chartsFrozenAtT = this.latestStats?.t ?? Math.floor(this.clock.now(this.now()) / 1000);
      this.pause.pause(at, chartsFrozenAtT, this.feed.hits, this.liveTop);
    } else {
      this.pause.resume();
    }
    this.publish();
  }

  togglePause = (): void => this.setPaused(!this.snapshot.paused);

  /** Reconnects the browser's link now instead of waiting for its countdown. */
  retryLinkNow = (): void => this.transport.retryNow();

  /** Empties the feed (counts are kept). */
  clearFeed = (): void => {
    this.feed.clear();
    this.pause.clearFeed();
    this.publish();
  };

  /** Applies what arrived since the last frame at once (tests, and before pausing). */
  flushNow(): void {
    this.batcher.cancel();
    this.publish();
  }

  private receiveLink(link: LinkState) {
    this.link.set(link);
    this.batcher.request();
  }

  private receive(event: RawEvent) {
    if (!this.running) return;
    this.link.eventAt(event.receivedAt);
    switch (event.name) {
      case 'hello':
        this.parsed('hello', event, (hello) => this.onHello(hello, event.receivedAt));
        break;
      case 'state':
        this.parsed('state', event, (shard) => {
          // The relay stamps `since` as it broadcasts the change: a fresh reading of its clock,
          // taken exactly when a countdown starts.
          this.clock.observe(shard.since, event.receivedAt);
          this.cache.shard(shard);
          this.noteHit(shard.shard, shard.lastHitAt);
        });
        break;
      case 'hits':
        this.parsed('hits', event, (hits) => {
          const total = this.feed.add(hits, (hit) => this.noteHit(hit.shard, hit.arrivedAt), event.receivedAt);
          this.pause.noteArrived(total);
        });
        break;
      case 'problem':
        this.parsed('problem', event, (problem) => this.cache.problem(problem));
        break;
      case 'alert':
        this.parsed('alert', event, (alert) => this.cache.alert(alert));
        break;
      case 'stats':
        this.parsed('stats', event, (stats) => {
          this.latestStats = stats;
          this.cache.stats(stats);
        });
        break;
      case 'top':
        this.parsed('top', event, ({ windows }) => {
          this.liveTop = windows;
          this.cache.top(windows);
        });
        break;
      case 'traffic':
        this.parsed('traffic', event, (traffic) => this.cache.traffic(traffic));
        break;
      case 'counters':
        this.parsed('counters', event, (live) => this.cache.counters(live));
        break;
      case 'reset':
        this.parsed('reset', event, (reset) => this.onReset(reset.reason, reset.missed));
        break;
      default:
        this.feed.countIgnored();
    }
    this.batcher.request();
  }

  private parsed<K extends keyof SseEventMap>(name: K, event: RawEvent, apply: (value: SseEventMap[K]) => void) {
    const result = parseSseEvent(name, event.data);
    if (result.ok) apply(result.value);
    else this.feed.countMalformed();
  }

  private onHello({ status }: SseEventMap['hello'], receivedAt: number) {
    if (status.relay.now !== undefined) this.clock.observe(status.relay.now, receivedAt);
    const runId = status.relay.runId;
    if (runId && this.runId && runId !== this.runId) this.onReset('other-run');
    if (runId) this.runId = runId;
    this.cache.hello(status);
    for (const shard of status.shards) this.noteHit(shard.shard, shard.lastHitAt);
  }

  private onReset(reason: string, missed?: number) {
    this.feed.reset(reason, this.now(), missed);
    if (reason === 'other-run') this.cache.invalidateAll();
  }

  private noteHit(shard: number, at: number | undefined) {
    if (at === undefined || (this.lastHitAt[shard] ?? -Infinity) >= at) return;
    if (!this.lastHitAtChanged) this.lastHitAt = { ...this.lastHitAt };
    this.lastHitAt[shard] = at;
    this.lastHitAtChanged = true;
  }

  private publish() {
    this.feed.flush();
    const prev = this.snapshot;
    const { counts, sampled } = this.feed;
    const next: LiveSnapshot = {
      feed: this.pause.feedOr(this.feed.hits),
      counts: sameCounts(prev.counts, counts) ? prev.counts : counts,
      sampled: sameSampled(prev.sampled, sampled) ? prev.sampled : sampled,
      paused: this.pause.paused,
      pausedAt: this.pause.pausedAt,
      arrivedWhilePaused: this.pause.arrivedWhilePaused,
      chartsFrozenAtT: this.pause.chartsFrozenAtT,
      top: this.pause.topOr(this.liveTop),
      latestStats: this.latestStats,
      lastHitAt: this.lastHitAtChanged ? this.lastHitAt : prev.lastHitAt,
      link: this.link.current(),
      lastReset: this.feed.lastReset,
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

function sameCounts(a: FeedCounts, b: FeedCounts): boolean {
  return a.received === b.received && a.shown === b.shown && a.malformed === b.malformed && a.ignored === b.ignored;
}

function sameSampled(a: Sampled | undefined, b: Sampled | undefined): boolean {
  return a === b || (!!a && !!b && a.kept === b.kept && a.total === b.total);
}

export function createLiveStore(options: LiveStoreOptions): LiveStore {
  return new LiveStore(options);
}
