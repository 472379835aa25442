import { StringDecoder } from 'node:string_decoder';
import { fallbackHitId, hitIdOf, type HitRecord } from '../../contract/index.ts';

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

const KNOWN_BIG_FIELDS = /"(hitIdHigh|hitIdLow|visIdHigh|visIdLow|mcVisIdHigh|mcVisIdLow)"\s*:\s*(\d+)(?=\s*[,}])/g;
/** A 16+ digit number right after `:`, `,` or `[` — outside a string, or a rare false alarm inside one. */
const UNQUOTED_LONG = /[:,[]\s*-?\d{16}/;

/**
 * Parses one JSON line keeping every integer that a JS number cannot hold exactly as a decimal
 * string. Fast path: the known 64-bit fields are quoted by one regex pass, then `JSON.parse`.
 * Only when another run of 16+ digits remains (a new 64-bit field, or digits inside a string)
 * does a careful scan quote unsafe integers outside strings.
 */
export function parseExact(line: string): unknown {
  let text = line.replace(KNOWN_BIG_FIELDS, '"$1":"$2"');
  if (UNQUOTED_LONG.test(text)) text = quoteUnsafeIntegers(text);
  return JSON.parse(text);
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
