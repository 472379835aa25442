import type { ServerResponse } from 'node:http';
import { stringifyRecord, type HitRecord } from '../contract/index.ts';
import type { ConnectionAttempt } from './attempt-log.ts';
import {
  createHitGenerator,
  createRandom,
  rateAt,
  visitorHash,
  type HitGenerator,
  type Random,
  type RecordStyle,
} from './generator/index.ts';
import { SlotTable, type Grant, type QueuedHit, type Refusal } from './slot-table.ts';
import { StreamWriter, type BodyEncoding } from './stream-writer.ts';

export interface StreamHubOptions {
  now: () => number;
  /** Average hits/s over the whole stream. */
  rate: number;
  seed: number;
  /** Churn window (ms): a connect sooner than this after its slot was released gets 503. */
  churnWindowMs: number;
  /** How long hits for a disconnected slot are kept (ms). */
  backlogMs: number;
  /** Follow the daily rhythm and bursts of `rateAt` (default true); false: a flat `rate`. */
  rhythm?: boolean;
  /** Generation period (ms). Default 50. */
  tickMs?: number;
  /** Share of hits preceded by an empty record. Default 1/150. */
  emptyRecordShare?: number;
  /**
   * Unsent live bytes beyond which a reader that does not keep up is disconnected. Default 16 MiB.
   * The resume backlog a reconnect starts with does not count: it goes out at the reader's pace.
   */
  slowConsumerBytes?: number;
  /** Cap on backlogged hits over all slots (the oldest go first). Default 50,000. */
  backlogMaxHits?: number;
  /** The records' style (device fields, A4T timing); Livestream's 2026 default otherwise. */
  records?: Partial<RecordStyle>;
  /** Quiet nights from the start (see `QuietPlan`). */
  quiet?: QuietPlan;
}

/**
 * A report suite gone quiet: no hit at all (nothing is generated, nothing kept for resume), the
 * connections stay open. For `seconds`, once, or, with `everyS`, the last `seconds` of every
 * `everyS` (a quiet night every period, traffic first). With `keepAliveEveryS`, an empty deflate
 * block goes out on every open stream that often meanwhile (bytes on the socket, nothing after
 * gunzip); without it, not one byte.
 */
export interface QuietPlan {
  seconds: number;
  everyS?: number;
  keepAliveEveryS?: number;
}

/** A quiet plan in force, as `GET /__sim/state` may show it. */
export interface QuietState extends QuietPlan {
  /** When the plan was set (epoch ms, the hub's clock). */
  since: number;
  /** Whether the report suite is silent right now. */
  silent: boolean;
  /** When the current silence ends, or the next one starts (epoch ms); null once a one-off silence is over. */
  nextChangeAt: number | null;
}

export interface OpenStream {
  slot: number;
  since: number;
  port: number;
  attemptId: number;
  hits: number;
  bytes: number;
  stalled: boolean;
  /** Hits waiting for this reader: what is left of its resume backlog, and live hits behind it. */
  queued: number;
}

/** A hit waiting for its connection's writer. */
interface Pending {
  hit: QueuedHit;
  /**
   * `duplicate` and `backlog`: what a reconnect starts with, sent at the reader's pace; `live`:
   * generated since, counted against the slow-consumer bound.
   */
  kind: 'duplicate' | 'backlog' | 'live';
}

interface Connection {
  slot: number;
  port: number;
  since: number;
  attempt: ConnectionAttempt;
  res: ServerResponse;
  writer: StreamWriter<QueuedHit>;
  stallTimer?: NodeJS.Timeout;
  keepAliveTimer?: NodeJS.Timeout;
  /** When the last quiet-night keep-alive went out (hub clock, ms). */
  quietKeepAliveAt: number;
  closing: boolean;
  /** Hits not yet handed to the writer, oldest first (from `head` on). */
  queue: (Pending | undefined)[];
  head: number;
  /** Bytes of the live hits in `queue`. */
  liveBytes: number;
}

/**
 * Bytes a connection may hold between its writer and its socket before the hub stops handing it
 * hits: a resume backlog of tens of MB goes out as fast as the reader takes it, never all at once.
 */
