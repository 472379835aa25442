import {
  MAX_SUMMARY_EVENT_CHARS,
  MAX_SUMMARY_EVENTS,
  MAX_SUMMARY_STRING,
  type HitRecord,
  type HitSummary,
  canonicalDigits,
} from '../../contract/index.ts';
import { ownCharacters, truncate } from '../upstream/error-body.ts';

/**
 * What the relay makes of a record: its exact, canonical hit id (or a stable one derived from
 * its bytes), and the summary browsers get.
 */

const ID_PARTS = /^(\d+)-(\d+)$/;

/**
 * A hit id as the relay keys it: `"<high>-<low>"` with the leading zeros of each half dropped
 * (`"0001-02"` → `"1-2"`), so a lookup finds the hit whichever way its digits were written. Any
 * other text (a fallback id) is returned as it is.
 */
export function canonicalHitId(id: string): string {
  const parts = ID_PARTS.exec(id);
  if (!parts) return id;
  const high = canonicalDigits(parts[1]);
  const low = canonicalDigits(parts[2]);
  return high === undefined || low === undefined ? id : ownCharacters(`${high}-${low}`);
}

/**
 * `"<hitIdHigh>-<hitIdLow>"` with exact, canonical digits (no leading zeros: `"00001"` and `1`
 * name the same hit), or undefined when the record lacks them. Runs once per hit: no closure is
 * created per call (under tsx every named closure costs a `__name` call).
 *
 * The id outlives its record (de-duplication remembers 200,000–400,000 of them), so it must not
 * refer to the line it came from. V8 keeps a substring of 13+ characters as a slice of its parent
 * and a concatenation as a pair of its parts: digits cut from a line are slices of the whole
 * decoded chunk (~64 KB), and `${h}-${l}` would keep every such chunk alive (measured: 200,000
 * ids held ~400 MB). Running a regex over the concatenation flattens it into its own characters,
 * releasing the parts.
 */
export function hitIdOf(record: HitRecord): string | undefined {
  const h = canonicalDigits(record.hitIdHigh);
  if (h === undefined) return undefined;
  const l = canonicalDigits(record.hitIdLow);
  if (l === undefined) return undefined;
  return ownCharacters(`${h}-${l}`);
}

/**
 * A stable id for a record without hit id fields, derived from its bytes (64-bit FNV-1a of the
 * line's text, in hex, prefixed so it can never look like a real `high-low` id).
 */
export function fallbackHitId(line: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < line.length; i++) {
    hash ^= BigInt(line.charCodeAt(i));
    hash = (hash * prime) & mask;
  }
  return `x${hash.toString(16).padStart(16, '0')}`;
}

/** A summary string: cut to `MAX_SUMMARY_STRING` characters (docs/api.md, "Configuration" and "Rules"). */
function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? truncate(value, MAX_SUMMARY_STRING) : undefined;
}

function int(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function truthy(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return value === true || value === 1 || value === '1' || value === 'true' || value === 'Y';
}

/** Livestream writes `bot` as `"<Bot>"` / `"<Not a bot>"`; accept booleans too. */
function isBot(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' || value === '') return undefined;
  return !/not a bot/i.test(value) && /bot/i.test(value);
}

/**
 * Names of the events a hit carries (`events: {event1: [...], purchase: ...}`, a list, or a
 * comma-separated string): at most `MAX_SUMMARY_EVENTS` names holding at most
 * `MAX_SUMMARY_EVENT_CHARS` characters together, each cut to `MAX_SUMMARY_STRING`.
 */
function eventNames(value: unknown): string[] | undefined {
  let candidates: unknown[];
  const listed = typeof value === 'string';
  if (Array.isArray(value)) candidates = value;
  else if (value && typeof value === 'object') candidates = Object.keys(value);
  else if (listed && value) candidates = value.split(',', 4 * MAX_SUMMARY_EVENTS);
  else return undefined;
  const names: string[] = [];
  let chars = 0;
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const name = truncate(listed ? candidate.trim() : candidate, MAX_SUMMARY_STRING);
    if (name === '') continue;
    chars += name.length;
    if (names.length === MAX_SUMMARY_EVENTS || chars > MAX_SUMMARY_EVENT_CHARS) break;
    names.push(name);
  }
  return names.length ? names : undefined;
}

/** Keys of the `events` object that make a hit a purchase (Livestream's name, and older spellings). */
type PurchaseEvent = 'purchase' | 'purchases' | 'orders';
const PURCHASE_IN_LIST = /(?:^|,)\s*purchase\s*(?:,|$)/;

/**
 * A purchase hit: it carries a `purchaseId` (since April 2026 Livestream fills an auto-generated
 * one when the page set none) or the `purchase` event. Adobe's Revenue metric only counts there.
 */
