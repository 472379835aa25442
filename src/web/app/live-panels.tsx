import { useQuery, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Stats } from '../../contract/index.ts';
import { useStatus } from '../features/connection/index.ts';
import { FeedPanel, useRevenueCurrency } from '../features/feed/index.ts';
import {
  COMPARE_OFFSETS,
  compareSpan,
  getHistoryAtOptions,
  getHistoryOptions,
  getLongTopOptions,
  getStatsOptions,
  getTrafficOptions,
  historyPoints,
  isLongWindow,
  isTrafficWindow,
  parseCompare,
  StreamQualityPanel,
  TrafficPanel,
  type CompareKey,
  type TrafficWindowS,
} from '../features/traffic/index.ts';
import { useFeed, useFeedStats, useLatestStats, useLink, usePause, useTopWindows } from '../lib/live-store/index.ts';
import { useRelayNow } from '../lib/ticker.ts';
import { formatPick, parsePick, type TopPick } from '../lib/top-pick.ts';
import { useSearchParam } from '../lib/url-state.ts';
import { PAUSE_SHORTCUT } from './keyboard-shortcuts.ts';

/** URL query parameters of the live panels, so a view can be shared. */
export const VIEW_PARAMS = { window: 'window', compare: 'compare', feedFilter: 'q', pick: 'pick' } as const;

/** The feed's section, where a top-list click takes the operator. */
export const FEED_SECTION_ID = 'live-feed';
export const DEFAULT_WINDOW_S: TrafficWindowS = 900;

const NO_STATS: readonly Stats[] = [];

export function parseWindow(value: string | null): TrafficWindowS {
  const n = Number(value);
  return value !== null && isTrafficWindow(n) ? n : DEFAULT_WINDOW_S;
}

/** Width of the page in steps of 100 px: how many points a long window asks for (about one per pixel). */
const readPlotWidth = () => Math.ceil((typeof innerWidth === 'number' ? innerWidth : 1024) / 100) * 100;

/** Buckets a long window asks for: about one per two pixels of the plot (the page less the panel's padding and the y axis). */
const pointsFor = (width: number) => historyPoints(width - 120);

function usePlotWidth(): number {
  const read = readPlotWidth;
  const [width, setWidth] = useState(read);
  useEffect(() => {
    const onResize = () => setWidth(readPlotWidth());
    addEventListener('resize', onResize);
    return () => removeEventListener('resize', onResize);
  }, []);
  return width;
}

/**
 * A long window's data: the history ending now and its top lists, refetched every minute; and,
 * on any window, the period compared with (the same span a day or a week earlier).
 */
function useHistoryData(windowS: number, compare: CompareKey | undefined, liveEndT: number | undefined) {
  const long = isLongWindow(windowS);
  const points = pointsFor(usePlotWidth());
  const history = useQuery({ ...getHistoryOptions(windowS, points), enabled: long });
  const longTop = useQuery({ ...getLongTopOptions(windowS), enabled: long });
  // The compared span: a long window's exactly `offset` before the history's (same buckets, same
  // end); a live window's the window's end rounded up to the minute, `offset` before.
  let span: { windowS: number; endS: number } | undefined;
  if (compare !== undefined) {
    const offset = COMPARE_OFFSETS[compare];
    if (long) span = history.data ? { windowS, endS: history.data.end - offset } : undefined;
    else if (liveEndT !== undefined) span = compareSpan(liveEndT, windowS, offset);
  }
  const compared = useQuery({
    ...getHistoryAtOptions(span?.windowS ?? 60, points, span?.endS ?? 0),
    enabled: span !== undefined,
  });
  return {
    history: long ? history.data : undefined,
    historyError: long && history.error && !history.data ? history.error.message : undefined,
    longTop: long ? longTop.data : undefined,
    // The previous minute's answer stays drawn while the next one loads (never another period's).
    compareHistory:
      span !== undefined && compared.data?.window === span.windowS && Math.abs(compared.data.end - span.endS) <= 600
        ? compared.data
        : undefined,
    compareFailed: span !== undefined && compared.isError,
  };
}

