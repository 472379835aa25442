import { memo } from 'react';
import { Area, AreaChart, CartesianGrid, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount, formatRate } from '../../../lib/format.ts';
import { formatTimeWithZone, type TimeZoneMode } from '../../../lib/format-time.ts';
import { formatTick } from '../utils/format.ts';
import type { SiteView } from '../utils/site-series.ts';
import { tickStep, timeTicks } from '../utils/windows.ts';
import { ChartFigure } from './chart-figure.tsx';

const PLOT_HEIGHT = 150;
const INITIAL_SIZE = { width: 480, height: PLOT_HEIGHT };
const MARGIN = { top: 8, right: 12, bottom: 0, left: 0 };
const AXIS = 'var(--color-muted, #6b7280)';
const GRID = 'var(--color-border, #d1d5db)';
const SITE = 'var(--color-series-1, #059669)';
const WARN = 'var(--color-warn, #d97706)';

export interface SiteTrafficChartProps {
  view: SiteView;
  startT: number;
  endT: number;
  /** Seconds at the right edge still arriving (Livestream's usual delay). */
  settlingS: number;
  zone: TimeZoneMode;
}

/** The figures in words: what the plot shows, for everyone and for screen readers. */
export function describeSite(view: SiteView, settlingS: number): string {
  if (view.total === 0) return "No hit counted on Adobe's clock in this window yet.";
  if (view.avg === null) {
    return `${formatCount(view.total)} hits so far, each in the second Adobe received it; all of this window is within the last ${settlingS} s, still arriving.`;
  }
  return `Average ${formatRate(view.avg)} hits/s, peak ${formatRate(view.peak ?? 0)} (${formatCount(view.total)} hits), each in the second Adobe received it; the last ${settlingS} s are still arriving.`;
}

/** Each outage of the window with what came back. */
export function describeOutages(view: SiteView, zone: TimeZoneMode): string | undefined {
  if (view.outages.length === 0) return undefined;
  return view.outages
    .map((o) => `Shard ${o.shard} stopped at ${formatTimeWithZone(o.from, zone)}: ${o.summary}.`)
    .join(' ');
}

/**
 * The site's traffic on Adobe's clock: the backlog Livestream resends after an outage fills the
 * outage's seconds as it arrives (no spike at the resume, no hole where it was), and each outage
 * says what came back. The arrival rate stays in "Hits per second" (the relay's health).
 */
export const SiteTrafficChart = memo(function SiteTrafficChart({
  view,
  startT,
  endT,
  settlingS,
  zone,
}: SiteTrafficChartProps) {
  const step = tickStep(endT - startT + 1);
  return (
    <ChartFigure
      title="Site traffic on Adobe's clock"
      summary={describeSite(view, settlingS)}
      note={describeOutages(view, zone)}
      testId="chart-site"
    >
      <ResponsiveContainer width="100%" height={PLOT_HEIGHT} initialDimension={INITIAL_SIZE}>
        <AreaChart data={view.points} margin={MARGIN} accessibilityLayer={false}>
          <CartesianGrid stroke={GRID} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            domain={[startT, endT]}
            ticks={timeTicks(startT, endT)}
            tickFormatter={(v: number) => formatTick(v, zone, step)}
            allowDataOverflow
            stroke={AXIS}
            tick={{ fontSize: 11 }}
          />
          <YAxis width={48} stroke={AXIS} tick={{ fontSize: 11 }} tickFormatter={(v: number) => formatRate(v)} />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(t) => formatTimeWithZone(Number(t) * 1000, zone)}
            formatter={(v) => (typeof v === 'number' ? `${formatRate(v)} hits/s` : String(v))}
            contentStyle={{
              background: 'var(--color-surface, #fff)',
              borderColor: GRID,
              color: 'var(--color-fg, #111)',
            }}
          />
          {view.outages.map((o) => (
            <ReferenceArea
              key={o.id}
              x1={Math.max(Math.floor(o.from / 1000), startT)}
              x2={Math.min(o.to === undefined ? endT : Math.ceil(o.to / 1000), endT)}
              ifOverflow="hidden"
              fill={WARN}
              fillOpacity={0.12}
              stroke="none"
              className="traffic-outage"
            />
          ))}
          <ReferenceArea
            x1={Math.max(startT, endT - settlingS)}
            x2={endT}
            ifOverflow="hidden"
            fill={AXIS}
            fillOpacity={0.08}
            stroke="none"
            className="traffic-settling"
          />
          <Area
            type="linear"
            dataKey="site"
            name="Hits/s (Adobe's clock)"
            stroke={SITE}
            fill={SITE}
            fillOpacity={0.3}
            isAnimationActive={false}
            dot={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
});
