import type { Top } from '../../../../contract/index.ts';
import { formatCount, formatDuration, formatMoney, formatRate } from '../../../lib/format.ts';
import { formatTime, zoneName, type TimeZoneSetting } from '../../../lib/format-time.ts';
import { formatMs, formatPercent, formatWindow } from './format.ts';
import type { AxisFrom, Gap, TrafficSummary } from './series.ts';

/**
 * The sentences the charts carry as captions and text alternatives: what a sighted operator
 * reads off the plot, in words a screen reader can speak.
 */

/** The label of a shaded gap, on the chart and in its caption. */
export const GAP_LABEL = 'no data: reconnect wait';

/** "No data: reconnect wait, 12:01:00–12:02:19 UTC (1 min 20 s)", for every gap, or undefined. */
export function describeGaps(gaps: readonly Gap[], zone: TimeZoneSetting = 'local'): string | undefined {
  if (gaps.length === 0) return undefined;
  const parts = gaps.map(
    (g) =>
      `${formatTime(g.from * 1000, zone)}–${formatTime(g.to * 1000, zone)} ${zoneName(zone, g.to * 1000)} (${formatDuration(g.to - g.from + 1)})`,
  );
  return `No data: reconnect wait, ${parts.join(', ')}.`;
}

/**
 * What the charts cover: `the last 15 min`; when the relay started inside the window (the axis
 * then starts at its start) `the 3 min since the relay started`; when the stats reach back less
 * than the window for another reason, `the 10 min with stats`.
 */
export function describeSpan(windowS: number, coveredS?: number, from: AxisFrom = 'relay-start'): string {
  if (coveredS === undefined || coveredS >= windowS || from === 'window') return `the last ${formatWindow(windowS)}`;
  return from === 'relay-start'
    ? `the ${roughDuration(coveredS)} since the relay started`
    : `the ${roughDuration(coveredS)} with stats`;
}

/** Seconds up to 2 min, then whole minutes: a caption that does not tick every second. */
function roughDuration(seconds: number): string {
  return seconds < 120 ? formatDuration(seconds) : formatDuration(Math.floor(seconds / 60) * 60);
}

/**
 * The note shown when the axis starts inside the window: `The relay started 3 min ago, at
 * 12:56:40 UTC: the charts start there, not 15 min back.`, or for stats older than the relay's
 * start, `The stats start 10 min ago, at 12:50:00 UTC: the charts start there, not 15 min back.`
 */
export function describeAxisStart(
  from: Exclude<AxisFrom, 'window'>,
  atMs: number,
  agoS: number,
  windowS: number,
  zone: TimeZoneSetting,
): string {
  const ago = roughDuration(Math.max(0, Math.round(agoS)));
  const what = from === 'relay-start' ? 'The relay started' : 'The stats start';
  return `${what} ${ago} ago, at ${formatTime(atMs, zone)} ${zoneName(zone, atMs)}: the charts start there, not ${formatWindow(windowS)} back.`;
}

export function describeHits(s: TrafficSummary, windowS: number, coveredS?: number, from?: AxisFrom): string {
  const span = describeSpan(windowS, coveredS, from);
  if (s.hitsNow === null) return `No traffic data in ${span}.`;
  const head = `Now ${formatRate(s.hitsNow)} hits/s; average ${formatRate(s.hitsAvg ?? 0)}, peak ${formatRate(s.hitsPeak ?? 0)} over ${span} (${formatCount(s.totalHits)} hits).`;
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
export function describeRevenue(s: TrafficSummary, top: Top | undefined, windowS: number, currency?: string): string {
  const revenue = top?.revenue ?? s.revenue;
  const events = top?.events.reduce((sum, e) => sum + e.count, 0);
  const money = revenue === null ? 'Revenue unknown' : `Revenue ${formatMoney(revenue, currency)}`;
  const counted = events === undefined ? '' : `, ${formatCount(events)} events`;
  return `${money}${counted} in the last ${formatWindow(windowS)}.`;
}
