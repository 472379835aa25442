/**
 * The live store: one external store, outside React, fed by the stream link and read with
 * `useSyncExternalStore` through the hooks of `live-store-react.tsx`.
 *
 * - `live-store.ts`: `LiveStore` checks every event against the contract, routes it to the parts
 *   below and publishes one snapshot per frame.
 * - `hit-feed.ts`: the bounded feed, replay de-duplication, counts and sampling.
 * - `pause.ts`: what stands still while paused, and what arrived meanwhile.
 * - `link-status.ts`: the link state shown, with `lastEventAt` moving at most once a second.
 * - `frame-batcher.ts`: one flush per animation frame (a timer in a hidden tab).
 * - `cache-bridge.ts`: events written into the TanStack Query cache, and put back into REST
 *   answers that were in flight when they arrived (`alert-merge.ts`, `traffic-merge.ts`: how a
 *   live copy joins what is cached).
 *
 * The rest of the SPA uses only what is exported here.
 */
export { createLiveStore, type LiveSnapshot, type LiveStore, type LiveStoreOptions } from './live-store.ts';
export type { FlushScheduler } from './frame-batcher.ts';
export { mergeProblem, withProblem, type ProblemsData } from './cache-bridge.ts';
export { mergeAlert, sortAlerts, withAlert, MAX_RESOLVED_ALERTS, type AlertsData } from './alert-merge.ts';
export type { FeedCounts, FeedReset, Sampled } from './hit-feed.ts';
export {
  LiveStoreProvider,
  useFeed,
  useFeedStats,
  useLastHitAt,
  useLatestStats,
  useLink,
  useLiveStore,
  useLiveStoreApi,
  usePause,
  useTopWindows,
  type FeedStats,
  type PauseControl,
} from './live-store-react.tsx';
