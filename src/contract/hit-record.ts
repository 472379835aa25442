import type { HitSummary } from './hit-summary.ts';

/**
 * A Livestream record as the relay holds it: the JSON object of one line, every field kept,
 * with the unsigned 64-bit integer fields held as decimal strings (JSON numbers beyond 2^53
 * lose digits in JavaScript). The simulator writes records the same way, back to bare numbers.
 */
export type HitRecord = Record<string, unknown>;

/** Top-level fields that are unsigned 64-bit integers on the wire. */
export const EXACT_INT_FIELDS = [
  'hitIdHigh',
  'hitIdLow',
  'visIdHigh',
  'visIdLow',
  'mcVisIdHigh',
  'mcVisIdLow',
] as const;

const DIGITS = /^\d{1,20}$/;

/**
 * One NDJSON line (without line break) for a record: JSON, except that the 64-bit fields, held
 * as decimal strings, are written as bare numbers with their exact digits, as Livestream does.
 */
export function stringifyRecord(record: HitRecord): string {
  const exact = new Map<string, string>();
  const copy: HitRecord = { ...record };
  for (const field of EXACT_INT_FIELDS) {
    const value = copy[field];
    if (typeof value === 'string' && DIGITS.test(value)) {
      // A placeholder JSON.stringify leaves alone, swapped for the bare digits afterwards.
      const token = `\u0000exact:${field}`;
      exact.set(token, value);
      copy[field] = token;
    } else if (typeof value === 'bigint') {
      const token = `\u0000exact:${field}`;
      exact.set(token, value.toString());
      copy[field] = token;
    }
  }
  let line = JSON.stringify(copy);
  for (const [token, digits] of exact) line = line.replace(JSON.stringify(token), digits);
  return line;
}

/** An id half as exact decimal digits, or undefined. */
function idDigits(v: unknown): string | undefined {
  if (typeof v === 'string') return DIGITS.test(v) ? v : undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : undefined;
}

/** Any character: testing it flattens a concatenated string in place (see `hitIdOf`). */
const ANY = /[^]/;

/**
 * `"<hitIdHigh>-<hitIdLow>"` with exact digits, or undefined when the record lacks them. Runs once
 * per hit: no closure is created per call (under tsx every named closure costs a `__name` call).
 *
 * The id outlives its record (de-duplication remembers 200,000–400,000 of them), so it must not
 * refer to the line it came from. V8 keeps a substring of 13+ characters as a slice of its parent
 * and a concatenation as a pair of its parts: digits cut from a line are slices of the whole
 * decoded chunk (~64 KB), and `${h}-${l}` would keep every such chunk alive (measured: 200,000
 * ids held ~400 MB). Running a regex over the concatenation flattens it into its own characters,
 * releasing the parts.
 */
export function hitIdOf(record: HitRecord): string | undefined {
  const h = idDigits(record.hitIdHigh);
  if (h === undefined) return undefined;
  const l = idDigits(record.hitIdLow);
  if (l === undefined) return undefined;
  const id = `${h}-${l}`;
  ANY.test(id);
  return id;
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

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
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

/** Names of the events a hit carries (`events: {event1: [...], purchase: ...}` or a list). */
function eventNames(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const names = value.filter((v): v is string => typeof v === 'string');
    return names.length ? names : undefined;
  }
  if (value && typeof value === 'object') {
    const names = Object.keys(value);
    return names.length ? names : undefined;
  }
  if (typeof value === 'string' && value)
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return undefined;
}

/** Sum of `products[].revenue`, which Livestream sends in cents, in the currency's major unit. */
function revenueOf(products: unknown): number | undefined {
  if (!Array.isArray(products)) return undefined;
  let cents = 0;
  let any = false;
  for (const product of products) {
    const revenue = (product as { revenue?: unknown } | null)?.revenue;
    const value = typeof revenue === 'number' ? revenue : typeof revenue === 'string' ? Number(revenue) : NaN;
    if (Number.isFinite(value)) {
      cents += value;
      any = true;
    }
  }
  return any && cents !== 0 ? Math.round(cents) / 100 : undefined;
}

export interface SummaryMeta {
  seq: number;
  shard: number;
  arrivedAt: number;
  /** The record's id: `hitIdOf(record)` or `fallbackHitId(line)`. */
  hitId: string;
}

/** What a browser sees of a record. Only fields present in the record are set. */
export function summariseRecord(record: HitRecord, meta: SummaryMeta): HitSummary {
  const summary: HitSummary = { seq: meta.seq, hitId: meta.hitId, shard: meta.shard, arrivedAt: meta.arrivedAt };
  setIf(summary, 'timeGMT', int(record.timeGMT));
  setIf(summary, 'receivedTimeGMT', int(record.receivedTimeGMT));
  setIf(summary, 'reportSuite', str(record.reportSuite));
  setIf(summary, 'pageName', str(record.pageName));
  setIf(summary, 'pageURL', str(record.pageURL));
  setIf(summary, 'geoCountry', str(record.geoCountry));
  setIf(summary, 'geoCity', str(record.geoCity));
  setIf(summary, 'browser', str(record.browser));
  setIf(summary, 'operatingSystem', str(record.operatingSystem));
  setIf(summary, 'events', eventNames(record.events));
  setIf(summary, 'revenue', revenueOf(record.products));
  setIf(summary, 'bot', isBot(record.bot));
  setIf(summary, 'isErrorPage', truthy(record.isErrorPage));
  return summary;
}

/** Sets a summary field only when the record had it (module level: no closure per hit). */
function setIf<K extends keyof HitSummary>(summary: HitSummary, key: K, value: HitSummary[K] | undefined): void {
  if (value !== undefined) summary[key] = value;
}