/** The traffic charts, fed from the stats history (extended live by the store) and the latest top lists. */
export function TrafficSection() {
  const [windowParam, setWindowParam] = useSearchParam(VIEW_PARAMS.window);
  const [compareParam, setCompareParam] = useSearchParam(VIEW_PARAMS.compare);
  const stats = useQuery(getStatsOptions());
  const traffic = useQuery(getTrafficOptions());
  const top = useTopWindows();
  const { counts, sampled } = useFeedStats();
  const link = useLink();
  const { paused } = usePause();
  const { data: status } = useStatus();
  const windowS = parseWindow(windowParam);
  const compare = parseCompare(compareParam);
  const longData = useHistoryData(windowS, compare, stats.data?.series.at(-1)?.t);
  const onCompareChange = useCallback(
    (next: CompareKey | undefined) => setCompareParam(next ?? null),
    [setCompareParam],
  );
  // The relay's main currency (the one most purchases are in), else what the feed shows.
  const feedCurrency = useRevenueCurrency(useFeed());
  const currency = top?.find((t) => t.window === windowS)?.currency ?? feedCurrency;
  const [pickParam, setPick] = useSearchParam(VIEW_PARAMS.pick);
  const pick = useMemo(() => parsePick(pickParam), [pickParam]);
  // Kept across renders (this section re-renders with every feed update): the top lists are memoised.
  const onPick = useCallback(
    (pick: TopPick) => {
      setPick(formatPick(pick));
      // Take the operator to what the click changed: the feed, now showing only those hits.
      const feed = document.getElementById(FEED_SECTION_ID);
      feed?.scrollIntoView({ block: 'start' });
      feed?.focus({ preventScroll: true });
    },
    [setPick],
  );
  const onWindowChange = useCallback((windowS: TrafficWindowS) => setWindowParam(String(windowS)), [setWindowParam]);
  return (
    <TrafficPanel
      pick={pick}
      onPick={onPick}
      series={stats.data?.series ?? NO_STATS}
      traffic={traffic.data}
      top={top}
      windowS={windowS}
      onWindowChange={onWindowChange}
      sampled={sampled}
      received={counts.received}
      shown={counts.shown}
      linkDown={link.state !== 'open'}
      asOf={link.lastEventAt}
      paused={paused}
      shardCount={status?.upstream.maxConnections ?? 1}
      relayStartedAt={status?.relay.startedAt}
      currency={currency}
      compare={compare}
      onCompareChange={onCompareChange}
      {...longData}
    />
  );
}

/** The live hit feed, from the store; its text filter lives in the URL. */
export function FeedSection() {
  const hits = useFeed();
  const { counts, sampled } = useFeedStats();
  const pause = usePause();
  const [filter, setFilter] = useSearchParam(VIEW_PARAMS.feedFilter);
  const [pickParam, setPick] = useSearchParam(VIEW_PARAMS.pick);
  const pick = useMemo(() => parsePick(pickParam), [pickParam]);
  const currency = useRevenueCurrency(hits);
  // Stable, so the feed's filter field is not updated with every feed frame (FeedPanel).
  const onFilterChange = useCallback((value: string) => setFilter(value || null), [setFilter]);
  return (
    <FeedPanel
      pick={pick}
      onClearPick={() => setPick(null)}
      hits={hits}
      paused={pause.paused}
      onTogglePause={pause.toggle}
      arrivedWhilePaused={pause.arrivedWhilePaused}
      filter={filter ?? ''}
      onFilterChange={onFilterChange}
      sampled={sampled}
      received={counts.received}
      shown={counts.shown}
      pauseShortcut={PAUSE_SHORTCUT}
      currency={currency}
    />
  );
}

/** What Adobe's docs say an operator should watch, over the chosen window: lag against the band, shares, revenue per currency, shard spread. */
export function StreamQualitySection() {
  const [windowParam] = useSearchParam(VIEW_PARAMS.window);
  const link = useLink();
  const { paused } = usePause();
  return (
    <StreamQualityPanel
      top={useTopWindows()}
      // A long window's quality figures would need the history's: the panel keeps the live hour.
      windowS={Math.min(parseWindow(windowParam), 3600)}
      latest={useLatestStats()}
      now={useRelayNow()}
      linkDown={link.state !== 'open'}
      paused={paused}
    />
  );
}

/**
 * A page opened on a long window (`?window=86400`) asks for its history and top lists at once,
 * before React's first render, instead of after it: the same queries the panel makes, so the
 * panel finds them in the cache (bench/suites/history.ts measures navigation to the drawn chart).
 */
export function prefetchLongWindow(queryClient: QueryClient, search: string): void {
  const windowS = parseWindow(new URLSearchParams(search).get(VIEW_PARAMS.window));
  if (!isLongWindow(windowS)) return;
  void queryClient.prefetchQuery(getHistoryOptions(windowS, pointsFor(readPlotWidth())));
  void queryClient.prefetchQuery(getLongTopOptions(windowS));
}
