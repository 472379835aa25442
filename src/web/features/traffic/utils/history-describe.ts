import type { Outage } from '../../../../contract/index.ts';
import { formatCount, formatRate } from '../../../lib/format.ts';
import { formatDate, formatTimeShort, zoneName, type TimeZoneSetting } from '../../../lib/format-time.ts';
import { formatWindow } from './format.ts';
import type { HistoryView } from './history-series.ts';

/** The sentences of the long-window charts: what the plot shows, in words a screen reader can speak. */

/** A length of time to the minute: `45 s`, `12 min`, `3 h 10 min`, `2 d 4 h`. */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

/** A moment with its date, to the minute: `2026-11-29 14:03 UTC`. */
export function formatMoment(ms: number, zone: TimeZoneSetting): string {
  return `${formatDate(ms, zone)} ${formatTimeShort(ms, zone)} ${zoneName(zone, ms)}`;
}

/** "Average 12.3 hits/s over the last 24 h (1,062,720 hits); busiest second 45 hits/s, between 2026-11-29 14:02 UTC and 14:04." */
export function describeHistoryHits(view: HistoryView, windowS: number, zone: TimeZoneSetting): string {
  const { summary } = view;
  if (summary.avg === null) return `No data recorded in the last ${formatWindow(windowS)}.`;
  const peak =
    summary.peak === null || summary.peakT === null
      ? ''
      : `; busiest second ${formatRate(summary.peak)} hits/s, between ${formatMoment(summary.peakT * 1000, zone)} and ${formatTimeShort((summary.peakT + view.step) * 1000, zone)}`;
  return `Average ${formatRate(summary.avg)} hits/s over the last ${formatWindow(windowS)} (${formatCount(summary.totalHits)} hits)${peak}.`;
}

/** How much of the window the relay did not record, or undefined when it recorded all of it. */
export function describeHistoryGaps(view: HistoryView, windowS: number): string | undefined {
  // Less than a point missing is the minute still being recorded, not a gap.
  if (view.summary.missingS < Math.max(60, view.step)) return undefined;
  const spans = view.gaps.length;
  return `No data for ${formatSpan(view.summary.missingS)} of the ${formatWindow(windowS)}${spans > 1 ? ` (${spans} gaps)` : ''}: the relay recorded nothing then; drawn as gaps.`;
}

/** Outages listed with their verdicts, the most recent `limit` of them. */
export function describeHistoryOutages(
  outages: readonly Outage[],
  zone: TimeZoneSetting,
  limit = 3,
): string | undefined {
  if (outages.length === 0) return undefined;
  const recent = outages.slice(-limit);
  const parts = recent.map((o) => {
    const length = o.to === undefined ? 'still going' : `for ${formatSpan((o.to - o.from) / 1000)}`;
    return `Shard ${o.shard} stopped on ${formatMoment(o.from, zone)} ${length}: ${o.summary}.`;
  });
  const more = outages.length - recent.length;
  const head = outages.length === 1 ? '1 outage' : `${outages.length} outages`;
  return `${head} (shaded)${more > 0 ? `, the last ${recent.length}` : ''}: ${parts.join(' ')}`;
}

/** An outage's label on the chart: its verdict in words. */
export function outageLabel(outage: Outage): string {
  return outage.verdict.replace(/-/g, ' ');
}

/**
 * The top lists count fewer hits than the chart (the relay kept top lists for part of the window
 * only: it was not running, or keeps them for less time): said, with both counts. Undefined when
 * they cover the window (excluded hits, which the lists leave out, aside).
 */
export function describeTopCoverage(topHits: number, chartHits: number): string | undefined {
  if (chartHits <= 0 || topHits >= chartHits * 0.95) return undefined;
  return `The relay kept top lists for only part of this window: they count ${formatCount(topHits)} of its ${formatCount(chartHits)} hits.`;
}
