import { memo, useCallback, useLayoutEffect, useMemo, useRef } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ReactElement } from 'react';
import type { Top } from '../../../../contract/index.ts';
import {
  describeGaps,
  describeHits,
  describeLag,
  describeQuality,
  describeRevenue,
  gapLabel,
} from '../utils/describe.ts';
import { formatMoney, formatMoneyCompact, formatRate } from '../../../lib/format.ts';
import { formatTimeWithZone, type TimeZoneMode } from '../../../lib/format-time.ts';
import {
  formatLagTick,
  formatMs,
  formatPercent,
  formatStep,
  formatTick,
  formatWindow,
  lagAxisUnit,
} from '../utils/format.ts';
import { gapLabelLayout } from '../utils/gap-label.ts';
import { shardKey, type TrafficPoint, type TrafficView } from '../utils/series.ts';
import { csvSet, seriesCsv, type CsvSet, type SeriesColumn } from '../utils/export-series.ts';
import { compareLabel } from '../utils/windows.ts';
import { ChartCsv, ChartLegend, COMPARE_DASH, COMPARE_STROKE, type CompareOverlay } from './chart-parts.tsx';
import { tickStep, timeTicks } from '../utils/windows.ts';
import { useStaggered } from '../../../lib/frame-stagger.ts';
import { ChartFigure } from './chart-figure.tsx';

/** Plot height in px; the width follows the grid cell. */
const PLOT_HEIGHT = 170;
/** Size used before the container is measured (and in jsdom, which measures nothing). */
const INITIAL_SIZE = { width: 480, height: PLOT_HEIGHT };
export const MARGIN = { top: 8, right: 12, bottom: 0, left: 0 };

const SHARD_FALLBACKS = ['#2563eb', '#059669', '#d97706', '#7c3aed', '#dc2626', '#0891b2', '#db2777', '#65a30d'];
/** Shard colours: themable through `--color-series-N`. */
export const shardColour = (i: number) =>
  `var(--color-series-${i % 8}, ${SHARD_FALLBACKS[i % SHARD_FALLBACKS.length]})`;

export const AXIS = 'var(--color-muted, #6b7280)';
const GRID = 'var(--color-border, #d1d5db)';
export const ACCENT = 'var(--color-accent, #2563eb)';
export const WARN = 'var(--color-warn, #d97706)';
const BAD = 'var(--color-bad, #dc2626)';
export const OK = 'var(--color-ok, #059669)';
/** Axis tick text. */
export const TICK = { fontSize: 11 };
const SHARE_DOMAIN: [number, string] = [0, 'auto'];
const rateTick = (v: number) => formatRate(v);
const percentTick = (v: number) => formatPercent(v);

interface TimeChartProps {
  view: TrafficView;
  windowS: number;
  /** The zone times are written in (axis, tooltip, captions). */
  zone: TimeZoneMode;
}

const TOOLTIP_STYLE = { background: 'var(--color-surface, #fff)', borderColor: GRID, color: 'var(--color-fg, #111)' };

const GRID_ELEMENT = <CartesianGrid key="grid" stroke={GRID} strokeDasharray="3 3" vertical={false} />;

/**
 * The pieces every time chart shares (grid, time axis, tooltip), as elements (not components)
 * so Recharts sees them as its own direct children, each kept while what it shows is. Recharts
 * renders again only the children it is given anew, and every render of an axis, tooltip or
 * reference area registers it again in the chart's store, where each registration makes the
 * chart compute its scales, points and ticks again. With the elements kept, a new second
 * reaches the store as new data only. The x-axis's domain, which moves every second, is a
 * function reading the window's bounds (updated in a layout effect, before Recharts stores the
 * new data, in a passive one, and reads the domain), so the axis element changes only with its
 * ticks. `valueFormat` must keep its identity (a module function, or memoised).
 */