function isPurchase(id: unknown, events: unknown): boolean {
  if ((typeof id === 'string' && id.trim() !== '') || typeof id === 'number') return true;
  if (Array.isArray(events)) return events.includes('purchase');
  if (typeof events === 'string') return PURCHASE_IN_LIST.test(events);
  if (!events || typeof events !== 'object') return false;
  // Plain property reads (no call per hit): a JSON object has none of these names on its prototype.
  const named = events as Partial<Record<PurchaseEvent, unknown>>;
  return named.purchase !== undefined || named.purchases !== undefined || named.orders !== undefined;
}

function finite(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * An event's value: each entry `count × 10^exponent` (count 150, exponent −2 is 1.50), summed:
 * since April 2026 an event may carry several entries. A bare number counts as it is.
 */
function eventValue(entries: unknown): number | undefined {
  if (typeof entries === 'number' || typeof entries === 'string') return finite(entries);
  const list: unknown[] = Array.isArray(entries) ? entries : entries && typeof entries === 'object' ? [entries] : [];
  let sum = 0;
  let any = false;
  for (const entry of list) {
    const count = finite(typeof entry === 'object' && entry !== null ? (entry as { count?: unknown }).count : entry);
    if (count === undefined) continue;
    const raw = typeof entry === 'object' && entry !== null ? finite((entry as { exponent?: unknown }).exponent) : 0;
    const exponent = raw === undefined ? 0 : Math.max(-20, Math.min(20, Math.trunc(raw)));
    // Dividing by 10^k is exact where multiplying by 10^-k is not (12345 × 0.01 ≠ 123.45).
    sum += exponent < 0 ? count / 10 ** -exponent : count * 10 ** exponent;
    any = true;
  }
  return any && Number.isFinite(sum) ? sum : undefined;
}

/** Sum of `products[].revenue`, in the currency's major unit (two decimals since April 2026). */
function productsRevenue(products: unknown): number | undefined {
  if (!Array.isArray(products)) return undefined;
  let sum = 0;
  let any = false;
  for (const product of products) {
    const value = finite((product as { revenue?: unknown } | null)?.revenue);
    if (value !== undefined) {
      sum += value;
      any = true;
    }
  }
  return any ? sum : undefined;
}

/** Rounded to cents, as Livestream rounds revenue since April 2026 (and float sums need). */
export function roundCents(value: number): number {
  return Math.round(value * 100 + (value >= 0 ? 1e-7 : -1e-7)) / 100;
}

/**
 * Revenue of a purchase hit, in its currency's major unit rounded to cents: Adobe's Revenue
 * metric of the hit (the `revenue` event) when present, else the sum of the products' revenue
 * (the Revenue metric "increases by the sum of price parameters in the products variable").
 */
function revenueOf(events: unknown, products: unknown): number | undefined {
  let total =
    events && typeof events === 'object' && !Array.isArray(events)
      ? eventValue((events as Record<string, unknown>).revenue)
      : undefined;
  total ??= productsRevenue(products);
  return total === undefined || total === 0 ? undefined : roundCents(total);
}

/** `exclude.value` is "yes": Adobe excluded the hit from reporting. */
function isExcluded(exclude: unknown): boolean {
  if (exclude === true) return true;
  if (!exclude || typeof exclude !== 'object') return false;
  const value = (exclude as { value?: unknown }).value;
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'yes');
}

/** What a `userAgent` says about the device: one of `UA_DEVICES` / `UA_DEVICE_TYPES`. */
const UA_DEVICE = /(iPad)|(iPhone|iPod)|(Android)|(Windows NT|Macintosh|X11|CrOS)/;
const UA_MOBILE = /Mobile/;
const UA_DEVICES = ['Apple iPad', 'Apple iPhone', 'Android phone', 'Android tablet', 'Desktop', 'Other'] as const;
const UA_DEVICE_TYPES = ['Tablet', 'Mobile Phone', 'Mobile Phone', 'Tablet', 'Desktop', 'Other'] as const;

function uaDevice(userAgent: string): number {
  const match = UA_DEVICE.exec(userAgent);
  if (!match) return 5;
  if (match[1]) return 0;
  if (match[2]) return 1;
  if (match[3]) return UA_MOBILE.test(userAgent) ? 2 : 3;
  return 4;
}

