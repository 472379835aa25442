import { memo, useMemo } from 'react';
import { Area, AreaChart, ReferenceArea } from 'recharts';
import { formatCount, formatRate } from '../../../lib/format.ts';
import { formatTimeWithZone, type TimeZoneMode } from '../../../lib/format-time.ts';
import type { SiteView } from '../utils/site-series.ts';
import { ChartFigure } from './chart-figure.tsx';
import { useStaggered } from '../../../lib/frame-stagger.ts';
import { AXIS, Plot, RATE_Y_AXIS, useTimeAxisParts } from './time-charts.tsx';
import { ChartCsv } from './chart-parts.tsx';
import { csvSet, seriesCsv } from '../utils/export-series.ts';
import type { SitePoint } from '../utils/site-series.ts';

/** The site chart's CSV: what it draws. */
export function siteCsv(view: SiteView): string {
  return seriesCsv([
    csvSet<SitePoint>(view.points, [{ header: "hits/s on Adobe's clock (mean of the point)", value: (p) => p.site }]),
  ]);
}

const MARGIN = { top: 8, right: 12, bottom: 0, left: 0 };
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
  const plot = useMemo(() => ({ view, startT, endT, settlingS }), [view, startT, endT, settlingS]);
  const plotted = useStaggered(plot);
  return (
    <ChartFigure
      title="Site traffic on Adobe's clock"
      summary={describeSite(view, settlingS)}
      note={describeOutages(view, zone)}
      testId="chart-site"
      actions={
        <ChartCsv
          what="site"
          label="the site traffic on Adobe's clock"
          build={() => siteCsv(view)}
          disabled={view.points.length === 0}
        />
      }
    >
      <SitePlot plot={plotted} zone={zone} />
    </ChartFigure>
  );
});

const siteValue = (v: number) => `${formatRate(v)} hits/s`;

/**
 * The plot, memoised on what it draws, which changes in its turn (`useStaggered`), its Recharts
 * children kept while what they show is (`useTimeAxisParts`, in time-charts.tsx).
 */
const SitePlot = memo(function SitePlot(props: {
  plot: Pick<SiteTrafficChartProps, 'view' | 'startT' | 'endT' | 'settlingS'>;
  zone: TimeZoneMode;
}) {
  const { view, startT, endT, settlingS } = props.plot;
  const { zone } = props;
  const axis = useTimeAxisParts(startT, endT, zone, siteValue);
  const spans = JSON.stringify(
    view.outages.map((o) => ({
      id: o.id,
      x1: Math.max(Math.floor(o.from / 1000), startT),
      x2: Math.min(o.to === undefined ? endT : Math.ceil(o.to / 1000), endT),
    })),
  );
  const outages = useMemo(
    () =>
      (JSON.parse(spans) as { id: string; x1: number; x2: number }[]).map((o) => (
        <ReferenceArea
          key={o.id}
          x1={o.x1}
          x2={o.x2}
          ifOverflow="hidden"
          fill={WARN}
          fillOpacity={0.12}
          stroke="none"
          className="traffic-outage"
        />
      )),
    [spans],
  );
  const settlingFrom = Math.max(startT, endT - settlingS);
  const settling = useMemo(
    () => (
      <ReferenceArea
        x1={settlingFrom}
        x2={endT}
        ifOverflow="hidden"
        fill={AXIS}
        fillOpacity={0.08}
        stroke="none"
        className="traffic-settling"
      />
    ),
    [settlingFrom, endT],
  );
  return (
    <Plot>
      <AreaChart data={view.points} margin={MARGIN} accessibilityLayer={false}>
        {axis}
        {RATE_Y_AXIS}
        {outages}
        {settling}
        {SITE_AREA}
      </AreaChart>
    </Plot>
  );
});

const SITE_AREA = (
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
);