export function useTimeAxisParts(
  startT: number,
  endT: number,
  zone: TimeZoneMode,
  valueFormat: (v: number) => string,
  /** A phone-width plot: fewer ticks on the long windows (`tickStep`). */
  narrow = false,
) {
  const step = tickStep(endT - startT + 1, narrow);
  const bounds = useRef<[number, number]>([startT, endT]);
  useLayoutEffect(() => {
    bounds.current = [startT, endT];
  }, [startT, endT]);
  const domain = useCallback((): [number, number] => bounds.current, []);
  const ticks = timeTicks(startT, endT, zone, narrow).join(' ');
  const xAxis = useMemo(
    () => (
      <XAxis
        key="x"
        dataKey="t"
        type="number"
        domain={domain}
        ticks={ticks ? ticks.split(' ').map(Number) : []}
        tickFormatter={(v: number) => formatTick(v, zone, step)}
        allowDataOverflow
        stroke={AXIS}
        tick={TICK}
      />
    ),
    [domain, ticks, zone, step],
  );
  const tooltip = useMemo(
    () => (
      <Tooltip
        key="tooltip"
        isAnimationActive={false}
        labelFormatter={(t) => formatTimeWithZone(Number(t) * 1000, zone)}
        formatter={(v) => (typeof v === 'number' ? valueFormat(v) : String(v))}
        contentStyle={TOOLTIP_STYLE}
      />
    ),
    [zone, valueFormat],
  );
  return [GRID_ELEMENT, xAxis, tooltip];
}

/** A shaded gap as drawn: where, and its label. */
interface GapArea {
  from: number;
  x1: number;
  x2: number;
  text: string;
}

/** The time axis parts and the view's gaps, shaded; the gaps kept while they do not move. */
function useCommonParts(view: TrafficView, zone: TimeZoneMode, valueFormat: (v: number) => string) {
  const { startT, endT } = view;
  const parts = useTimeAxisParts(startT, endT, zone, valueFormat);
  // The view (and its gaps) is new every second; the shaded areas mostly stay where they were.
  const areas = JSON.stringify(
    view.gaps.map((gap): GapArea => ({
      from: gap.from,
      x1: Math.max(gap.from, startT),
      x2: Math.min(gap.to + 1, endT),
      text: gapLabel(gap),
    })),
  );
  const gaps = useMemo(
    () =>
      (JSON.parse(areas) as GapArea[]).map((gap) => (
        <ReferenceArea
          key={`gap-${gap.from}`}
          x1={gap.x1}
          x2={gap.x2}
          ifOverflow="hidden"
          fill={AXIS}
          fillOpacity={0.18}
          stroke="none"
          label={<GapLabel text={gap.text} />}
          className="traffic-gap"
        />
      )),
    [areas],
  );
  return [...parts, ...gaps];
}

/**
 * The label of a shaded gap, always inside the gap: across the top when the gap is wide enough,
 * vertical on two lines when it is narrower, none when it is too narrow even for that (the
 * caption lists every gap), so neighbouring gaps' labels never run into each other. Recharts
 * passes the area's `viewBox` in pixels.
 */
export function GapLabel({
  text,
  viewBox,
}: {
  text: string;
  viewBox?: { x?: number; y?: number; width?: number; height?: number };
}) {
  const { x = 0, y = 0, width = 0, height = 0 } = viewBox ?? {};
  const cx = x + width / 2;
  const layout = gapLabelLayout(width, height);
  if (layout === 'none') return null;
  if (layout === 'horizontal') {
    return (
      <text x={cx} y={y + 14} textAnchor="middle" fill={AXIS} fontSize={11} className="traffic-gap__label">
        {text}
      </text>
    );
  }
  const cy = y + height / 2;
  const [first, second] = text.split(': ');
  return (
    <text
      transform={`rotate(-90 ${cx} ${cy})`}
      x={cx}
      y={cy}
      textAnchor="middle"
      fill={AXIS}
      fontSize={10}
      className="traffic-gap__label"
    >
      <tspan x={cx} dy="-0.2em">
        {`${first}: `}
      </tspan>
      <tspan x={cx} dy="1.1em">
        {second}
      </tspan>
    </text>
  );
}