const HIGH_WATER_BYTES = 1024 * 1024;

/** What a queued hit weighs against the slow-consumer bound: its line and CRLF (in UTF-16 units, near enough). */
const liveSize = (hit: QueuedHit) => hit.line.length + 2;

/** Non-JSON lines a broken upstream might emit; the first is replaced by a cut-off record. */
const MALFORMED_TEXT = [
  'Upstream processing delayed, please stand by',
  '<html><body><h1>502 Bad Gateway</h1></body></html>',
  '{"reportSuite":"summitoutfittersprod","pageName":"cart","hitIdHigh":',
  'null,',
];

/**
 * The Livestream side of the simulator: generates the stream's hits at `rateAt(now, rate)`,
 * spreads them over the `maxConnections` slots by visitor, writes them to the open connections,
 * keeps them for disconnected slots, and applies the faults the control API asks for.
 */
export class StreamHub {
  readonly #options: StreamHubOptions;
  readonly #random: Random;
  readonly #generator: HitGenerator;
  /** Source of the cut-off records the malformed fault writes, apart so it does not shift the traffic. */
  readonly #spare: HitGenerator;
  readonly #table: SlotTable;
  readonly #connections = new Map<number, Connection>();
  readonly #ticker: NodeJS.Timeout;
  #lastTick = performance.now();
  #carry = 0;
  #malformedIndex = 0;
  #quiet: (QuietPlan & { since: number }) | undefined;
  rate: number;
  churnWindowMs: number;
  readonly totals = { generated: 0, hits: 0, bytes: 0, connects: 0, refused: 0 };

