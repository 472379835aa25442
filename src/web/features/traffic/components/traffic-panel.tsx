import { useMemo } from 'react';
import type { HistoryResponse, Stats, Top, Traffic } from '../../../../contract/index.ts';
import { formatCount } from '../../../lib/format.ts';
import { formatTimeWithZone, zoneName } from '../../../lib/format-time.ts';
import { useTimeZone } from '../../../lib/time-zone.ts';
import { describeAxisStart } from '../utils/describe.ts';
import { formatWindow } from '../utils/format.ts';
import type { Sampled } from '../../../../contract/index.ts';
import { buildTrafficView } from '../utils/series.ts';
import { useFrozen } from '../../../lib/use-frozen.ts';
import { COMPARE_OFFSETS, isLongWindow, pickTop, type CompareKey, type TrafficWindowS } from '../utils/windows.ts';
import { alignCompare, buildHistoryView } from '../utils/history-series.ts';
import { HistoryHitsChart, HistoryLagChart } from './history-chart.tsx';
import { describeTopCoverage } from '../utils/history-describe.ts';
import type { CompareOverlay } from './chart-parts.tsx';
import { CompareSelector } from './compare-selector.tsx';
import { SampledMarker } from './sampled-marker.tsx';
import { HitsChart, LagChart, QualityChart, RevenueChart } from './time-charts.tsx';
import { SiteTrafficChart } from './site-chart.tsx';
import { buildSiteView } from '../utils/site-series.ts';
import { formatCountry } from '../../../lib/format-country.ts';
import { TopList } from './top-list.tsx';
import { ExportButtons } from '../../../lib/export-buttons.tsx';
import { TOP_DIMENSIONS, type TopDimension, type TopPick } from '../../../lib/top-pick.ts';
import { exportTop } from '../utils/export-top.ts';
import { WindowSelector } from './window-selector.tsx';
import '../traffic.css';

/** Props of {@link TrafficPanel}: everything comes from the caller; the panel fetches nothing. */
export interface TrafficPanelProps {
  /**
   * Per-second relay stats, ascending by `t` (epoch s), at most one per second, up to the last
   * 3600 s (the `queryKeys.stats(3600)` cache entry). Computed by the relay over every hit.
   * Missing seconds and `outage: true` seconds are drawn as gaps. Unordered input is sorted.
   */
  series: readonly Stats[];
  /** Top lists, one per window (the `top` SSE event's `windows`); the one with `window === windowS` is shown. */
  top?: readonly Top[] | undefined;
  /**
   * Window in seconds: 300, 900 or 3600 (live: `series`, `traffic`, `top`), or 21,600, 86,400,
   * 604,800 or 2,592,000 (long: `history`, `longTop`). Keep it in the URL; the panel only reports changes.
   */
  windowS: TrafficWindowS;
  onWindowChange: (windowS: TrafficWindowS) => void;
  /** The feed's latest sampling ratio; when `kept < total` the "1 in N shown" marker appears. */
  sampled?: Sampled | undefined;
  /** Distinct hits the relay reported to this browser (sampled or not), since the feed started. */
  received: number;
  /** Hits that actually reached the feed. */
  shown: number;
  /** The browser's link to the relay is down: charts grey out with "data as of". */
  linkDown: boolean;
  /** Epoch ms of the last data received; defaults to the last second of `series`. */
  asOf?: number | undefined;
  /** Feed and charts paused (WCAG 2.2.2): the panel keeps drawing what it had when paused. */
  paused: boolean;
  /** Configured shards (`maxConnections`), so every shard has a lane even before its first hit. */
  shardCount: number;
  /**
   * When the relay started (epoch ms, the relay's clock, as `status.relay.startedAt`): when that is
   * inside the window, the charts start there instead of squeezing the data to the right edge.
   */
  relayStartedAt?: number | undefined;
  /** ISO 4217 code revenue is in, when known: axes and captions then carry it (`$1.8M`). */
  currency?: string | undefined;
  /**
   * The site's traffic on Adobe's clock and the outages with what came back (`GET /api/traffic`,
   * kept current by the `traffic` event); the chart is left out until it is known.
   */
  traffic?: Traffic | undefined;
  /**
   * An entry of a top list was clicked: the app shows its hits in the feed. Without it the lists
   * are not clickable.
   */
  onPick?: ((pick: TopPick) => void) | undefined;
  /** The entry the feed is filtered by now, marked in its list. */
  pick?: TopPick | undefined;
  /** A long window's history (`GET /api/history`), undefined until it arrives. */
  history?: HistoryResponse | undefined;
  /** Why the history could not be loaded, in words. */
  historyError?: string | undefined;
  /** A long window's top lists (`GET /api/top?window=S`). */
  longTop?: Top | undefined;
  /** "Compare with": the period shown as an overlay on the hits chart (none when undefined). */
  compare?: CompareKey | undefined;
  onCompareChange?: ((compare: CompareKey | undefined) => void) | undefined;
  /** The period compared with (`GET /api/history` ending a day or a week ago), undefined while it loads. */
  compareHistory?: HistoryResponse | undefined;
  /** The period compared with could not be loaded. */
  compareFailed?: boolean | undefined;
}

