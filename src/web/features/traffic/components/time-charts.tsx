import { memo } from 'react';
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
import { formatLagTick, formatMs, formatPercent, formatTick, lagAxisUnit } from '../utils/format.ts';
import { gapLabelLayout } from '../utils/gap-label.ts';
import { shardKey, type TrafficView } from '../utils/series.ts';
import { tickStep, timeTicks } from '../utils/windows.ts';
import { ChartFigure } from './chart-figure.tsx';

/** Plot height in px; the width follows the grid cell. */
const PLOT_HEIGHT = 170;
/** Size used before the container is measured (and in jsdom, which measures nothing). */
const INITIAL_SIZE = { width: 480, height: PLOT_HEIGHT };
const MARGIN = { top: 8, right: 12, bottom: 0, left: 0 };

const SHARD_FALLBACKS = ['#2563eb', '#059669', '#d97706', '#7c3aed', '#dc2626', '#0891b2', '#db2777', '#65a30d'];
/** Shard colours: themable through `--color-series-N`. */
export const shardColour = (i: number) =>
  `var(--color-series-${i % 8}, ${SHARD_FALLBACKS[i % SHARD_FALLBACKS.length]})`;

const AXIS = 'var(--color-muted, #6b7280)';
const GRID = 'var(--color-border, #d1d5db)';
const ACCENT = 'var(--color-accent, #2563eb)';
const WARN = 'var(--color-warn, #d97706)';
const BAD = 'var(--color-bad, #dc2626)';
const OK = 'var(--color-ok, #059669)';

interface TimeChartProps {
  view: TrafficView;
  windowS: number;
  /** The zone times are written in (axis, tooltip, captions). */
  zone: TimeZoneMode;
}

/**
 * The pieces every time chart shares, as elements (not components) so Recharts sees them as
 * its own direct children.
 */
export function timeAxisParts(startT: number, endT: number, zone: TimeZoneMode, valueFormat: (v: number) => string) {
  const step = tickStep(endT - startT + 1);
  return [
    <CartesianGrid key="grid" stroke={GRID} strokeDasharray="3 3" vertical={false} />,
    <XAxis
      key="x"
      dataKey="t"
      type="number"
      domain={[startT, endT]}
      ticks={timeTicks(startT, endT)}
      tickFormatter={(v: number) => formatTick(v, zone, step)}
      allowDataOverflow
      stroke={AXIS}
      tick={{ fontSize: 11 }}
    />,
    <Tooltip
      key="tooltip"
      isAnimationActive={false}
      labelFormatter={(t) => formatTimeWithZone(Number(t) * 1000, zone)}
      formatter={(v) => (typeof v === 'number' ? valueFormat(v) : String(v))}
      contentStyle={{ background: 'var(--color-surface, #fff)', borderColor: GRID, color: 'var(--color-fg, #111)' }}
    />,
  ];
}

/** The time axis parts and the view's gaps, shaded. */
function commonParts(view: TrafficView, zone: TimeZoneMode, valueFormat: (v: number) => string) {
  const { startT, endT } = view;
  return [
    ...timeAxisParts(startT, endT, zone, valueFormat),
    ...view.gaps.map((gap) => (
      <ReferenceArea
        key={`gap-${gap.from}`}
        x1={Math.max(gap.from, startT)}
        x2={Math.min(gap.to + 1, endT)}
        ifOverflow="hidden"
        fill={AXIS}
        fillOpacity={0.18}
        stroke="none"
        label={<GapLabel text={gapLabel(gap)} />}
        className="traffic-gap"
      />
    )),
  ];
}

/**
 * The label of a shaded gap, always inside the gap: across the top when the gap is wide enough,
 * vertical on two lines when it is narrower, none when it is too narrow even for that (the
 * caption lists every gap), so neighbouring gaps' labels never run into each other. Recharts
 * passes the area's `viewBox` in pixels.
 */
