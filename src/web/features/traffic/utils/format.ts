/**
 * Text for chart axes and captions. Numbers use en-US grouping ("1,234") so the dashboard reads
 * the same on every operator's machine; shared formats (clock, counts, money) are in lib/format.ts.
 */

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `hh:mm` (24-hour, local time) of an epoch-second instant: chart axis ticks. */
export function formatTick(epochS: number): string {
  const d = new Date(epochS * 1000);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** Milliseconds as `850 ms` or, from 10 s up, `12.3 s`. */
export function formatMs(ms: number): string {
  return ms < 10_000 ? `${countFormat.format(ms)} ms` : `${oneDecimal.format(ms / 1000)} s`;
}

/** Milliseconds for an axis tick: `850ms`, `2.5s`, `12s`. */
export function formatMsShort(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  return s < 10 ? `${oneDecimal.format(s)}s` : `${countFormat.format(s)}s`;
}

/** A share in 0..1 as `12.3%`. */
export function formatPercent(share: number): string {
  return `${oneDecimal.format(share * 100)}%`;
}

/** A window length: `5 min`, `1 h`. */
export function formatWindow(windowS: number): string {
  return windowS >= 3600 && windowS % 3600 === 0 ? `${windowS / 3600} h` : `${Math.round(windowS / 60)} min`;
}
