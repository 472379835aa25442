import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { HitSummary, Stats, Top } from '../../../contract/index.ts';
import type { LinkState } from '../stream-link/index.ts';
import type { FeedCounts, FeedReset, Sampled } from './hit-feed.ts';
import type { LiveSnapshot, LiveStore } from './live-store.ts';

const LiveStoreContext = createContext<LiveStore | null>(null);

export function LiveStoreProvider({ store, children }: { store: LiveStore; children: ReactNode }) {
  return <LiveStoreContext.Provider value={store}>{children}</LiveStoreContext.Provider>;
}

/** The store itself, for its actions (`togglePause`, `setPaused`, `retryLinkNow`, `clearFeed`). */
export function useLiveStoreApi(): LiveStore {
  const store = useContext(LiveStoreContext);
  if (!store) throw new Error('useLiveStoreApi needs a <LiveStoreProvider>');
  return store;
}

/**
 * Reads a slice of the live snapshot. The selector must return something already in the
 * snapshot (a field, not a new object), or React will re-render forever.
 */
export function useLiveStore<T>(selector: (snapshot: LiveSnapshot) => T): T {
  const store = useLiveStoreApi();
  return useSyncExternalStore(store.subscribe, () => selector(store.getSnapshot()));
}

/** The browser's link to the relay. */
export function useLink(): LinkState {
  return useLiveStore((s) => s.link);
}

/** The feed in arrival order (oldest first, newest last), at most ~5,000 hits; frozen while paused. */
export function useFeed(): readonly HitSummary[] {
  return useLiveStore((s) => s.feed);
}

export interface FeedStats {
  counts: FeedCounts;
  sampled: Sampled | undefined;
  lastReset: FeedReset | undefined;
}

/** Received/shown counts, sampling of the latest batch, and the last feed reset. */
export function useFeedStats(): FeedStats {
  const counts = useLiveStore((s) => s.counts);
  const sampled = useLiveStore((s) => s.sampled);
  const lastReset = useLiveStore((s) => s.lastReset);
  return { counts, sampled, lastReset };
}

export interface PauseControl {
  paused: boolean;
  pausedAt: number | undefined;
  /** Hits that arrived since pausing. */
  arrivedWhilePaused: number;
  toggle: () => void;
  setPaused: (paused: boolean) => void;
}

/** Pause/resume of the feed and the charts, shared by the whole page. */
export function usePause(): PauseControl {
  const store = useLiveStoreApi();
  const paused = useLiveStore((s) => s.paused);
  const pausedAt = useLiveStore((s) => s.pausedAt);
  const arrivedWhilePaused = useLiveStore((s) => s.arrivedWhilePaused);
  return { paused, pausedAt, arrivedWhilePaused, toggle: store.togglePause, setPaused: (p) => store.setPaused(p) };
}

/** Top lists for every window (60, 300, 900, 3600 s) from the latest `top` event; frozen while paused. */
export function useTopWindows(): readonly Top[] | undefined {
  return useLiveStore((s) => s.top);
}

/** The latest second of relay stats (live even while paused). */
export function useLatestStats(): Stats | undefined {
  return useLiveStore((s) => s.latestStats);
}

/** Arrival of the last hit per shard (relay clock). */
export function useLastHitAt(): Readonly<Record<number, number>> {
  return useLiveStore((s) => s.lastHitAt);
}
