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
