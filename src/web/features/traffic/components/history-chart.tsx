import { memo, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Area, ComposedChart, Line, ReferenceArea } from 'recharts';
import { formatMs, formatStep, formatWindow, lagAxisUnit } from '../utils/format.ts';
import { formatRate } from '../../../lib/format.ts';
import type { TimeZoneMode } from '../../../lib/format-time.ts';
import type { HistoryPoint, HistoryView } from '../utils/history-series.ts';
import {
  describeHistoryGaps,
  describeHistoryHits,
  describeHistoryOutages,
  outageLabel,
} from '../utils/history-describe.ts';
import { csvSet, seriesCsv, type CsvSet } from '../utils/export-series.ts';
import { compareLabel } from '../utils/windows.ts';
import { useStaggered } from '../../../lib/frame-stagger.ts';
import { ChartFigure } from './chart-figure.tsx';
import {
  ChartCsv,
  ChartLegend,
  COMPARE_DASH,
  COMPARE_STROKE,
  type CompareOverlay,
  type LegendEntry,
} from './chart-parts.tsx';
import {
  ACCENT,
  GapLabel,
  LAG_LINES,
  MARGIN,
  OK,
  Plot,
  RATE_Y_AXIS,
  useLagYAxis,
  useTimeAxisParts,
  WARN,
} from './time-charts.tsx';

export interface HistoryChartProps {
  /** The long window's buckets as points; undefined until they arrive. */
  view: HistoryView | undefined;
  windowS: number;
  zone: TimeZoneMode;
  compare?: CompareOverlay | undefined;
  /** The request failed: said in words instead of a plot that never comes. */
  error?: string | undefined;
}

const HITS_LEGEND: readonly LegendEntry[] = [
  { label: 'Hits/s, mean of each point', kind: 'line', colour: ACCENT },
  { label: 'Lowest to highest second', kind: 'band', colour: ACCENT },
];

const NARROW = '(max-width: 40rem)';
const narrowQuery = () => (typeof matchMedia === 'function' ? matchMedia(NARROW) : undefined);

/** The page is phone-width: the long windows' axes take fewer ticks. */
function useNarrow(): boolean {
  return useSyncExternalStore(
    (listener) => {
      const query = narrowQuery();
      query?.addEventListener('change', listener);
      return () => query?.removeEventListener('change', listener);
    },
    () => narrowQuery()?.matches ?? false,
  );
}

/** `ready` once `view` has been drawn (committed and painted), `loading` before. */
function useDrawnState(view: unknown): 'loading' | 'ready' {
  const [drawn, setDrawn] = useState<unknown>(undefined);
  useEffect(() => {
    if (view === undefined) return;
    const frame = requestAnimationFrame(() => setDrawn(view));
    return () => cancelAnimationFrame(frame);
  }, [view]);
  return view !== undefined && drawn === view ? 'ready' : 'loading';
}

/** The file name's part for a window: `24h`, `30d`. */
const windowTag = (windowS: number) => formatWindow(windowS).replace(/\s/g, '');

/** The hits chart's CSV: what it draws, the period compared with included. */
export function historyHitsCsv(view: HistoryView, compare: CompareOverlay | undefined): string {
  const sets: CsvSet[] = [
    csvSet<HistoryPoint>(view.points, [
      { header: 'hits/s (mean of the point)', value: (p) => p.hits },
      { header: 'lowest second (hits/s)', value: (p) => p.band?.[0] },
      { header: 'highest second (hits/s)', value: (p) => p.band?.[1] },
    ]),
  ];
  if (compare?.view?.hasData) {
    sets.push(
      csvSet(compare.view.points, [{ header: `${compareLabel(compare.key)} (hits/s)`, value: (p) => p.compare }]),
    );
  }
  return seriesCsv(sets);
}

/**
 * Hits per second over a long window (6 h to 30 d) from the relay's history: the mean of each
 * point as a line, the lowest and highest second in it as a band (a spike or a dip survives the
 * downsampling), nothing where the relay recorded nothing, the outages shaded with their verdict,
 * and the period compared with as a dashed line.
 */
export const HistoryHitsChart = memo(function HistoryHitsChart({
  view,
  windowS,
  zone,
  compare,
  error,
}: HistoryChartProps) {
  const state = useDrawnState(view);
  const summary = error
    ? `The history could not be loaded: ${error}`
    : view
      ? describeHistoryHits(view, windowS, zone)
      : `Loading the last ${formatWindow(windowS)}…`;
  const note = view
    ? [describeHistoryGaps(view, windowS), describeHistoryOutages(view.outages, zone)].filter(Boolean).join(' ')
    : undefined;
  return (
    <ChartFigure
      title="Hits per second"
      summary={summary}
      note={note || undefined}
      testId="chart-history"
      className="traffic-chart--wide"
      state={state}
      actions={
        <ChartCsv
          what={`hits-${windowTag(windowS)}`}
          label={`the hits per second of the last ${formatWindow(windowS)}`}
          build={() => (view ? historyHitsCsv(view, compare) : '')}
          disabled={!view}
        />
      }
      extra={
        <>
          {view ? (
            <span className="traffic-chart__step" data-testid="chart-step">
              {formatStep(view.step)}
            </span>
          ) : null}
          <ChartLegend entries={HITS_LEGEND} compare={compare} testId="history-legend" />
        </>
      }
    >
      {view ? (
        <HistoryHitsPlot view={view} zone={zone} compare={compare?.view?.hasData ? compare : undefined} />
      ) : (
        <div className="traffic-chart__placeholder" />
      )}
    </ChartFigure>
  );
});

