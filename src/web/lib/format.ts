import { formatIsoUtc, formatTime } from './format-time.ts';

/** Formatting helpers; every time input is epoch ms unless the name says seconds. Times and zones: `format-time.ts`. */

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

/** Local wall-clock time, 24 h: `14:03:22`. Prefer `formatTime(ms, zone)` from `format-time.ts`, which follows the UTC switch. */
export function formatClock(ms: number): string {
  return formatTime(ms, 'local');
}

export { formatIsoUtc };

// Built once: `toLocaleString` builds a new `Intl.NumberFormat` on every call, and the feed and
// charts format thousands of numbers a second.
const COUNT = new Intl.NumberFormat('en-US');

/** A rate with one decimal below 10: `0.4`, `7.5`, `1,234`. */
export function formatRate(perSecond: number): string {
  if (perSecond < 10) return (Math.round(perSecond * 10) / 10).toString();
  return COUNT.format(Math.round(perSecond));
}

/**
 * Whether `Intl` writes each three-letter code asked about so far, found out once per code (at
 * most 26³ entries): building an `Intl.NumberFormat` to find out costs more than the formatting,
 * and every revenue cell of the feed asks.
 */
const knownCurrencies = new Map<string, boolean>();

/** An ISO 4217 code `Intl` can write (`USD`, `eur` → `EUR`), or undefined. */
export function currencyCode(currency: string | undefined): string | undefined {
  const code = currency?.trim().toUpperCase();
  if (!code || !/^[A-Z]{3}$/.test(code)) return undefined;
  let known = knownCurrencies.get(code);
  if (known === undefined) {
    try {
      new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
      known = true;
    } catch {
      known = false;
    }
    knownCurrencies.set(code, known);
  }
  return known ? code : undefined;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string | undefined, compact: boolean): Intl.NumberFormat {
  const key = `${currency ?? ''}|${compact}`;
  let f = moneyFormats.get(key);
  if (!f) {
    // A known currency takes its own minor unit (two for USD, none for JPY or KRW).
    const options: Intl.NumberFormatOptions = compact
      ? { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }
      : currency
        ? {}
        : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
    f = new Intl.NumberFormat('en-US', currency ? { ...options, style: 'currency', currency } : options);
    moneyFormats.set(key, f);
  }
  return f;
}

/**
 * Revenue in the currency's major unit: `$1,234.50`, `¥1,500` when the currency is known (ISO 4217
 * code, with its own decimals), `1,234.50` without it.
 */
export function formatMoney(n: number, currency?: string): string {
  return moneyFormat(currencyCode(currency), false).format(n);
}

/** Revenue for an axis: compact, with the currency when known: `$800K`, `$1.8M`, `€12.5K`, `1.8M`. */
export function formatMoneyCompact(n: number, currency?: string): string {
  return moneyFormat(currencyCode(currency), true).format(n);
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