function GapLabel({
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

/** Distinct hits per second, stacked by shard when the series says which shard each came from. */
export const HitsChart = memo(function HitsChart({ view, windowS, zone }: TimeChartProps) {
  const lanes = Array.from({ length: view.lanes }, (_, i) => i);
  const coveredS = view.endT - view.coveredFromT + 1;
  return (
    <ChartFigure
      title="Hits per second"
      summary={describeHits(view.summary, windowS, coveredS, view.axisFrom, zone)}
      note={describeGaps(view.gaps, zone)}
      testId="chart-hits"
    >
      <Plot>
        <AreaChart data={view.points} margin={MARGIN} accessibilityLayer={false}>
          {commonParts(view, zone, formatRate)}
          <YAxis width={48} stroke={AXIS} tick={{ fontSize: 11 }} tickFormatter={(v: number) => formatRate(v)} />
          {lanes.length > 0 ? (
            lanes.map((i) => (
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
          ) : (
            <Area
              type="linear"
              dataKey="hits"
              name="Hits/s"
              stroke={ACCENT}
              fill={ACCENT}
              fillOpacity={0.3}
              isAnimationActive={false}
              dot={false}
            />
          )}
          {lanes.length > 1 ? <Legend verticalAlign="top" height={20} iconSize={10} /> : null}
        </AreaChart>
      </Plot>
    </ChartFigure>
  );
});

/** Relay arrival time − `receivedTimeGMT`, p50 and p95. */
export const LagChart = memo(function LagChart({ view, zone }: TimeChartProps) {
  // One unit for the whole axis ("0 s … 75 s", never "0ms" beside "70s"), from the largest lag drawn.
  const unit = lagAxisUnit(view.points.reduce((max, p) => Math.max(max, p.lagP95 ?? 0, p.lagP50 ?? 0), 0));
  return (
    <ChartFigure title="Lag" summary={describeLag(view.summary, zone)} testId="chart-lag">
      <Plot>
        <LineChart data={view.points} margin={MARGIN} accessibilityLayer={false}>
          {commonParts(view, zone, formatMs)}
          <YAxis
            width={56}
            stroke={AXIS}
            tick={{ fontSize: 11 }}
            tickFormatter={(v: number) => formatLagTick(v, unit)}
          />
          <Line type="linear" dataKey="lagP50" name="p50" stroke={OK} dot={false} isAnimationActive={false} />
          <Line type="linear" dataKey="lagP95" name="p95" stroke={WARN} dot={false} isAnimationActive={false} />
          <Legend verticalAlign="top" height={20} iconSize={10} />
        </LineChart>
      </Plot>
    </ChartFigure>
  );
});

/** Share of bot hits and of error-page hits. */
export const QualityChart = memo(function QualityChart({ view, zone }: TimeChartProps) {
  return (
    <ChartFigure title="Bots and error pages" summary={describeQuality(view.summary)} testId="chart-quality">
      <Plot>
        <LineChart data={view.points} margin={MARGIN} accessibilityLayer={false}>
          {commonParts(view, zone, formatPercent)}
          <YAxis
            width={48}
            stroke={AXIS}
            tick={{ fontSize: 11 }}
            domain={[0, 'auto']}
            tickFormatter={(v: number) => formatPercent(v)}
          />
          <Line type="linear" dataKey="botShare" name="Bots" stroke={WARN} dot={false} isAnimationActive={false} />
          <Line
            type="linear"
            dataKey="errorShare"
            name="Error pages"
            stroke={BAD}
            dot={false}
            isAnimationActive={false}
          />
          <Legend verticalAlign="top" height={20} iconSize={10} />
        </LineChart>
      </Plot>
    </ChartFigure>
  );
});

/** Revenue per minute over time, in the currency when it is known. */
export const RevenueChart = memo(function RevenueChart({
  view,
  windowS,
  zone,
  top,
  currency,
}: TimeChartProps & { top: Top | undefined; currency?: string | undefined }) {
  return (
    <ChartFigure
      title="Revenue per minute"
      summary={describeRevenue(view.summary, top, windowS, currency)}
      testId="chart-revenue"
    >
      <Plot>
        <AreaChart data={view.points} margin={MARGIN} accessibilityLayer={false}>
          {commonParts(view, zone, (v) => formatMoney(v, currency))}
          <YAxis
            width={56}
            stroke={AXIS}
            tick={{ fontSize: 11 }}
            tickFormatter={(v: number) => formatMoneyCompact(v, currency)}
          />
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
        </AreaChart>
      </Plot>
    </ChartFigure>
  );
});