const EMPTY_VIEW = buildTrafficView([], { windowS: 300, shardCount: 1 });

/**
 * Live traffic: hits/s by shard, lag, bots and error pages, revenue, and the window's top lists.
 * Charts are relay-computed over every hit, never derived from the (possibly sampled) feed.
 */
export function TrafficPanel(props: TrafficPanelProps) {
  const { windowS, onWindowChange, sampled, received, shown, linkDown, paused, shardCount, currency } = props;
  const [zone] = useTimeZone();
  const data = useFrozen({ series: props.series, top: props.top, traffic: props.traffic }, paused);
  const relayStartT = props.relayStartedAt === undefined ? undefined : Math.floor(props.relayStartedAt / 1000);
  const long = isLongWindow(windowS);
  // A long window draws the history instead: the live hour is not windowed for it.
  const liveView = useMemo(
    () => (long ? undefined : buildTrafficView(data.series, { windowS, shardCount, relayStartT })),
    [long, data.series, windowS, shardCount, relayStartT],
  );
  const view = liveView ?? EMPTY_VIEW;
  const historyView = useMemo(
    () => (long && props.history?.window === windowS ? buildHistoryView(props.history) : undefined),
    [long, props.history, windowS],
  );
  const compareKey = props.compare;
  const { compareHistory, compareFailed } = props;
  // On today's axis: the compared span moved forward by the offset (the plot cuts what is outside its window).
  const compare = useMemo((): CompareOverlay | undefined => {
    if (compareKey === undefined) return undefined;
    const offset = COMPARE_OFFSETS[compareKey];
    if (compareFailed) return { key: compareKey, view: alignCompare(undefined, offset, 0, 0) };
    if (compareHistory === undefined) return { key: compareKey, view: undefined };
    const from = compareHistory.end - compareHistory.window + offset;
    return { key: compareKey, view: alignCompare(compareHistory, offset, from, compareHistory.end + offset - 1) };
  }, [compareKey, compareHistory, compareFailed]);
  const top = long ? props.longTop : pickTop(data.top, windowS);
  // The right edge on Adobe's clock is still arriving: Livestream's p95 delay, 20 s to 5 min.
  const settlingS = Math.min(300, Math.max(20, Math.round((view.summary.lagP95 ?? 60_000) / 1000)));
  const site = useMemo(
    () =>
      !long && data.traffic
        ? buildSiteView(data.traffic.seconds, data.traffic.outages ?? [], {
            startT: view.startT,
            endT: view.endT,
            settlingS,
          })
        : undefined,
    [long, data.traffic, view.startT, view.endT, settlingS],
  );
  const topCoverage =
    long && top && historyView ? describeTopCoverage(top.hits, historyView.summary.totalHits) : undefined;
  const lastT = data.series.at(-1)?.t;
  const asOf = props.asOf ?? (lastT === undefined ? undefined : lastT * 1000);
  const total = top?.hits ?? 0;
  const { onPick, pick } = props;
  // One handler per list, kept while `onPick` is: the lists are memoised, and the panel re-renders
  // with every feed update (its counts), many times a second.
  const pickHandlers = useMemo(() => {
    if (!onPick) return undefined;
    const handler = (dimension: TopDimension) => (key: string) => onPick({ dimension, key });
    return Object.fromEntries(TOP_DIMENSIONS.map((d) => [d, handler(d)])) as Record<
      TopDimension,
      (key: string) => void
    >;
  }, [onPick]);
  const pickProps = (dimension: TopDimension) => ({
    onPick: pickHandlers?.[dimension],
    pickedKey: pick?.dimension === dimension ? pick.key : undefined,
  });

  return (
    <section className="traffic" aria-labelledby="traffic-title" data-testid="traffic-panel">
      <header className="traffic__header">
        <h2 id="traffic-title" className="traffic__title">
          Traffic
        </h2>
        <WindowSelector value={windowS} onChange={onWindowChange} />
        {props.onCompareChange ? <CompareSelector value={compareKey} onChange={props.onCompareChange} /> : null}
        {paused ? (
          <span className="traffic__badge" data-testid="traffic-paused">
            Paused
          </span>
        ) : null}
        <span className="traffic__muted traffic__zone" data-testid="traffic-zone">
          Times in {zoneName(zone)}
        </span>
        <SampledMarker sampled={sampled} received={received} shown={shown} />
      </header>
      {!long && view.axisFrom !== 'window' ? (
        <p className="traffic__span" data-testid="traffic-span">
          {describeAxisStart(
            view.axisFrom,
            view.axisFrom === 'relay-start' && props.relayStartedAt !== undefined
              ? props.relayStartedAt
              : view.coveredFromT * 1000,
            view.endT - view.coveredFromT + 1,
            windowS,
            zone,
          )}
        </p>
      ) : null}
      {linkDown ? (
        <p className="traffic__stale" data-testid="traffic-stale">
          Relay link down: {asOf === undefined ? 'no data yet' : `data as of ${formatTimeWithZone(asOf, zone)}`}
        </p>
      ) : null}
      <div className="traffic__body" data-stale={linkDown || undefined}>
        {long ? (
          <div className="traffic__charts">
            <HistoryHitsChart
              view={historyView}
              windowS={windowS}
              zone={zone}
              compare={compare}
              error={props.historyError}
            />
            <HistoryLagChart view={historyView} windowS={windowS} zone={zone} />
          </div>
        ) : (
          <div className="traffic__charts">
            <HitsChart view={view} windowS={windowS} zone={zone} compare={compare} />
            {site ? (
              <SiteTrafficChart view={site} startT={view.startT} endT={view.endT} settlingS={settlingS} zone={zone} />
            ) : null}
            <LagChart view={view} windowS={windowS} zone={zone} />
            <QualityChart view={view} windowS={windowS} zone={zone} />
            <RevenueChart view={view} windowS={windowS} zone={zone} top={top} currency={currency} />
          </div>
        )}
        <div className="traffic__tops-head">
          <h3 className="traffic__subtitle">
            Top in the last {formatWindow(windowS)}
            {top ? <span className="traffic__muted"> ({formatCount(top.hits)} hits)</span> : null}
          </h3>
          {onPick ? (
            <span className="traffic__muted traffic__hint">Click an entry to see its hits in the feed.</span>
          ) : null}
          {topCoverage ? (
            <span className="traffic__muted traffic__hint" data-testid="top-coverage">
              {topCoverage}
            </span>
          ) : null}
          <ExportButtons
            what={`top-${formatWindow(windowS).replace(/\s/g, '')}`}
            label={`the top lists of the last ${formatWindow(windowS)}`}
            build={(format) => (top ? exportTop(top, format) : '')}
            disabled={!top}
            testId="top-export"
          />
        </div>
        <div className="traffic__tops">
          <TopList title="Pages" counts={top?.pages} total={total} testId="top-pages" {...pickProps('pages')} />
          <TopList
            title="Countries"
            counts={top?.countries}
            total={total}
            testId="top-countries"
            formatKey={formatCountry}
            {...pickProps('countries')}
          />
          <TopList
            title="Browsers"
            counts={top?.browsers}
            total={total}
            testId="top-browsers"
            {...pickProps('browsers')}
          />
          <TopList title="Devices" counts={top?.devices} total={total} testId="top-devices" {...pickProps('devices')} />
          <TopList title="Events" counts={top?.events} total={total} testId="top-events" {...pickProps('events')} />
          <TopList
            title="Error pages"
            counts={top?.errorPages}
            total={total}
            testId="top-error-pages"
            {...pickProps('errorPages')}
          />
        </div>
      </div>
    </section>
  );
}