const UA_BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/Edg(?:e|A|iOS)?\//, 'Microsoft Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Mozilla Firefox'],
  [/Chrome\/|CriOS\//, 'Google Chrome'],
  [/Safari\//, 'Apple Safari'],
];

/** The browser family a `userAgent` names, for a record without `browser`. */
function uaBrowser(userAgent: unknown): string | undefined {
  if (typeof userAgent !== 'string' || userAgent === '') return undefined;
  for (const [pattern, name] of UA_BROWSERS) if (pattern.test(userAgent)) return name;
  return undefined;
}

/** What Adobe's Mobile manufacturer dimension holds when it does not know: not put before a name. */
const PLACEHOLDER_MAKERS = new Set(['Unknown', 'Other', 'None', 'Not Specified', 'unknown']);

/**
 * "Apple iPhone 15" from manufacturer "Apple" and name "iPhone 15"; a name that starts with its
 * maker, or a maker that is a placeholder ("Unknown" for a Windows PC), leaves the name as it is.
 */
function deviceName(manufacturer: string | undefined, name: string | undefined): string | undefined {
  if (!manufacturer || PLACEHOLDER_MAKERS.has(manufacturer)) return name ?? manufacturer;
  if (!name || name.startsWith(manufacturer)) return name ?? manufacturer;
  return truncate(`${manufacturer} ${name}`, MAX_SUMMARY_STRING);
}

/**
 * `device` and `deviceType` (in `deviceOut` and the return value): from the mobile device fields,
 * which Livestream fills since April 2026 (with `userAgent` empty; the two are exclusive), else
 * from `userAgent`. Module-level out value: no object made per hit.
 */
let deviceTypeOut: string | undefined;
function deviceOf(record: HitRecord): string | undefined {
  const name = str(record.mobileDeviceName);
  const type = str(record.mobileDeviceType);
  if (name || type) {
    deviceTypeOut = type;
    return deviceName(str(record.mobileManufacturer), name) ?? type;
  }
  const userAgent = record.userAgent;
  if (typeof userAgent !== 'string' || userAgent === '') {
    deviceTypeOut = undefined;
    return undefined;
  }
  const kind = uaDevice(userAgent);
  deviceTypeOut = UA_DEVICE_TYPES[kind];
  return UA_DEVICES[kind];
}

/**
 * A 32-bit hash of the hit's visitor (`visIdHigh`/`visIdLow`, else `mcVisIdHigh`/`mcVisIdLow`,
 * else `customVisId`), for counting distinct visitors; undefined without one. Ids may come as
 * digit strings or (on the hot path, beyond 2^53) as rounded numbers: either hashes the same
 * visitor the same way within a run, and nothing is allocated.
 */
export function visitorHashOf(record: HitRecord): number | undefined {
  let high: unknown = record.visIdHigh;
  let low: unknown = record.visIdLow;
  if (high === undefined && low === undefined) {
    high = record.mcVisIdHigh;
    low = record.mcVisIdLow;
  }
  if (high === undefined && low === undefined) high = record.customVisId;
  if ((high === undefined || high === '') && (low === undefined || low === '')) return undefined;
  const h = hashPart(hashPart(0x811c9dc5, high), low);
  // murmur3's finaliser: every input bit reaches every output bit (HyperLogLog reads the top bits).
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function hashPart(h: number, value: unknown): number {
  if (typeof value === 'string') {
    for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
    return Math.imul(h ^ 0x2d, 0x01000193);
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    h = Math.imul(h ^ (value >>> 0), 0x01000193);
    h = Math.imul(h ^ (Math.floor(value / 4294967296) >>> 0), 0x01000193);
    return Math.imul(h ^ 0x2e, 0x01000193);
  }
  return Math.imul(h ^ 0x2f, 0x01000193);
}

export interface SummaryMeta {
  seq: number;
  shard: number;
  arrivedAt: number;
  /** The record's id: `hitIdOf(record)` or `fallbackHitId(line)`. */
  hitId: string;
}

/**
 * What a browser sees of a record. Every summary has every field, in the same order (undefined
 * where the record had nothing: JSON leaves those out), so every summary has the same shape and
 * the code reading them on the hot path (stats, quality, feed, JSON.stringify) stays monomorphic.
 */
export function summariseRecord(record: HitRecord, meta: SummaryMeta): HitSummary {
  const events = record.events;
  const excluded = isExcluded(record.exclude);
  const purchase = !excluded && isPurchase(record.purchaseId, events);
  const device = deviceOf(record);
  return {
    seq: meta.seq,
    hitId: meta.hitId,
    shard: meta.shard,
    arrivedAt: meta.arrivedAt,
    timeGMT: int(record.timeGMT),
    receivedTimeGMT: int(record.receivedTimeGMT),
    reportSuite: str(record.reportSuite),
    pageName: str(record.pageName),
    pageURL: str(record.pageURL),
    geoCountry: str(record.geoCountry),
    geoCity: str(record.geoCity),
    browser: str(record.browser) ?? uaBrowser(record.userAgent),
    operatingSystem: str(record.operatingSystem),
    device,
    deviceType: deviceTypeOut,
    events: eventNames(events),
    currency: str(record.currency),
    excluded: excluded || undefined,
    purchase: purchase || undefined,
    revenue: purchase ? revenueOf(events, record.products) : undefined,
    truncated: truthy(record.truncated) || undefined,
    bot: isBot(record.bot),
    isErrorPage: truthy(record.isErrorPage),
  };
}
