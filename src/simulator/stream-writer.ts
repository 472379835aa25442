import type { Writable } from 'node:stream';
import { constants, createDeflate, createGzip, type Deflate, type Gzip } from 'node:zlib';
import type { Random } from './generator/index.ts';

/** How the body is encoded; `identity` under a gzip header is the "bad encoding" fault. */
export type BodyEncoding = 'gzip' | 'deflate' | 'identity';

export interface StreamWriterOptions<T> {
  encoding: BodyEncoding;
  random: Random;
  /** Shortest and longest pause between flushes (ms). Defaults 5 and 40. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Bytes that went to the response (after compression). */
  onBytes?: (count: number) => void;
  /** An item pushed with `push(text, item)` whose last byte has gone to the response. */
  onWritten?: (item: T) => void;
  /** Everything pushed so far has gone out (through the compressor, if any): room for more. */
  onFlushed?: () => void;
}

/**
 * A non-final deflate stored block of length 0: bytes on the wire that decompress to nothing, the
 * way a server keeps a quiet compressed stream alive (zlib itself emits nothing for a flush with
 * no new input).
 */
export const EMPTY_STORED_BLOCK: Readonly<Buffer> = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/** Longest tail kept back by one flush, so boundaries fall anywhere in a record. */
const MAX_TAIL = 700;

/**
 * Where to cut `pending` for the next flush: anywhere (often mid-record), and about one time
 * in three right after the lead byte of a multi-byte UTF-8 character, splitting it.
 */
export function chooseCut(pending: Uint8Array, random: Random): number {
  const length = pending.length;
  if (length <= 1) return length;
  if (random.chance(0.35)) {
    const start = random.int(0, length - 2);
    for (let i = start; i < length - 1; i++) if ((pending[i] as number) >= 0xc0) return i + 1;
  }
  return length - random.int(0, Math.min(length - 1, MAX_TAIL));
}

/**
 * Writes text lines as one compressed HTTP body the way Livestream's looks on the wire: the
 * bytes are compressed and flushed (`Z_SYNC_FLUSH`) at uneven, random points, every few ms,
 * so one chunk holds several records and a record (or a UTF-8 character) spans chunks. Sends
 * nothing while nothing is pushed. Items tagged on `push` are reported once fully written, and
 * those still pending are handed back by `abort()` so a dropped connection loses no hit.
 */
export class StreamWriter<T> {
  readonly #out: Writable;
  readonly #options: StreamWriterOptions<T>;
  readonly #compressor: Gzip | Deflate | undefined;
  #chunks: Buffer[] = [];
  #pendingLength = 0;
  /** Tagged items with the pending-byte offset their text ends at. */
  #marks: { end: number; item: T }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #fresh = false;
  #stalled = false;
  #done = false;
  /** Flushes handed to the compressor whose output has not all come out yet. */
  #flushing = 0;

