import { useQuery } from '@tanstack/react-query';
import type { Stats } from '../../contract/index.ts';
import { useStatus } from '../features/connection/index.ts';
import { FeedPanel, useRevenueCurrency } from '../features/feed/index.ts';
import {
  getStatsOptions,
  getTrafficOptions,
  isTrafficWindow,
  TrafficPanel,
  type TrafficWindowS,
} from '../features/traffic/index.ts';
import { useFeed, useFeedStats, useLink, usePause, useTopWindows } from '../lib/live-store/index.ts';
import { useSearchParam } from '../lib/url-state.ts';
import { PAUSE_SHORTCUT } from './keyboard-shortcuts.ts';

/** URL query parameters of the live panels, so a view can be shared. */
export const VIEW_PARAMS = { window: 'window', feedFilter: 'q' } as const;
export const DEFAULT_WINDOW_S: TrafficWindowS = 900;

const NO_STATS: readonly Stats[] = [];

export function parseWindow(value: string | null): TrafficWindowS {
  const n = Number(value);
  return value !== null && isTrafficWindow(n) ? n : DEFAULT_WINDOW_S;
}

/** The traffic charts, fed from the stats history (extended live by the store) and the latest top lists. */
export function TrafficSection() {
  const [windowParam, setWindowParam] = useSearchParam(VIEW_PARAMS.window);
  const stats = useQuery(getStatsOptions());
  const traffic = useQuery(getTrafficOptions());
  const top = useTopWindows();
  const { counts, sampled } = useFeedStats();
  const link = useLink();
  const { paused } = usePause();
  const { data: status } = useStatus();
  const currency = useRevenueCurrency(useFeed());
  return (
    <TrafficPanel
      series={stats.data?.series ?? NO_STATS}
      traffic={traffic.data}
      top={top}
      windowS={parseWindow(windowParam)}
      onWindowChange={(windowS) => setWindowParam(String(windowS))}
      sampled={sampled}
      received={counts.received}
      shown={counts.shown}
      linkDown={link.state !== 'open'}
      asOf={link.lastEventAt}
      paused={paused}
      shardCount={status?.upstream.maxConnections ?? 1}
      relayStartedAt={status?.relay.startedAt}
      currency={currency}
    />
  );
}

/** The live hit feed, from the store; its text filter lives in the URL. */
export function FeedSection() {
  const hits = useFeed();
  const { counts, sampled } = useFeedStats();
  const pause = usePause();
  const [filter, setFilter] = useSearchParam(VIEW_PARAMS.feedFilter);
  const currency = useRevenueCurrency(hits);
  return (
    <FeedPanel
      hits={hits}
      paused={pause.paused}
      onTogglePause={pause.toggle}
      arrivedWhilePaused={pause.arrivedWhilePaused}
      filter={filter ?? ''}
      onFilterChange={(value) => setFilter(value || null)}
      sampled={sampled}
      received={counts.received}
      shown={counts.shown}
      pauseShortcut={PAUSE_SHORTCUT}
      currency={currency}
    />
  );
}