export function Plot({ children }: { children: ReactElement }) {
  return (
    <ResponsiveContainer width="100%" height={PLOT_HEIGHT} initialDimension={INITIAL_SIZE}>
      {children}
    </ResponsiveContainer>
  );
}

/** What a time chart's plot draws: its caption is the chart's, drawn at once. */
interface TimePlotProps {
  view: TrafficView;
  zone: TimeZoneMode;
}

/** The file name's part for a window: `15min`, `1h`. */
const windowTag = (windowS: number) => formatWindow(windowS).replace(/\s/g, '');

/** A live chart's CSV: the columns it draws, per point (empty cells where it draws a gap). */
export function liveCsv(
  points: readonly TrafficPoint[],
  columns: readonly SeriesColumn<TrafficPoint>[],
  compare?: CompareOverlay,
): string {
  const sets: CsvSet[] = [csvSet(points, columns)];
  if (compare?.view?.hasData) {
    sets.push(
      csvSet(compare.view.points, [{ header: `${compareLabel(compare.key)} (hits/s)`, value: (p) => p.compare }]),
    );
  }
  return seriesCsv(sets);
}

/** The hits chart's columns: the total, and each shard when the chart stacks them. */
export function hitsColumns(lanes: number): SeriesColumn<TrafficPoint>[] {
  if (lanes === 0) return [{ header: 'hits/s (mean of the point)', value: (p) => p.hits }];
  return [
    { header: 'hits/s, all shards (mean of the point)', value: (p) => p.hits },
    ...Array.from({ length: lanes }, (_, i): SeriesColumn<TrafficPoint> => ({
      header: `shard ${i} (hits/s)`,
      value: (p) => p[shardKey(i)],
    })),
  ];
}

/** Distinct hits per second, stacked by shard when the series says which shard each came from. */
export const HitsChart = memo(function HitsChart({
  view,
  windowS,
  zone,
  compare,
}: TimeChartProps & { compare?: CompareOverlay | undefined }) {
  const coveredS = view.endT - view.coveredFromT + 1;
  const plotted = useStaggered(view);
  return (
    <ChartFigure
      title="Hits per second"
      summary={describeHits(view.summary, windowS, coveredS, view.axisFrom, zone)}
      note={describeGaps(view.gaps, zone)}
      testId="chart-hits"
      actions={
        <ChartCsv
          what={`hits-${windowTag(windowS)}`}
          label={`the hits per second of the last ${formatWindow(windowS)}`}
          build={() => liveCsv(view.points, hitsColumns(view.lanes), compare)}
          disabled={view.points.length === 0}
        />
      }
      extra={
        <>
          {view.points.length > 0 ? (
            <span className="traffic-chart__step" data-testid="chart-step">
              {formatStep(view.bucketS)}
            </span>
          ) : null}
          {compare ? <ChartLegend entries={[]} compare={compare} testId="hits-legend" /> : null}
        </>
      }
    >
      <HitsPlot view={plotted} zone={zone} compare={compare?.view?.hasData ? compare : undefined} />
    </ChartFigure>
  );
});

/**
 * The plots are apart from their captions, memoised on what they draw: a caption changes with
 * more than its plot (the revenue's with each `top` event), and a plot gets a new view in its
 * turn (`useStaggered`, one plot per frame), a few frames after its caption at most.
 */
