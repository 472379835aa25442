import { EXACT_INT_FIELDS, type HitRecord } from '../../contract/index.ts';
import { fallbackHitId, hitIdOf } from './summary.ts';
import { copyBytes, portableBytes, type ByteOps } from '../bytes.ts';

/**
 * Bytes → records. Livestream sends one JSON record per line, lines separated by CRLF (LF is
 * accepted too); a chunk may hold many records, a record may span chunks and a multi-byte UTF-8
 * character may be split between two chunks. Lines are cut at the byte level (a line break is
 * one byte that never occurs inside a UTF-8 character), so a split character is whole again by
 * the time its line is decoded. Empty records are skipped; a line that is not a JSON object, or
 * longer than `MAX_RECORD_BYTES`, is reported as malformed and decoding goes on. V8's
 * `JSON.parse` is iterative: a record nested 100,000 deep decodes like any other.
 */

export interface DecodedRecord {
  /** The line exactly as received (without its line break). */
  line: string;
  /**
   * The line's UTF-8 bytes are `bytes[start, end)`: the decompressed chunk or the decoder's own
   * buffer, valid only during the `record` call (copy what must be kept).
   */
  bytes: Uint8Array;
  start: number;
  end: number;
  /**
   * Parsed object. `hitIdHigh`/`hitIdLow` are exact (as digit strings where a number would
   * have been rounded); other 64-bit fields may have lost digits (`parseExact(line)` gives an
   * object exact throughout).
   */
  record: HitRecord;
  /** `"<hitIdHigh>-<hitIdLow>"` with exact digits, or a stable id derived from the line. */
  hitId: string;
}

export interface DecoderSink {
  record(decoded: DecodedRecord): void;
  malformed(line: string, reason: string): void;
}

/**
 * Longest record accepted: 256 KiB, the bytes of its line before the LF (a CR included). Real
 * Livestream records are a few KB, tens of KB with long `products` or `tnt` lists; a longer line
 * is reported as `malformed_record` and dropped, and the decoder never holds more than this for
 * one line, whatever arrives.
 */
export const MAX_RECORD_BYTES = 256 * 1024;

/** The id fields whose exact digits the hot path reads from the text, in the order Livestream writes them. */
const ID_KEYS = [
  ['hitIdHigh', 'hitIdHigh"'],
  ['hitIdLow', 'hitIdLow"'],
] as const;

/**
 * The hot path's parse: `JSON.parse`, then, for `hitIdHigh` and `hitIdLow` only when a value is
 * an integer beyond 2^53 (`JSON.parse` rounded it), the exact digits read from the text. The
 * digits found must round to the value parsed, or the careful `parseExact` (exact for every
 * field, but a scan of the whole line first) decides. Each search starts where the previous key
 * was found. Other 64-bit fields (`visIdHigh`, …) may lose digits here: nothing on the hot path
 * reads them, and the line is kept as received.
 */
export function parseHitLine(line: string): unknown {
  const parsed: unknown = JSON.parse(line);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return parsed;
  const record = parsed as Record<string, unknown>;
  let from = 0;
  for (const [field, key] of ID_KEYS) {
    const value = record[field];
    if (typeof value !== 'number' || Number.isSafeInteger(value) || !Number.isInteger(value) || value < 0) continue;
    // Searching from the key's first letter is faster than from its frequent opening quote.
    let at = line.indexOf(key, from);
    if (at === -1 && from > 0) at = line.indexOf(key);
    const digits = at > 0 && line.charCodeAt(at - 1) === 0x22 ? digitsAfterKey(line, at + key.length) : undefined;
    if (digits === undefined || Number(digits) !== value) return parseExact(line);
    record[field] = digits;
    from = at;
  }
  return record;
}

