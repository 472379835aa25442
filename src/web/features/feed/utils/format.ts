/**
 * Text for the feed's cells. Kept apart from the traffic feature's helpers on purpose:
 * features never import each other.
 */

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const moneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pad2 = (n: number) => String(n).padStart(2, '0');

/** `hh:mm:ss` (24-hour, local time) of an epoch-ms instant. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Whole count with grouping: `1,234`. */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** Revenue in the currency's major unit, two decimals, no symbol. */
export function formatMoney(n: number): string {
  return moneyFormat.format(n);
}

/** "Paris, FR" from whichever of city and country the hit has. */
export function formatPlace(city: string | undefined, country: string | undefined): string {
  return [city, country].filter(Boolean).join(', ');
}

/** "Chrome / Windows" from whichever of browser and OS the hit has. */
export function formatAgent(browser: string | undefined, os: string | undefined): string {
  return [browser, os].filter(Boolean).join(' / ');
}

/**
 * "1 in N shown" (N = round(total / kept)), the percentage when N rounds to 1, or undefined
 * when the feed is not sampled.
 */
export function sampledLabel(sampled: { kept: number; total: number } | undefined): string | undefined {
  if (!sampled || sampled.total <= 0 || sampled.kept >= sampled.total) return undefined;
  const n = Math.max(1, Math.round(sampled.total / Math.max(sampled.kept, 1)));
  return n >= 2 ? `1 in ${n} shown` : `${Math.floor((sampled.kept / sampled.total) * 100)}% shown`;
}