const HitsPlot = memo(function HitsPlot({
  view,
  zone,
  compare,
}: TimePlotProps & { compare?: CompareOverlay | undefined }) {
  const common = useCommonParts(view, zone, formatRate);
  // The period compared with: its own points (its own step), on today's axis, dashed and muted.
  const compareArea = useMemo(
    () =>
      compare?.view ? (
        <Area
          key="compare"
          data={compare.view.points}
          type="linear"
          dataKey="compare"
          name={compareLabel(compare.key)}
          stroke={COMPARE_STROKE}
          strokeDasharray={COMPARE_DASH}
          strokeWidth={1.5}
          fill="none"
          isAnimationActive={false}
          dot={false}
          activeDot={false}
          className="traffic-compare-line"
        />
      ) : null,
    [compare],
  );
  const areas = useMemo(
    () =>
      view.lanes > 0
        ? Array.from({ length: view.lanes }, (_, i) => (
            <Area
              key={i}
              type="linear"
              dataKey={shardKey(i)}
              name={`Shard ${i}`}
              stackId="hits"
              stroke={shardColour(i)}
              fill={shardColour(i)}
              fillOpacity={0.35}
              isAnimationActive={false}
              dot={false}
            />
          ))
        : [TOTAL_HITS_AREA],
    [view.lanes],
  );
  return (
    <Plot>
      <AreaChart data={view.points} margin={MARGIN} accessibilityLayer={false}>
        {common}
        {RATE_Y_AXIS}
        {areas}
        {compareArea}
        {view.lanes > 1 ? LEGEND : null}
      </AreaChart>
    </Plot>
  );
});

const TOTAL_HITS_AREA = (
  <Area
    key="hits"
    type="linear"
    dataKey="hits"
    name="Hits/s"
    stroke={ACCENT}
    fill={ACCENT}
    fillOpacity={0.3}
    isAnimationActive={false}
    dot={false}
  />
);
/** The y axis of hits per second. */
export const RATE_Y_AXIS = <YAxis width={48} stroke={AXIS} tick={TICK} tickFormatter={rateTick} />;
const LEGEND = <Legend verticalAlign="top" height={20} iconSize={10} />;

/** Relay arrival time − `receivedTimeGMT`, p50 and p95. */
const LAG_COLUMNS: SeriesColumn<TrafficPoint>[] = [
  { header: 'lag p50 (ms)', value: (p) => p.lagP50 },
  { header: 'lag p95 (ms)', value: (p) => p.lagP95 },
];

export const LagChart = memo(function LagChart({ view, windowS, zone }: TimeChartProps) {
  const plotted = useStaggered(view);
  return (
    <ChartFigure
      title="Lag"
      summary={describeLag(view.summary, zone)}
      testId="chart-lag"
      actions={
        <ChartCsv
          what={`lag-${windowTag(windowS)}`}
          label={`the lag of the last ${formatWindow(windowS)}`}
          build={() => liveCsv(view.points, LAG_COLUMNS)}
          disabled={view.points.length === 0}
        />
      }
    >
      <LagPlot view={plotted} zone={zone} />
    </ChartFigure>
  );
});

const LagPlot = memo(function LagPlot({ view, zone }: TimePlotProps) {
  const common = useCommonParts(view, zone, formatMs);
  // One unit for the whole axis ("0 s … 75 s", never "0ms" beside "70s"), from the largest lag drawn.
  const unit = lagAxisUnit(view.points.reduce((max, p) => Math.max(max, p.lagP95 ?? 0, p.lagP50 ?? 0), 0));
  const yAxis = useLagYAxis(unit);
  return (
    <Plot>
      <LineChart data={view.points} margin={MARGIN} accessibilityLayer={false}>
        {common}
        {yAxis}
        {LAG_LINES}
        {LEGEND}
      </LineChart>
    </Plot>
  );
});

/** The y axis of lag, in one unit for the whole axis. */
export function useLagYAxis(unit: ReturnType<typeof lagAxisUnit>): ReactElement {
  return useMemo(
    () => <YAxis width={56} stroke={AXIS} tick={TICK} tickFormatter={(v: number) => formatLagTick(v, unit)} />,
    [unit],
  );
}

/** The p50 and p95 lag lines. */
export const LAG_LINES = [
  <Line key="p50" type="linear" dataKey="lagP50" name="p50" stroke={OK} dot={false} isAnimationActive={false} />,
  <Line key="p95" type="linear" dataKey="lagP95" name="p95" stroke={WARN} dot={false} isAnimationActive={false} />,
];