/** The digits of `: 123…` starting at `i`, or undefined. */
function digitsAfterKey(line: string, i: number): string | undefined {
  while (isSpace(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== 0x3a) return undefined;
  i++;
  while (isSpace(line.charCodeAt(i))) i++;
  const start = i;
  while (isDigit(line.charCodeAt(i))) i++;
  // `1.5e19` or `12….0` is no integer literal: the careful path decides.
  const next = line.charCodeAt(i);
  if (next === 0x2e || next === 0x65 || next === 0x45) return undefined;
  return i > start && i - start <= 20 ? line.slice(start, i) : undefined;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * One pass over the line finds both the known 64-bit fields with their digits (groups 1 and 2)
 * and any other number of 16+ digits after `:`, `,` or `[` (no group): a new 64-bit field, or a
 * rare false alarm inside a string, either way the careful path. Digits followed by `.` or an
 * exponent are not an integer's: `1.5e19` must not read as `1`.
 */
const SCAN =
  /"(hitIdHigh|hitIdLow|visIdHigh|visIdLow|mcVisIdHigh|mcVisIdLow)"\s*:\s*(\d+)(?![\d.eE])|[:,[]\s*-?\d{16}/g;

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

export interface RecordDecoderOptions {
  /** Longest record accepted, in bytes. Default `MAX_RECORD_BYTES`. */
  maxRecordBytes?: number;
  /** The host's byte operations. Default `portableBytes`. */
  bytes?: ByteOps;
}

/** Bytes of a malformed line kept as its sample (the log keeps 200 characters of it). */
const SAMPLE_BYTES = 256;

export class RecordDecoder {
  private readonly maxRecordBytes: number;
  private readonly ops: ByteOps;
  /**
   * The unfinished line's bytes, copied out of the chunks they came in (a reference would keep
   * each whole chunk alive): `held` bytes of it are in use, never more than `maxRecordBytes`.
   */
  private pending: Uint8Array = EMPTY;
  private held = 0;
  /** A line already reported as too long: its bytes are dropped until its line break. */
  private skipping = false;

  constructor(
    private readonly sink: DecoderSink,
    options: RecordDecoderOptions = {},
  ) {
    this.maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
    this.ops = options.bytes ?? portableBytes;
  }

  /** Bytes held for a line whose end has not arrived yet: at most `maxRecordBytes`. */
  get pendingBytes(): number {
    return this.held;
  }

  /** Bytes allocated for the unfinished line: at most `maxRecordBytes`. */
  get pendingCapacity(): number {
    return this.pending.length;
  }

  /**
   * Feeds a chunk of decompressed bytes. Nothing refers to the chunk once this returns, so the
   * caller may reuse it; a record's `bytes` are valid only during the sink's `record` call.
   */
  push(chunk: Uint8Array): void {
    const { ops } = this;
    let newline = ops.indexOf(chunk, 0x0a, 0);
    if (newline === -1) {
      this.hold(chunk, 0, chunk.length);
      return;
    }
    // The first line completes what an earlier chunk left pending.
    if (this.skipping) this.skipping = false;
    else if (this.held > 0) {
      if (this.held + newline > this.maxRecordBytes) this.tooLong(chunk, 0, newline);
      else {
        this.copyIn(chunk, 0, newline);
        this.line(this.pending, 0, this.held);
      }
    } else this.line(chunk, 0, newline);
    this.held = 0;
    let start = newline + 1;
    while ((newline = ops.indexOf(chunk, 0x0a, start)) !== -1) {
      this.line(chunk, start, newline);
      start = newline + 1;
    }
    this.hold(chunk, start, chunk.length);
  }

  /** The stream ended: a last line without a line break is still a record. */
  end(): void {
    const { held, skipping } = this;
    this.held = 0;
    this.skipping = false;
    if (!skipping && held > 0) this.line(this.pending, 0, held);
    this.pending = EMPTY;
  }

  /** Keeps `chunk[from, to)`, the start of a line that has not ended, or reports it too long. */
  private hold(chunk: Uint8Array, from: number, to: number): void {
    if (this.skipping || to === from) return;
    if (this.held + to - from > this.maxRecordBytes) {
      this.tooLong(chunk, from, to);
      this.held = 0;
      this.skipping = true;
      return;
    }
    this.copyIn(chunk, from, to);
  }

  private copyIn(chunk: Uint8Array, from: number, to: number): void {
    const need = this.held + to - from;
    if (need > this.pending.length) {
      // Grows by doubling up to the limit: a line spread over many small chunks is copied O(n).
      const grown = new Uint8Array(Math.min(this.maxRecordBytes, Math.max(need, 2 * this.pending.length, 4096)));
      copyBytes(this.pending, grown, 0, 0, this.held);
      this.pending = grown;
    }
    copyBytes(chunk, this.pending, this.held, from, to);
    this.held = need;
  }

  /** Reports the line made of what is held plus `chunk[from, to)` as too long, with a sample. */
  private tooLong(chunk: Uint8Array, from: number, to: number): void {
    const head = Math.min(this.held, SAMPLE_BYTES);
    const tail = Math.min(to, from + SAMPLE_BYTES - head);
    const joined = new Uint8Array(head + tail - from);
    copyBytes(this.pending, joined, 0, 0, head);
    copyBytes(chunk, joined, head, from, tail);
    const sample = this.ops.utf8(joined, 0, joined.length);
    this.sink.malformed(sample, `record longer than ${this.maxRecordBytes} bytes`);
  }

  private line(bytes: Uint8Array, start: number, end: number): void {
    if (end - start > this.maxRecordBytes) {
      this.sink.malformed(
        this.ops.utf8(bytes, start, start + SAMPLE_BYTES),
        `record longer than ${this.maxRecordBytes} bytes`,
      );
      return;
    }
    if (end > start && bytes[end - 1] === 0x0d) end--;
    if (end === start) return;
    const line = this.ops.utf8(bytes, start, end);
    if (line.trim().length === 0) return;
    let parsed: unknown;
    try {
      parsed = parseHitLine(line);
    } catch (error) {
      this.sink.malformed(line, error instanceof Error ? error.message : 'not JSON');
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      this.sink.malformed(line, 'not a JSON object');
      return;
    }
    const record = parsed as HitRecord;
    this.sink.record({ line, bytes, start, end, record, hitId: hitIdOf(record) ?? fallbackHitId(line) });
  }
}

const EMPTY = new Uint8Array(0);
