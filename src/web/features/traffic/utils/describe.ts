import type { Top } from '../../../../contract/index.ts';
import { formatClock, formatCount, formatDuration, formatMoney, formatRate } from '../../../lib/format.ts';
import { formatMs, formatPercent, formatWindow } from './format.ts';
import type { Gap, TrafficSummary } from './series.ts';

/**
 * The sentences the charts carry as captions and text alternatives: what a sighted operator
 * reads off the plot, in words a screen reader can speak.
 */

/** The label of a shaded gap, on the chart and in its caption. */
export const GAP_LABEL = 'no data: reconnect wait';

/** "No data: reconnect wait, 12:01:00–12:02:19 (1 min 20 s)", for every gap, or undefined. */
export function describeGaps(gaps: readonly Gap[]): string | undefined {
  if (gaps.length === 0) return undefined;
  const parts = gaps.map(
    (g) => `${formatClock(g.from * 1000)}–${formatClock(g.to * 1000)} (${formatDuration(g.to - g.from + 1)})`,
  );
  return `No data: reconnect wait, ${parts.join(', ')}.`;
}

export function describeHits(s: TrafficSummary, windowS: number): string {
  if (s.hitsNow === null) return `No traffic data in the last ${formatWindow(windowS)}.`;
  const head = `Now ${formatRate(s.hitsNow)} hits/s; average ${formatRate(s.hitsAvg ?? 0)}, peak ${formatRate(s.hitsPeak ?? 0)} over the last ${formatWindow(windowS)} (${formatCount(s.totalHits)} hits).`;
  if (s.shardTotals.length < 2) return head;
  const shards = s.shardTotals.map((n, i) => `shard ${i}: ${formatCount(n)}`).join(', ');
  return `${head} By shard: ${shards}.`;
}

export function describeLag(s: TrafficSummary): string {
  if (s.lagP50 === null && s.lagP95 === null) return 'No lag measured.';
  const p50 = s.lagP50 === null ? 'unknown' : formatMs(s.lagP50);
  const p95 = s.lagP95 === null ? 'unknown' : formatMs(s.lagP95);
  return `Lag now: p50 ${p50}, p95 ${p95}.`;
}

export function describeQuality(s: TrafficSummary): string {
  const bots = s.botShare === null ? 'Bot share unknown' : `Bots ${formatPercent(s.botShare)} of hits`;
  const errors =
    s.errorPages === null
      ? 'error pages unknown'
      : `error pages ${formatCount(s.errorPages)}${s.errorShare === null ? '' : ` (${formatPercent(s.errorShare)})`}`;
  return `${bots}; ${errors}.`;
}

/** Revenue over the window: the relay's top-list total when it has one for this window, else the series' sum. */
export function describeRevenue(s: TrafficSummary, top: Top | undefined, windowS: number): string {
  const revenue = top?.revenue ?? s.revenue;
  const events = top?.events.reduce((sum, e) => sum + e.count, 0);
  const money = revenue === null ? 'Revenue unknown' : `Revenue ${formatMoney(revenue)}`;
  const counted = events === undefined ? '' : `, ${formatCount(events)} events`;
  return `${money}${counted} in the last ${formatWindow(windowS)}.`;
}
