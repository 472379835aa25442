import { StringDecoder } from 'node:string_decoder';
import { EXACT_INT_FIELDS, fallbackHitId, hitIdOf, type HitRecord } from '../../contract/index.ts';

/**
 * Bytes → records. Livestream sends one JSON record per line, lines separated by CRLF (LF is
 * accepted too); a chunk may hold many records, a record may span chunks and a multi-byte UTF-8
 * character may be split between two chunks. Empty records are skipped; a line that is not a
 * JSON object is reported as malformed and decoding goes on.
 */

export interface DecodedRecord {
  /** The line exactly as received (without its line break). */
  line: string;
  /** Parsed object; 64-bit integers held as decimal strings. */
  record: HitRecord;
  /** `"<hitIdHigh>-<hitIdLow>"` with exact digits, or a stable id derived from the line. */
  hitId: string;
}

export interface DecoderSink {
  record(decoded: DecodedRecord): void;
  malformed(line: string, reason: string): void;
}

/** Longest line we hold while waiting for its end (a runaway line is reported, then dropped). */
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

/**
 * One pass over the line finds both the known 64-bit fields with their digits (groups 1 and 2)
 * and any other number of 16+ digits after `:`, `,` or `[` (no group): a new 64-bit field, or a
 * rare false alarm inside a string, either way the careful path.
 */
const SCAN = /"(hitIdHigh|hitIdLow|visIdHigh|visIdLow|mcVisIdHigh|mcVisIdLow)"\s*:\s*(\d+)|[:,[]\s*-?\d{16}/g;

/**
 * Parses one JSON line keeping every integer that a JS number cannot hold exactly as a decimal
 * string: the line is parsed as it is, then the known 64-bit fields (`hitIdHigh`, `visIdLow`, …)
 * are set to the digits read from the text. Only when another long number appears does a careful
 * scan quote every unsafe integer before parsing.
 */
export function parseExact(line: string): unknown {
  const exact: [string, string][] = [];
  SCAN.lastIndex = 0;
  for (let match = SCAN.exec(line); match !== null; match = SCAN.exec(line)) {
    if (match[1] === undefined) return parseCarefully(line);
    exact.push([match[1], match[2]!]);
  }
  const parsed: unknown = JSON.parse(line);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return parsed;
  const record = parsed as Record<string, unknown>;
  for (const [field, digits] of exact) {
    // A nested field of the same name leaves the top-level one alone; the careful path sorts it out.
    if (typeof record[field] !== 'number') return parseCarefully(line);
    record[field] = digits;
  }
  return record;
}

/** The slow path: every unsafe integer quoted before parsing, the known fields as strings. */
function parseCarefully(line: string): unknown {
  const parsed: unknown = JSON.parse(quoteUnsafeIntegers(line));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return parsed;
  const record = parsed as Record<string, unknown>;
  for (const field of EXACT_INT_FIELDS) {
    const value = record[field];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) record[field] = String(value);
  }
  return record;
}

/** Quotes integer literals outside strings that exceed Number.MAX_SAFE_INTEGER. */
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j]!)) j++;
      const token = text.slice(i, j);
      if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(last, i)}"${token}"`;
        last = j;
      }
      i = j - 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

export class RecordDecoder {
  private readonly text = new StringDecoder('utf8');
  private pending = '';
  private skipping = false;

  constructor(private readonly sink: DecoderSink) {}

  /** Feeds a chunk of decompressed bytes. */
  push(chunk: Buffer): void {
    this.consume(this.text.write(chunk));
  }

  /** The stream ended: a last line without a line break is still a record. */
  end(): void {
    this.consume(this.text.end());
    const rest = this.pending;
    this.pending = '';
    if (!this.skipping) this.line(rest);
    this.skipping = false;
  }

  private consume(text: string): void {
    if (!text) return;
    let newline = text.indexOf('\n');
    if (newline === -1) {
      this.append(text);
      return;
    }
    // The first line completes what an earlier chunk left pending.
    const first = this.pending + text.slice(0, newline);
    this.pending = '';
    if (this.skipping) this.skipping = false;
    else this.line(first);
    let start = newline + 1;
    while ((newline = text.indexOf('\n', start)) !== -1) {
      this.line(text.slice(start, newline));
      start = newline + 1;
    }
    this.append(text.slice(start));
  }

  private append(text: string): void {
    if (this.skipping || !text) return;
    this.pending += text;
    if (this.pending.length > MAX_LINE_CHARS) {
      this.sink.malformed(
        this.pending.slice(0, 200),
        `record longer than ${MAX_LINE_CHARS} characters without a line break`,
      );
      this.pending = '';
      this.skipping = true;
    }
  }

  private line(raw: string): void {
    const line = raw.charCodeAt(raw.length - 1) === 0x0d ? raw.slice(0, -1) : raw;
    if (line.length === 0 || line.trim().length === 0) return;
    let parsed: unknown;
    try {
      parsed = parseExact(line);
    } catch (error) {
      this.sink.malformed(line, error instanceof Error ? error.message : 'not JSON');
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      this.sink.malformed(line, 'not a JSON object');
      return;
    }
    const record = parsed as HitRecord;
    this.sink.record({ line, record, hitId: hitIdOf(record) ?? fallbackHitId(line) });
  }
}