  constructor(options: StreamHubOptions) {
    this.#options = options;
    this.rate = options.rate;
    this.churnWindowMs = options.churnWindowMs;
    this.#random = createRandom(options.seed ^ 0x5a17c0de);
    this.#generator = createHitGenerator({ seed: options.seed, ...options.records });
    this.#spare = createHitGenerator({ seed: options.seed + 1, ...options.records });
    if (options.quiet) this.quiet(options.quiet);
    this.#table = new SlotTable({
      backlogMs: options.backlogMs,
      random: () => this.#random.next(),
      ...(options.backlogMaxHits !== undefined ? { backlogMaxHits: options.backlogMaxHits } : {}),
    });
    this.#ticker = setInterval(() => this.#tick(), options.tickMs ?? 50);
  }

  get maxConnections(): number {
    return this.#table.size;
  }

  /** The style of the records generated now. */
  get recordStyle(): RecordStyle {
    return this.#generator.style;
  }

  /** Changes the style of the records generated from now on (hits already kept keep theirs). */
  setRecordStyle(style: Partial<RecordStyle>): RecordStyle {
    this.#spare.setStyle(style);
    return this.#generator.setStyle(style);
  }

  /** Makes the report suite quiet (see `QuietPlan`) from now on; `undefined` ends it. */
  quiet(plan: QuietPlan | undefined): QuietState | null {
    if (!plan || !(plan.seconds > 0)) {
      this.#quiet = undefined;
      return null;
    }
    const now = this.#options.now();
    this.#quiet = { ...plan, since: now };
    for (const c of this.#connections.values()) c.quietKeepAliveAt = now;
    return this.quietState();
  }

  /** The quiet plan in force, or null. */
  quietState(): QuietState | null {
    const plan = this.#quiet;
    if (!plan) return null;
    const now = this.#options.now();
    const silenceMs = plan.seconds * 1000;
    const elapsed = now - plan.since;
    if (plan.everyS === undefined || !(plan.everyS * 1000 > silenceMs)) {
      const silent = elapsed < silenceMs;
      return { ...plan, silent, nextChangeAt: silent ? plan.since + silenceMs : null };
    }
    const periodMs = plan.everyS * 1000;
    const phase = elapsed % periodMs;
    const periodStart = now - phase;
    const silent = phase >= periodMs - silenceMs;
    return { ...plan, silent, nextChangeAt: silent ? periodStart + periodMs : periodStart + periodMs - silenceMs };
  }

  #silent(): boolean {
    return this.#quiet !== undefined && (this.quietState()?.silent ?? false);
  }

  /**
   * Serves a stream on `res` if a slot is free for `n` connections; on refusal nothing is
   * written and the caller answers with the refusal's status.
   */
  open(
    res: ServerResponse,
    attempt: ConnectionAttempt,
    request: { n: number; reset?: string; encoding: 'gzip' | 'deflate'; badEncoding: boolean },
  ): Grant | Refusal {
    const now = this.#options.now();
    const grant = this.#table.acquire(request.n, now, this.churnWindowMs, request.reset);
    if (!grant.ok) return grant;
    this.totals.connects += 1;
    const bodyEncoding: BodyEncoding = request.badEncoding ? 'identity' : request.encoding;
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Encoding': request.badEncoding ? 'gzip' : request.encoding,
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache',
      'x-request-id': `sim-${attempt.id}`,
    });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    const connection: Connection = {
      slot: grant.slot,
      port: attempt.port,
      since: now,
      attempt,
      res,
      quietKeepAliveAt: now,
      closing: false,
      queue: [],
      head: 0,
      liveBytes: 0,
      writer: new StreamWriter<QueuedHit>(res, {
        encoding: bodyEncoding,
        random: this.#random,
        onBytes: (count) => {
          attempt.bytes += count;
          this.totals.bytes += count;
        },
        onWritten: (hit) => {
          attempt.hits += 1;
          this.totals.hits += 1;
          this.#table.delivered(grant.slot, hit);
        },
        onFlushed: () => this.#pump(connection),
      }),
    };
    this.#connections.set(grant.slot, connection);
    res.on('close', () => void this.#release(connection, 'client-closed', 'abort'));
    res.on('drain', () => this.#pump(connection));
    // What the slot missed goes out at transfer speed, as fast as the reader takes it (#pump):
    // a fresh reconnect is never a slow consumer for the backlog it starts with.
    for (const hit of grant.duplicates) connection.queue.push({ hit, kind: 'duplicate' });
    for (const hit of grant.backlog) connection.queue.push({ hit, kind: 'backlog' });
    this.#pump(connection);
    return grant;
  }

  refused(): void {
    this.totals.refused += 1;
  }

  /** Destroys the sockets of the open streams (all, or one slot) without a clean end. */
  drop(slot?: number): number[] {
    const targets = this.#targets(slot);
    for (const c of targets) void this.#release(c, 'sim-drop', 'abort');
    return targets.map((c) => c.slot);
  }

  /** Ends the open streams cleanly (last chunk, gzip trailer). */
  async end(slot?: number, reason = 'sim-end'): Promise<number[]> {
    const targets = this.#targets(slot);
    await Promise.all(targets.map((c) => this.#release(c, reason, 'end')));
    return targets.map((c) => c.slot);
  }

  /**
   * Stops sending records on the open streams, for `seconds` or until `resume`. With
   * `keepAliveEveryS`, an empty deflate block goes out that often meanwhile: bytes on the socket,
   * nothing after gunzip (a quiet report suite kept alive).
   */
  stall(slot?: number, seconds?: number, keepAliveEveryS?: number): number[] {
    return this.#targets(slot).map((c) => {
      c.writer.stall();
      this.#clearStallTimers(c);
      if (seconds !== undefined) c.stallTimer = setTimeout(() => this.resume(c.slot), seconds * 1000);
      if (keepAliveEveryS !== undefined) {
        c.keepAliveTimer = setInterval(() => c.writer.keepAlive(), keepAliveEveryS * 1000);
      }
      return c.slot;
    });
  }

  resume(slot?: number): number[] {
    return this.#targets(slot).map((c) => {
      this.#clearStallTimers(c);
      c.writer.resume();
      return c.slot;
    });
  }

  #clearStallTimers(c: Connection): void {
    if (c.stallTimer) clearTimeout(c.stallTimer);
    if (c.keepAliveTimer) clearInterval(c.keepAliveTimer);
    c.stallTimer = undefined;
    c.keepAliveTimer = undefined;
  }

  /** Writes `count` lines that are not JSON records into the open streams. */
  writeMalformed(count: number, slot?: number): number {
    let written = 0;
    for (const c of this.#targets(slot)) {
      for (let i = 0; i < count; i++) {
        const index = this.#malformedIndex++ % (MALFORMED_TEXT.length + 1);
        const line =
          index === 0
            ? stringifyRecord(this.#spare.next(this.#options.now())).slice(0, 180)
            : (MALFORMED_TEXT[index - 1] as string);
        c.writer.push(`${line}\r\n`);
        written += 1;
      }
    }
    return written;
  }

  /** Writes `count` empty records (a bare CRLF) into the open streams. */
  writeEmpty(count: number, slot?: number): number {
    let written = 0;
    for (const c of this.#targets(slot)) {
      for (let i = 0; i < count; i++) c.writer.push('\r\n');
      written += count;
    }
    return written;
  }

  /** Sends the last `count` delivered hits again on their slots. */
  replay(count: number): number {
    let replayed = 0;
    for (const { slot, hit } of this.#table.lastDelivered(count)) {
      const c = this.#connections.get(slot);
      if (c && !c.closing) {
        this.#deliver(c, hit, false);
        replayed += 1;
      }
    }
    return replayed;
  }

  /**
   * Writes a given record (64-bit fields as decimal strings) or a raw line, on `slot` or on the
   * record's visitor slot; queued for resume when that slot is not connected.
   */
  inject(input: { record?: HitRecord; line?: string; slot?: number }): { slot: number; written: boolean } {
    const hit: QueuedHit = {
      line: input.line ?? stringifyRecord(input.record ?? {}),
      hash: input.record ? visitorHash(input.record) : 0,
      at: this.#options.now(),
    };
    const slot = input.slot ?? this.#table.slotOf(hit);
    const c = this.#connections.get(slot);
    if (c && !c.closing) {
      this.#deliver(c, hit, false);
      return { slot, written: true };
    }
    this.#table.enqueue(slot, hit);
    return { slot, written: false };
  }

  /** Forgets what the disconnected slots missed: their next connect resumes with nothing. Returns the hits dropped. */
  clearBacklogs(): number {
    return this.#table.clearBacklogs();
  }

  /** Makes the next connect of every slot possible at once (no churn history). */
  forgetReleases(): void {
    this.#table.forgetReleases();
  }

  openStreams(): OpenStream[] {
    return [...this.#connections.values()]
      .sort((a, b) => a.slot - b.slot)
      .map((c) => ({
        slot: c.slot,
        since: c.since,
        port: c.port,
        attemptId: c.attempt.id,
        hits: c.attempt.hits,
        bytes: c.attempt.bytes,
        stalled: c.writer.stalled,
        queued: c.queue.length - c.head,
      }));
  }

  backlogSizes(): number[] {
    return this.#table.backlogSizes();
  }

  /** Stops generating and ends every stream cleanly (destroyed after `graceMs`). */
  async close(graceMs = 1000): Promise<void> {
    clearInterval(this.#ticker);
    const ending = this.end(undefined, 'shutdown');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([ending, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  #targets(slot?: number): Connection[] {
    return [...this.#connections.values()].filter((c) => !c.closing && (slot === undefined || c.slot === slot));
  }

  #deliver(c: Connection, hit: QueuedHit, mayAddEmpty = true): void {
    if (mayAddEmpty && this.#random.chance(this.#options.emptyRecordShare ?? 1 / 150)) c.writer.push('\r\n');
    c.writer.push(`${hit.line}\r\n`, hit);
  }

  /** A live hit for an open connection: behind what it still has to catch up on. */
  #offer(c: Connection, hit: QueuedHit): void {
    c.queue.push({ hit, kind: 'live' });
    c.liveBytes += liveSize(hit);
  }

  /** Hands queued hits to the writer while the bytes between it and the socket stay under the high-water mark. */
  #pump(c: Connection): void {
    if (c.closing) return;
    while (c.head < c.queue.length && c.writer.bufferedBytes + c.res.writableLength < HIGH_WATER_BYTES) {
      const next = c.queue[c.head] as Pending;
      c.queue[c.head++] = undefined;
      if (next.kind === 'live') c.liveBytes -= liveSize(next.hit);
      this.#deliver(c, next.hit);
    }
    if (c.head === c.queue.length) {
      c.queue = [];
      c.head = 0;
    } else if (c.head > 4096 && c.head * 2 > c.queue.length) {
      c.queue = c.queue.slice(c.head);
      c.head = 0;
    }
  }

  /** The hits still queued for a connection that closes, duplicates excepted (the slot delivered them). */
  #takeQueued(c: Connection): QueuedHit[] {
    const left: QueuedHit[] = [];
    for (let i = c.head; i < c.queue.length; i++) {
      const item = c.queue[i] as Pending;
      if (item.kind !== 'duplicate') left.push(item.hit);
    }
    c.queue = [];
    c.head = 0;
    c.liveBytes = 0;
    return left;
  }

  #release(c: Connection, reason: string, mode: 'abort' | 'end'): Promise<void> {
    if (c.closing) return Promise.resolve();
    c.closing = true;
    this.#clearStallTimers(c);
    this.#connections.delete(c.slot);
    const now = this.#options.now();
    c.attempt.closedAt = now;
    c.attempt.closeReason = reason;
    if (mode === 'end') {
      this.#table.release(c.slot, now, this.#takeQueued(c));
      return c.writer.end();
    }
    const unsent = c.writer.abort();
    this.#table.release(c.slot, now, [...unsent, ...this.#takeQueued(c)]);
    c.res.socket?.destroy();
    c.res.destroy();
    return Promise.resolve();
  }

  /** During a quiet night, the keep-alive flushes the plan asks for. */
  #quietKeepAlive(now: number): void {
    const everyS = this.#quiet?.keepAliveEveryS;
    if (everyS === undefined) return;
    for (const c of this.#targets()) {
      if (c.writer.stalled || now - c.quietKeepAliveAt < everyS * 1000) continue;
      c.quietKeepAliveAt = now;
      c.writer.keepAlive();
    }
  }

  #tick(): void {
    const real = performance.now();
    const elapsed = Math.min(1000, Math.max(0, real - this.#lastTick));
    this.#lastTick = real;
    const now = this.#options.now();
    const silent = this.#silent();
    if (silent) this.#quietKeepAlive(now);
    if (silent || !this.#table.tracking || !(this.rate > 0)) {
      this.#carry = 0;
      for (const c of this.#targets()) this.#pump(c);
      return;
    }
    const perSecond = this.#options.rhythm === false ? this.rate : rateAt(now, this.rate);
    this.#carry += (perSecond * elapsed) / 1000;
    const count = Math.floor(this.#carry);
    this.#carry -= count;
    for (let i = 0; i < count; i++) {
      const record = this.#generator.next(now);
      const hit: QueuedHit = { line: stringifyRecord(record), hash: visitorHash(record), at: now };
      this.totals.generated += 1;
      const slot = this.#table.slotOf(hit);
      const c = this.#connections.get(slot);
      if (c && !c.closing) this.#offer(c, hit);
      else this.#table.enqueue(slot, hit);
    }
    this.#table.trim(now);
    // A slow consumer falls behind the live stream: its unsent live bytes pass the bound. What a
    // reconnect started with (duplicates, backlog) never counts: it waits in the queue, and what
    // the writer and the socket hold up to the high-water mark is the pace of any reader. Beyond
    // that mark they hold only what faults wrote past the queue (a huge record, a replay).
    const limit = this.#options.slowConsumerBytes ?? 16 * 1024 * 1024;
    for (const c of this.#targets()) {
      this.#pump(c);
      if (c.writer.stalled) continue;
      const overflow = Math.max(0, c.res.writableLength + c.writer.pendingBytes - HIGH_WATER_BYTES);
      if (c.liveBytes + overflow > limit) void this.#release(c, 'slow-consumer', 'abort');
    }
  }
}
