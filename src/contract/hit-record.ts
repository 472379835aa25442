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
const ALL_DIGITS = /^\d+$/;

/**
 * An id half as canonical decimal digits (no leading zero, at most 20 digits: an unsigned 64-bit
 * integer), or undefined. `"00001"`, `"1"` and `1` are the same number, so the same id.
 */
export function canonicalDigits(v: unknown): string | undefined {
  if (typeof v === 'string') {
    // The common case first: digits from the wire (JSON numbers cannot have leading zeros).
    if (v.charCodeAt(0) !== 0x30 || v.length === 1) return DIGITS.test(v) ? v : undefined;
    if (!ALL_DIGITS.test(v)) return undefined;
    let zeros = 1;
    while (zeros < v.length - 1 && v.charCodeAt(zeros) === 0x30) zeros++;
    return v.length - zeros <= 20 ? v.slice(zeros) : undefined;
  }
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : undefined;
}

/** What marks a 64-bit field's placeholder (a NUL, which JSON writes as `\u0000`). */
const EXACT_MARK = '\u0000exact:';
const EXACT_TOKEN = /"\\u0000exact:(\w+)"/g;

/**
 * One NDJSON line (without line break) for a record: JSON, except that the 64-bit fields, held
 * as decimal strings, are written as bare numbers with their exact digits, as Livestream does.
 */
export function stringifyRecord(record: HitRecord): string {
  let exact: Map<string, string> | undefined;
  const copy: HitRecord = { ...record };
  for (const field of EXACT_INT_FIELDS) {
    const value = copy[field];
    const digits =
      typeof value === 'string' ? canonicalDigits(value) : typeof value === 'bigint' ? value.toString() : undefined;
    if (digits !== undefined) {
      // A placeholder JSON.stringify leaves alone, swapped for the bare digits afterwards.
      (exact ??= new Map()).set(field, digits);
      copy[field] = `${EXACT_MARK}${field}`;
    }
  }
  const line = JSON.stringify(copy);
  // One pass over the line for every placeholder.
  return exact ? line.replace(EXACT_TOKEN, (token, field: string) => exact.get(field) ?? token) : line;
}
