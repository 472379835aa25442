/**
 * Text for chart axes and captions. Numbers use en-US grouping ("1,234") so the dashboard reads
 * the same on every operator's machine; shared formats (counts, money) are in lib/format.ts, times
 * and zones in lib/format-time.ts.
 */

import { formatDayMonth, formatTime, formatTimeShort, type TimeZoneSetting } from '../../../lib/format-time.ts';

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/**
 * An axis tick of an epoch-second instant, 24-hour, in the chosen zone: `hh:mm`, or `hh:mm:ss`
 * when the ticks are less than a minute apart (a relay up for a few seconds); the date (`28 Nov`)
 * when they are a day or more apart, and at midnight when they are hours apart.
 */
export function formatTick(epochS: number, zone: TimeZoneSetting = 'local', stepS = 60): string {
  if (stepS < 60) return formatTime(epochS * 1000, zone);
  const hhmm = formatTimeShort(epochS * 1000, zone);
  if (stepS >= 86_400 || (stepS >= 3600 && hhmm === '00:00')) return formatDayMonth(epochS * 1000, zone);
  return hhmm;
}

/** Milliseconds as `850 ms` or, from 10 s up, `12.3 s`. */
export function formatMs(ms: number): string {
  return ms < 10_000 ? `${countFormat.format(ms)} ms` : `${oneDecimal.format(ms / 1000)} s`;
}

/** The one unit of a lag axis whose largest value is `maxMs`: seconds from 1 s up, else ms. */
export type LagUnit = 'ms' | 's';

export function lagAxisUnit(maxMs: number | null | undefined): LagUnit {
  return maxMs !== null && maxMs !== undefined && maxMs >= 1000 ? 's' : 'ms';
}

/** A lag axis tick in the axis' one unit: `0 ms`, `850 ms`; `0 s`, `2.5 s`, `75 s`. */
export function formatLagTick(ms: number, unit: LagUnit): string {
  if (unit === 'ms') return `${countFormat.format(Math.round(ms))} ms`;
  const s = ms / 1000;
  const digits = s < 1 ? twoDecimals : s < 10 ? oneDecimal : countFormat;
  return `${digits.format(s)} s`;
}

/** A share in 0..1 as `12.3%`. */
export function formatPercent(share: number): string {
  return `${oneDecimal.format(share * 100)}%`;
}

/** A window length: `5 min`, `1 h`, `24 h`, `7 d`, `30 d`. */
export function formatWindow(windowS: number): string {
  if (windowS > 86_400 && windowS % 86_400 === 0) return `${windowS / 86_400} d`;
  return windowS >= 3600 && windowS % 3600 === 0 ? `${windowS / 3600} h` : `${Math.round(windowS / 60)} min`;
}

/** What one point of a chart stands for, from its step in seconds: `1 point = 2 min`, `1 point = 1 h`. */
export function formatStep(stepS: number): string {
  if (stepS < 60) return `1 point = ${stepS} s`;
  if (stepS < 3600 || stepS % 3600 !== 0) return `1 point = ${Math.round(stepS / 60)} min`;
  if (stepS < 86_400 || stepS % 86_400 !== 0) return `1 point = ${stepS / 3600} h`;
  return `1 point = ${stepS / 86_400} d`;
}
