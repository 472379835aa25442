import { EXACT_INT_FIELDS } from '../../../../contract/index.ts';

/**
 * Lossless JSON for raw hit records. Livestream writes 64-bit ids (`hitIdHigh`, `visIdLow`, …)
 * as bare numbers beyond 2^53, which `JSON.parse` would round. Here integers that are not safe
 * become `bigint`s with their exact digits; everything else parses as usual.
 */

/** A parsed JSON value in which unsafe integers are bigints. */
export type ExactJson = null | boolean | number | bigint | string | ExactJson[] | { [key: string]: ExactJson };
export type ExactRecord = { [key: string]: ExactJson };

type SourceContext = { source?: string } | undefined;
type SourceReviver = (key: string, value: unknown, context: SourceContext) => unknown;
/** `JSON.parse` with the reviver's third argument (JSON.parse source text access, Chromium ≥ 114). */
const parseWithSource = JSON.parse as (text: string, reviver: SourceReviver) => unknown;

const INTEGER_SOURCE = /^-?\d+$/;

let sourceTextSupported: boolean | undefined;

/** Whether this engine passes `context.source` to `JSON.parse` revivers. */
export function supportsSourceText(): boolean {
  if (sourceTextSupported === undefined) {
    let seen = false;
    try {
      parseWithSource('1', (_key, value, context) => {
        seen = context?.source === '1';
        return value;
      });
    } catch {
      seen = false;
    }
    sourceTextSupported = seen;
  }
  return sourceTextSupported;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * Wraps every integer literal that is not a safe integer in a JSON string starting with
 * `markerText` (already JSON-escaped). Strings are skipped with their escapes, so digits
 * inside them are never touched; fractions and exponents are left alone.
 */
export function quoteUnsafeIntegers(text: string, markerText: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else {
          i++;
          if (d === 34) break;
        }
      }
      continue;
    }
    if (c === 45 /* - */ || isDigit(c)) {
      let j = c === 45 ? i + 1 : i;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      const next = text[j];
      if (next === '.' || next === 'e' || next === 'E') {
        while (j < n && /[\d.eE+-]/.test(text[j]!)) j++;
        i = j;
        continue;
      }
      const literal = text.slice(i, j);
      if (!Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(copied, i)}"${markerText}${literal}"`;
        copied = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Parses JSON text keeping unsafe integers exact (as bigints). Uses the reviver's
 * `context.source` where the engine has it; elsewhere quotes long integer literals first.
 * Throws `SyntaxError` on invalid JSON, like `JSON.parse`.
 */
export function parseExactJson(text: string, options: { useSourceText?: boolean } = {}): ExactJson {
  if (options.useSourceText ?? supportsSourceText()) {
    return parseWithSource(text, (_key, value, context) =>
      typeof value === 'number' &&
      !Number.isSafeInteger(value) &&
      context?.source !== undefined &&
      INTEGER_SOURCE.test(context.source)
        ? BigInt(context.source)
        : value,
    ) as ExactJson;
  }
  // A NUL and a random tag: no string of a real record starts with this.
  const marker = `\u0000exact-${Math.random().toString(36).slice(2)}:`;
  const quoted = quoteUnsafeIntegers(text, JSON.stringify(marker).slice(1, -1));
  return JSON.parse(quoted, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(marker) ? BigInt(value.slice(marker.length)) : value,
  ) as ExactJson;
}

export function isExactRecord(value: ExactJson): value is ExactRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON text, pretty-printed, with bigints written as bare integers (exact digits). */
export function stringifyExact(value: ExactJson, indent = 2): string {
  const write = (v: ExactJson, depth: number): string => {
    if (v === null) return 'null';
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
    if (typeof v !== 'object') return JSON.stringify(v);
    const pad = ' '.repeat(indent * (depth + 1));
    const end = ' '.repeat(indent * depth);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((item) => pad + write(item, depth + 1)).join(',\n')}\n${end}]`;
    }
    const keys = Object.keys(v);
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${pad}${JSON.stringify(k)}: ${write(v[k]!, depth + 1)}`).join(',\n')}\n${end}}`;
  };
  return write(value, 0);
}

/** The record's 64-bit id fields present, with their exact decimal digits, in contract order. */
export function exactIds(record: ExactRecord): Array<[field: string, digits: string]> {
  const ids: Array<[string, string]> = [];
  for (const field of EXACT_INT_FIELDS) {
    const value = record[field];
    if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'string') {
      ids.push([field, String(value)]);
    }
  }
  return ids;
}