const rateValue = (v: number) => `${formatRate(v)} hits/s`;

/** The outages shaded, at least a point wide (a few minutes are less than a pixel in 30 days), labelled with the verdict where it fits. */
function useOutageAreas(view: HistoryView) {
  const { startT, endT, step, outages } = view;
  return useMemo(
    () =>
      outages.map((o) => {
        const x1 = Math.max(Math.floor(o.from / 1000), startT);
        const to = o.to === undefined ? endT : Math.ceil(o.to / 1000);
        const x2 = Math.min(Math.max(to, x1 + step), endT);
        return (
          <ReferenceArea
            key={o.id}
            x1={x1}
            x2={x2}
            ifOverflow="hidden"
            fill={WARN}
            fillOpacity={0.22}
            stroke={WARN}
            strokeOpacity={0.5}
            className="traffic-outage"
            label={<GapLabel text={`outage: ${outageLabel(o)}`} />}
          />
        );
      }),
    [outages, startT, endT, step],
  );
}

const HistoryHitsPlot = memo(function HistoryHitsPlot({
  view,
  zone,
  compare,
}: {
  view: HistoryView;
  zone: TimeZoneMode;
  compare: CompareOverlay | undefined;
}) {
  const axis = useTimeAxisParts(view.startT, view.endT, zone, rateValue, useNarrow());
  const outages = useOutageAreas(view);
  const compareLine = useMemo(
    () =>
      compare?.view ? (
        <Line
          key="compare"
          data={compare.view.points}
          type="linear"
          dataKey="compare"
          name={compareLabel(compare.key)}
          stroke={COMPARE_STROKE}
          strokeDasharray={COMPARE_DASH}
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
          className="traffic-compare-line"
        />
      ) : null,
    [compare],
  );
  return (
    <Plot>
      <ComposedChart data={view.points} margin={MARGIN} accessibilityLayer={false}>
        {axis}
        {RATE_Y_AXIS}
        {outages}
        {BAND}
        {HITS_LINE}
        {compareLine}
      </ComposedChart>
    </Plot>
  );
});

const BAND = (
  <Area
    key="band"
    type="linear"
    dataKey="band"
    name="Lowest to highest second"
    stroke="none"
    fill={ACCENT}
    fillOpacity={0.2}
    isAnimationActive={false}
    dot={false}
    activeDot={false}
    className="traffic-band"
  />
);
const HITS_LINE = (
  <Line
    key="hits"
    type="linear"
    dataKey="hits"
    name="Hits/s"
    stroke={ACCENT}
    strokeWidth={1.5}
    dot={false}
    isAnimationActive={false}
    className="traffic-hits-line"
  />
);

const LAG_LEGEND: readonly LegendEntry[] = [
  { label: 'p50, median second of each point', kind: 'line', colour: OK },
  { label: 'p95, worst second of each point', kind: 'line', colour: WARN },
];

/** The lag CSV: what the lag chart draws. */
export function historyLagCsv(view: HistoryView): string {
  return seriesCsv([
    csvSet<HistoryPoint>(view.points, [
      { header: 'lag p50 (ms)', value: (p) => p.lagP50 },
      { header: 'lag p95 (ms)', value: (p) => p.lagP95 },
    ]),
  ]);
}

const worstLag = (view: HistoryView | undefined) =>
  view?.points.reduce((max, p) => Math.max(max, p.lagP95 ?? 0), 0) ?? 0;

/** Lag p50 and p95 over a long window, per point. */
export const HistoryLagChart = memo(function HistoryLagChart({ view, windowS, zone }: HistoryChartProps) {
  // Its plot in its own frame (`useStaggered`), not in the task that draws the hits chart.
  const plotted = useStaggered(view);
  const worst = useMemo(() => worstLag(view), [view]);
  const plottedWorst = useMemo(() => worstLag(plotted), [plotted]);
  const summary = view
    ? worst > 0
      ? `Worst p95 ${formatMs(worst)} in the last ${formatWindow(windowS)}.`
      : `No lag recorded in the last ${formatWindow(windowS)}.`
    : `Loading the last ${formatWindow(windowS)}…`;
  return (
    <ChartFigure
      title="Lag"
      summary={summary}
      testId="chart-history-lag"
      className="traffic-chart--wide"
      actions={
        <ChartCsv
          what={`lag-${windowTag(windowS)}`}
          label={`the lag of the last ${formatWindow(windowS)}`}
          build={() => (view ? historyLagCsv(view) : '')}
          disabled={!view}
        />
      }
      extra={
        <>
          {view ? <span className="traffic-chart__step">{formatStep(view.step)}</span> : null}
          <ChartLegend entries={LAG_LEGEND} />
        </>
      }
    >
      {plotted ? (
        <HistoryLagPlot view={plotted} zone={zone} worst={plottedWorst} />
      ) : (
        <div className="traffic-chart__placeholder" />
      )}
    </ChartFigure>
  );
});

const HistoryLagPlot = memo(function HistoryLagPlot({
  view,
  zone,
  worst,
}: {
  view: HistoryView;
  zone: TimeZoneMode;
  worst: number;
}) {
  const axis = useTimeAxisParts(view.startT, view.endT, zone, formatMs, useNarrow());
  const unit = lagAxisUnit(worst);
  const yAxis = useLagYAxis(unit);
  return (
    <Plot>
      <ComposedChart data={view.points} margin={MARGIN} accessibilityLayer={false}>
        {axis}
        {yAxis}
        {LAG_LINES}
      </ComposedChart>
    </Plot>
  );
});
