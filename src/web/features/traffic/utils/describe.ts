import type { Top } from '../../../../contract/index.ts';
import { formatCount, formatDuration, formatMoney, formatRate } from '../../../lib/format.ts';
import { formatTime, zoneName, type TimeZoneSetting } from '../../../lib/format-time.ts';
import { formatMs, formatPercent, formatWindow } from './format.ts';
import type { AxisFrom, Gap, TrafficSummary } from './series.ts';

/**
 * The sentences the charts carry as captions and text alternatives: what a sighted operator
 * reads off the plot, in words a screen reader can speak.
 */

/** Why a gap has no data, in a few words: the chart's label after "no data: ". */
export function gapReason(gap: Pick<Gap, 'kind' | 'state'>): string {
  if (gap.kind === 'missing') return 'relay unreachable';
  switch (gap.state) {
    case 'failed':
      return 'shard failed';
    case 'waiting':
      return 'reconnect wait';
    case 'stalled':
      return 'stream stalled';
    case undefined:
      return 'no shard streaming';
    default:
      return gap.state;
  }
}

/** The label of a shaded gap, on the chart: "no data: shard failed". */
export function gapLabel(gap: Pick<Gap, 'kind' | 'state'>): string {
  return `no data: ${gapReason(gap)}`;
}

/**
 * "No data: shard failed 12:01:00–12:04:59 UTC (4 min); reconnect wait 12:05:00–12:05:59 UTC
 * (1 min).", every gap with its cause, or undefined.
 */
export function describeGaps(gaps: readonly Gap[], zone: TimeZoneSetting = 'local'): string | undefined {
  if (gaps.length === 0) return undefined;
  const parts = gaps.map(
    (g) =>
      `${gapReason(g)} ${formatTime(g.from * 1000, zone)}–${formatTime(g.to * 1000, zone)} ${zoneName(zone, g.to * 1000)} (${formatDuration(g.to - g.from + 1)})`,
  );
  return `No data: ${parts.join('; ')}.`;
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

export function describeHits(
  s: TrafficSummary,
  windowS: number,
  coveredS?: number,
  from?: AxisFrom,
  zone: TimeZoneSetting = 'local',
): string {
  const span = describeSpan(windowS, coveredS, from);
  if (s.hitsNow === null && s.currentGap === null) return `No traffic data in ${span}.`;
  const average = `average ${formatRate(s.hitsAvg ?? 0)}, peak ${formatRate(s.hitsPeak ?? 0)} over ${span} (${formatCount(s.totalHits)} hits)`;
  const head = s.currentGap
    ? `No data now: ${describeCurrentGap(s.currentGap, zone)}; ${s.dataSeconds > 0 ? average : `no hits in ${span}`}.`
    : `Now ${formatRate(s.hitsNow ?? 0)} hits/s; ${average}.`;
  if (s.shardTotals.length < 2) return head;
  const shards = s.shardTotals.map((n, i) => `shard ${i}: ${formatCount(n)}`).join(', ');
  return `${head} By shard: ${shards}.`;
}

/** "shard failed since 12:01:00 UTC (4 min)". */
function describeCurrentGap(gap: Gap, zone: TimeZoneSetting): string {
  return `${gapReason(gap)} since ${formatTime(gap.from * 1000, zone)} ${zoneName(zone, gap.from * 1000)} (${formatDuration(gap.to - gap.from + 1)})`;
}

export function describeLag(s: TrafficSummary, zone: TimeZoneSetting = 'local'): string {
  if (s.currentGap)
    return `No lag now: no hits since ${formatTime(s.currentGap.from * 1000, zone)} ${zoneName(zone, s.currentGap.from * 1000)}.`;
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
  const others = Object.keys(top?.revenueByCurrency ?? {}).filter((code) => code !== (top?.currency ?? currency));
  const more = others.length
    ? ` Also sales in ${others.length} other currenc${others.length === 1 ? 'y' : 'ies'} (${others.slice(0, 3).join(', ')}${others.length > 3 ? '…' : ''}): see Stream quality.`
    : '';
  return `${money}${counted} in the last ${formatWindow(windowS)}.${more}`;
}