  constructor(out: Writable, options: StreamWriterOptions<T>) {
    this.#out = out;
    this.#options = options;
    if (options.encoding !== 'identity') {
      const compressor = options.encoding === 'gzip' ? createGzip() : createDeflate();
      compressor.on('data', (chunk: Buffer) => this.#send(chunk));
      compressor.on('error', () => undefined);
      this.#compressor = compressor;
    }
  }

  /** Bytes pushed but not yet flushed. */
  get pendingBytes(): number {
    return this.#pendingLength;
  }

  /** Bytes pushed that have not come out yet: not flushed, or still inside the compressor. */
  get bufferedBytes(): number {
    return this.#pendingLength + (this.#compressor ? this.#compressor.writableLength : 0);
  }

  get stalled(): boolean {
    return this.#stalled;
  }

  push(text: string, item?: T): void {
    if (this.#done) return;
    const bytes = Buffer.from(text, 'utf8');
    this.#chunks.push(bytes);
    this.#pendingLength += bytes.length;
    if (item !== undefined) this.#marks.push({ end: this.#pendingLength, item });
    this.#fresh = true;
    this.#schedule();
  }

  /** Stops sending any byte until `resume()`; what is pushed meanwhile waits. */
  stall(): void {
    this.#stalled = true;
    this.#clearTimer();
  }

  resume(): void {
    if (!this.#stalled) return;
    this.#stalled = false;
    this.#schedule();
  }

  /**
   * Sends an empty deflate block (compressed bodies only), at a block boundary: only when every
   * flush has come out of the compressor. Returns whether it was sent.
   */
  keepAlive(): boolean {
    const compressor = this.#compressor;
    if (!compressor || this.#done || this.#flushing > 0 || compressor.readableLength > 0) return false;
    this.#send(Buffer.from(EMPTY_STORED_BLOCK));
    return true;
  }

  /** Flushes everything, finishes the compressed stream and ends the response cleanly. */
  end(): Promise<void> {
    if (this.#done) return Promise.resolve();
    this.#clearTimer();
    this.#flush(this.#pendingLength);
    this.#done = true;
    return new Promise<void>((resolve) => {
      // A peer that goes away mid-end never lets `end` complete.
      this.#out.once('close', () => resolve());
      const finish = () => {
        if (this.#out.destroyed || this.#out.writableEnded) resolve();
        else this.#out.end(() => resolve());
      };
      if (this.#compressor) {
        this.#compressor.once('end', finish);
        this.#compressor.end();
      } else {
        finish();
      }
    });
  }

  /** Stops at once (the caller destroys the socket) and returns the items not fully written. */
  abort(): T[] {
    this.#clearTimer();
    this.#done = true;
    this.#compressor?.destroy();
    const left = this.#marks.map((mark) => mark.item);
    this.#marks = [];
    this.#chunks = [];
    this.#pendingLength = 0;
    return left;
  }

  #schedule(): void {
    if (this.#timer || this.#stalled || this.#done || this.#pendingLength === 0) return;
    const min = this.#options.minDelayMs ?? 5;
    const max = Math.max(min, this.#options.maxDelayMs ?? 40);
    this.#timer = setTimeout(() => this.#tick(), this.#options.random.int(min, max));
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#stalled || this.#done || this.#pendingLength === 0) return;
    const pending = this.#pending();
    // Nothing new since the last flush: send the tail rather than hold it back indefinitely.
    const cut = this.#fresh ? chooseCut(pending, this.#options.random) : pending.length;
    this.#fresh = false;
    this.#flush(cut);
    this.#schedule();
  }

  #pending(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0] ?? Buffer.alloc(0);
  }

  /** Sends the first `cut` pending bytes as one to three flushed pieces. */
  #flush(cut: number): void {
    if (cut <= 0) return;
    const pending = this.#pending();
    const head = pending.subarray(0, cut);
    const rest = pending.subarray(cut);
    this.#chunks = rest.length ? [Buffer.from(rest)] : [];
    this.#pendingLength = rest.length;
    const pieces = Math.min(head.length, this.#options.random.int(1, 3));
    let from = 0;
    for (let i = 1; i <= pieces; i++) {
      const to = i === pieces ? head.length : this.#options.random.int(from + 1, head.length - (pieces - i));
      const piece = head.subarray(from, to);
      from = to;
      if (this.#compressor) {
        this.#compressor.write(piece);
        this.#flushing++;
        this.#compressor.flush(constants.Z_SYNC_FLUSH, () => {
          if (--this.#flushing === 0 && !this.#done) this.#options.onFlushed?.();
        });
      } else {
        this.#send(Buffer.from(piece));
      }
    }
    let written = 0;
    while (written < this.#marks.length && (this.#marks[written] as { end: number }).end <= cut) written++;
    const done = this.#marks.splice(0, written);
    for (const mark of this.#marks) mark.end -= cut;
    for (const mark of done) this.#options.onWritten?.(mark.item);
    if (!this.#compressor && !this.#done) this.#options.onFlushed?.();
  }

  #send(chunk: Buffer): void {
    if (this.#out.destroyed || this.#out.writableEnded) return;
    this.#options.onBytes?.(chunk.length);
    this.#out.write(chunk);
  }
}
