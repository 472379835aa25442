/** Formatting helpers; every time input is epoch ms unless the name says seconds. */

/** A countdown: `42 s` up to a minute, `1:05` under an hour, `1:02:03` beyond; `0 s` when due. */
export function formatCountdown(remainingMs: number): string {
  if (!(remainingMs > 0)) return '0 s';
  const total = Math.ceil(remainingMs / 1000);
  if (total <= 60) return `${total} s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A length of time in words: `42 s`, `60 s`, `1 min 30 s`, `5 min`, `2 h 5 min`. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total <= 60) return `${total} s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return s > 0 ? `${m} min ${s} s` : `${m} min`;
}

/** How long ago: `just now`, `12 s ago`, `3 min ago`, `2 h ago`. */
export function formatAgo(elapsedMs: number): string {
  const s = Math.floor(elapsedMs / 1000);
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** Local wall-clock time, 24 h: `14:03:22`. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** ISO 8601 in UTC, as support wants it: `2025-01-31T14:03:22.123Z`. */
export function formatIsoUtc(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : 'unknown';
}

// Built once: `toLocaleString` builds a new `Intl.NumberFormat` on every call, and the feed and
// charts format thousands of numbers a second.
const COUNT = new Intl.NumberFormat('en-US');
const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A rate with one decimal below 10: `0.4`, `7.5`, `1,234`. */
export function formatRate(perSecond: number): string {
  if (perSecond < 10) return (Math.round(perSecond * 10) / 10).toString();
  return COUNT.format(Math.round(perSecond));
}

/** Revenue in the currency's major unit, two decimals, no symbol (the stream does not say which currency). */
export function formatMoney(n: number): string {
  return MONEY.format(n);
}

export function formatCount(n: number): string {
  return COUNT.format(n);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