/** Share of bot hits and of error-page hits. */
const QUALITY_COLUMNS: SeriesColumn<TrafficPoint>[] = [
  { header: 'bots (share of hits, 0 to 1)', value: (p) => p.botShare },
  { header: 'error pages (share of hits, 0 to 1)', value: (p) => p.errorShare },
];

export const QualityChart = memo(function QualityChart({ view, windowS, zone }: TimeChartProps) {
  const plotted = useStaggered(view);
  return (
    <ChartFigure
      title="Bots and error pages"
      summary={describeQuality(view.summary)}
      testId="chart-quality"
      actions={
        <ChartCsv
          what={`quality-${windowTag(windowS)}`}
          label={`the bot and error-page shares of the last ${formatWindow(windowS)}`}
          build={() => liveCsv(view.points, QUALITY_COLUMNS)}
          disabled={view.points.length === 0}
        />
      }
    >
      <QualityPlot view={plotted} zone={zone} />
    </ChartFigure>
  );
});

const QualityPlot = memo(function QualityPlot({ view, zone }: TimePlotProps) {
  const common = useCommonParts(view, zone, formatPercent);
  return (
    <Plot>
      <LineChart data={view.points} margin={MARGIN} accessibilityLayer={false}>
        {common}
        {SHARE_Y_AXIS}
        {QUALITY_LINES}
        {LEGEND}
      </LineChart>
    </Plot>
  );
});

const SHARE_Y_AXIS = <YAxis width={48} stroke={AXIS} tick={TICK} domain={SHARE_DOMAIN} tickFormatter={percentTick} />;
const QUALITY_LINES = [
  <Line key="bots" type="linear" dataKey="botShare" name="Bots" stroke={WARN} dot={false} isAnimationActive={false} />,
  <Line
    key="errors"
    type="linear"
    dataKey="errorShare"
    name="Error pages"
    stroke={BAD}
    dot={false}
    isAnimationActive={false}
  />,
];

/** Revenue per minute over time, in the currency when it is known. */
export const RevenueChart = memo(function RevenueChart({
  view,
  windowS,
  zone,
  top,
  currency,
}: TimeChartProps & { top: Top | undefined; currency?: string | undefined }) {
  const plotted = useStaggered(view);
  return (
    <ChartFigure
      title="Revenue per minute"
      summary={describeRevenue(view.summary, top, windowS, currency)}
      testId="chart-revenue"
      actions={
        <ChartCsv
          what={`revenue-${windowTag(windowS)}`}
          label={`the revenue per minute of the last ${formatWindow(windowS)}`}
          build={() =>
            liveCsv(view.points, [
              { header: `revenue per minute (${currency ?? 'main currency'})`, value: (p) => p.revenuePerMin },
            ])
          }
          disabled={view.points.length === 0}
        />
      }
    >
      <RevenuePlot view={plotted} zone={zone} currency={currency} />
    </ChartFigure>
  );
});

const RevenuePlot = memo(function RevenuePlot({
  view,
  zone,
  currency,
}: TimePlotProps & { currency?: string | undefined }) {
  const value = useCallback((v: number) => formatMoney(v, currency), [currency]);
  const common = useCommonParts(view, zone, value);
  const yAxis = useMemo(
    () => <YAxis width={56} stroke={AXIS} tick={TICK} tickFormatter={(v: number) => formatMoneyCompact(v, currency)} />,
    [currency],
  );
  return (
    <Plot>
      <AreaChart data={view.points} margin={MARGIN} accessibilityLayer={false}>
        {common}
        {yAxis}
        {REVENUE_AREA}
      </AreaChart>
    </Plot>
  );
});

const REVENUE_AREA = (
  <Area
    type="linear"
    dataKey="revenuePerMin"
    name="Revenue/min"
    stroke={OK}
    fill={OK}
    fillOpacity={0.25}
    isAnimationActive={false}
    dot={false}
  />
);
