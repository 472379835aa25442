import { formatEventId, parseEventId, type SseEventName } from '../../contract/index.ts';
import type { Clock, TimerHandle } from '../../core/clock.ts';
import type { FeedBatch } from '../../core/hub/feed.ts';
import { ReplayBuffer, type ReplayBufferOptions } from './replay-buffer.ts';

/**
 * Fans events out to every browser without ever waiting for one, through sinks: the Node host
 * adapts a `ServerResponse` (src/relay/sse/response-sink.ts), the mock host a `ReadableStream`. Each event is serialized once
 * and the same bytes are written to every subscriber. A subscriber's socket is handed at most
 * `writeAheadBytes` ahead of what it has sent; the rest waits in the subscriber's own queue of
 * references to those shared bytes. A subscriber whose live backlog (queued and unsent bytes, its replay
 * excepted) passes `maxUnsentBytes`, or that stays blocked for `maxBlockedMs`, is disconnected
 * and counted; it comes back with `Last-Event-ID`. A replay of any size is sent at the reader's
 * pace, so a browser far behind is never evicted by its own catch-up. One shared timer writes the
 * heartbeat comment.
 */

export interface BroadcasterOptions {
  clock: Clock;
  /** Names this relay run; hit event ids are `<runId>.<seq>`. */
  runId: string;
  /** Heartbeat comment interval (≤ 15 s). Default 15 s. */
  heartbeatMs?: number;
  /** Live bytes a subscriber may have waiting before it is dropped. Default 4 MiB. */
  maxUnsentBytes?: number;
  /** How long a subscriber may stay blocked (writes not draining). Default 15 s. */
  maxBlockedMs?: number;
  /** Base `retry:` hint in ms; each subscriber gets it plus up to 100 % jitter. Default 2 s. */
  retryMs?: number;
  /** A `hits` event larger than this is split in two at a hit, and so on. Default 256 KiB. */
  maxEventBytes?: number;
  /**
   * Bytes handed to a subscriber's socket ahead of what it has sent; more waits in the hub's own
   * queue. Default 256 KiB: a healthy reader's socket is always fed, a replay goes at its pace.
   */
  writeAheadBytes?: number;
  replay?: ReplayBufferOptions;
  onEvict?(): void;
}

/** Where one subscriber's bytes go: a host's adapter over its transport. */
export interface SubscriberSink {
  /** Hands bytes to the transport (never waits). */
  write(bytes: Uint8Array): void;
  /** Bytes handed to the transport and not yet sent. */
  readonly unsent: number;
  /** True while the transport asks to wait (it calls the subscription's `drain` when it may go on). */
  readonly blocked: boolean;
  /** True once the transport is gone. */
  readonly closed: boolean;
  /** Cuts the connection (a subscriber too slow to keep). */
  destroy(): void;
  /** Ends the stream cleanly (shutdown). */
  end(): void;
}

/** What the host tells the broadcaster about one subscriber. */
export interface Subscription {
  /** The transport may take more (Node's `drain`). */
  drain(): void;
  /** The transport closed or failed. */
  close(): void;
}

interface Subscriber {
  res: SubscriberSink;
  blockedSince: number | undefined;
  /** Frames the socket could not take yet, oldest first, from `head` on. */
  queue: (Uint8Array | undefined)[];
  head: number;
  queuedBytes: number;
  /** Bytes of the replay still queued (the replay comes first): exempt from `maxUnsentBytes`. */
  replayBytes: number;
}

/** The stream's headers (the contract's: never compressed, never buffered by a proxy). */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
} as const;

const encoder = new TextEncoder();

/** One SSE frame. JSON.stringify never writes a raw line break, so `data` is one line. */
export function frame(event: SseEventName, data: unknown, id?: string): Uint8Array {
  return encoder.encode(`event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
}

const HEARTBEAT = encoder.encode(': keep-alive\n\n');
const textDecoder = new TextDecoder();

/**
 * A `hits` event without its hits up to `afterSeq`, same id: for a browser that comes from
 * another relay on the same stream (`REDIS_URL`), whose events were cut at other seqs. Runs once
 * per such subscription.
 */
function trimHits(bytes: Uint8Array, afterSeq: number): Uint8Array {
  const text = textDecoder.decode(bytes);
  const id = /^id: (.*)$/m.exec(text)?.[1];
  const data = /^data: (.*)$/m.exec(text)?.[1];
  if (data === undefined) return bytes;
  const body = JSON.parse(data) as { hits: { seq: number }[] };
  return frame('hits', { ...body, hits: body.hits.filter((hit) => hit.seq > afterSeq) }, id);
}

export class Broadcaster {
  private readonly subscribers = new Set<Subscriber>();
  private readonly replay: ReplayBuffer;
  private readonly heartbeatMs: number;
  private readonly maxUnsentBytes: number;
  private readonly maxBlockedMs: number;
  private readonly retryMs: number;
  private readonly maxEventBytes: number;
  private readonly writeAheadBytes: number;
  private timer: TimerHandle | undefined;
  private lastHeartbeat: number;
  private closed = false;
  /** Subscribers dropped for being too slow. */
  evicted = 0;
  /** True once `close()` ran: a new subscriber is refused (the host answers 503). */
  get isClosed(): boolean {
    return this.closed;
  }
  /** The seq of the newest hit published. */
  seq = 0;

  constructor(private readonly options: BroadcasterOptions) {
    this.replay = new ReplayBuffer(options.replay);
    this.heartbeatMs = Math.min(options.heartbeatMs ?? 15_000, 15_000);
    this.maxUnsentBytes = options.maxUnsentBytes ?? 4 * 1024 * 1024;
    this.maxBlockedMs = options.maxBlockedMs ?? 15_000;
    this.retryMs = options.retryMs ?? 2_000;
    this.maxEventBytes = options.maxEventBytes ?? 256 * 1024;
    this.writeAheadBytes = options.writeAheadBytes ?? 256 * 1024;
    this.lastHeartbeat = options.clock.now();
    this.schedule();
  }

  get clients(): number {
    return this.subscribers.size;
  }

  get bufferStats(): { events: number; bytes: number; hits: number } {
    return this.replay.stats;
  }

  /** The id a browser should resume from: names this run and the newest hit seq. */
  currentId(): string {
    return formatEventId(this.options.runId, this.seq);
  }

  /**
   * A new subscriber (the host has sent the stream's headers): `retry:`, the `hello` event, then
   * whatever `lastEventId` missed (or one `reset`), then live events. All synchronous, so
   * nothing published meanwhile is lost or doubled. Call only while not `isClosed`.
   */
  subscribe(
    sink: SubscriberSink,
    lastEventId: string | undefined,
    hello: (lastEventId: string | null) => unknown,
  ): Subscription {
    const subscriber: Subscriber = {
      res: sink,
      blockedSince: undefined,
      queue: [],
      head: 0,
      queuedBytes: 0,
      replayBytes: 0,
    };
    // Counted before `hello` is written, so the status it carries includes this browser.
    this.subscribers.add(subscriber);
    const jitter = Math.floor(Math.random() * this.retryMs);
    sink.write(encoder.encode(`retry: ${this.retryMs + jitter}\n\n`));
    sink.write(frame('hello', hello(lastEventId ?? null)));
    if (lastEventId) {
      const parsed = parseEventId(lastEventId);
      if (!parsed || parsed.runId !== this.options.runId) {
        sink.write(frame('reset', { reason: 'other-run' }));
      } else {
        const answer = this.replay.since(parsed.seq, this.seq);
        if (answer.kind === 'too-old') sink.write(frame('reset', { reason: 'too-old', missed: answer.missed }));
        else {
          // Queued, not written: the transport takes them at the reader's pace.
          if (answer.firstStraddles) answer.events[0] = trimHits(answer.events[0]!, parsed.seq);
          for (const bytes of answer.events) this.enqueue(subscriber, bytes);
          subscriber.replayBytes = subscriber.queuedBytes;
        }
      }
    }
    this.pump(subscriber);
    this.check(subscriber, this.options.clock.now());
    return {
      drain: () => {
        subscriber.blockedSince = undefined;
        this.pump(subscriber);
      },
      close: () => {
        this.subscribers.delete(subscriber);
      },
    };
  }

  /** Serializes once and writes the same bytes to every subscriber. */
  broadcast(event: SseEventName, data: unknown, id?: string): Uint8Array {
    const bytes = frame(event, data, id);
    this.write(bytes);
    return bytes;
  }

  /** A `hits` event: kept for replay, then broadcast. `lastSeq` names it. */
  publishHits(data: unknown, firstSeq: number, lastSeq: number, hits: number): void {
    this.publishFrame(frame('hits', data, formatEventId(this.options.runId, lastSeq)), firstSeq, lastSeq, hits);
  }

  /**
   * A feed batch as `hits` events: one, or, when its frame would pass `maxEventBytes`, split in
   * two at a hit (and so on), each part naming the seq range it covers, so no single write is
   * big enough to evict a browser that reads at full speed.
   */
  publishBatch(batch: FeedBatch): void {
    const data = batch.sampled ? { hits: batch.hits, sampled: batch.sampled } : { hits: batch.hits };
    const bytes = frame('hits', data, formatEventId(this.options.runId, batch.lastSeq));
    if (bytes.length <= this.maxEventBytes || batch.hits.length < 2) {
      this.publishFrame(bytes, batch.firstSeq, batch.lastSeq, batch.hits.length);
      return;
    }
    for (const part of halve(batch)) this.publishBatch(part);
  }

  private publishFrame(bytes: Uint8Array, firstSeq: number, lastSeq: number, hits: number): void {
    this.seq = Math.max(this.seq, lastSeq);
    const now = this.options.clock.now();
    this.replay.push({ firstSeq, lastSeq, at: now, hits, bytes }, now);
    this.write(bytes);
  }

  private write(bytes: Uint8Array): void {
    const now = this.options.clock.now();
    for (const subscriber of this.subscribers) {
      const { res } = subscriber;
      if (res.closed) {
        this.subscribers.delete(subscriber);
        continue;
      }
      if (subscriber.head < subscriber.queue.length || res.unsent >= this.writeAheadBytes) {
        this.enqueue(subscriber, bytes);
      } else res.write(bytes);
      this.check(subscriber, now);
    }
  }

  private enqueue(subscriber: Subscriber, bytes: Uint8Array): void {
    subscriber.queue.push(bytes);
    subscriber.queuedBytes += bytes.length;
  }

  /** Hands queued frames to the socket until it holds `writeAheadBytes` unsent. */
  private pump(subscriber: Subscriber): void {
    const { res, queue } = subscriber;
    while (subscriber.head < queue.length && res.unsent < this.writeAheadBytes && !res.closed) {
      const bytes = queue[subscriber.head]!;
      queue[subscriber.head++] = undefined;
      subscriber.queuedBytes -= bytes.length;
      subscriber.replayBytes = Math.max(0, subscriber.replayBytes - bytes.length);
      res.write(bytes);
    }
    if (subscriber.head === queue.length) {
      subscriber.queue = [];
      subscriber.head = 0;
    } else if (subscriber.head > 1024 && subscriber.head * 2 > queue.length) {
      subscriber.queue = queue.slice(subscriber.head);
      subscriber.head = 0;
    }
  }

  private check(subscriber: Subscriber, now: number): void {
    const { res } = subscriber;
    if (res.blocked) subscriber.blockedSince ??= now;
    const behind = subscriber.queuedBytes - subscriber.replayBytes + res.unsent;
    const tooMuch = behind > this.maxUnsentBytes;
    const tooLong = subscriber.blockedSince !== undefined && now - subscriber.blockedSince > this.maxBlockedMs;
    if (tooMuch || tooLong) {
      this.subscribers.delete(subscriber);
      subscriber.queue = [];
      subscriber.queuedBytes = 0;
      this.evicted++;
      this.options.onEvict?.();
      res.destroy();
    }
  }
  private schedule(): void {
    this.timer = this.options.clock.setTimeout(() => this.tick(), Math.min(1_000, this.heartbeatMs));
  }

  private tick(): void {
    if (this.closed) return;
    const now = this.options.clock.now();
    if (now - this.lastHeartbeat >= this.heartbeatMs) {
      this.lastHeartbeat = now;
      this.write(HEARTBEAT);
    } else {
      for (const subscriber of this.subscribers) this.check(subscriber, now);
    }
    this.schedule();
  }

  /** Ends every stream (relay shutdown). Browsers reconnect to the next run and get `reset`. */
  close(): void {
    this.closed = true;
    this.options.clock.clearTimeout(this.timer);
    for (const { res } of this.subscribers) res.end();
    this.subscribers.clear();
  }
}

/** A batch in two parts at its middle hit; each part covers its seq range, sampled-out hits included. */
function halve(batch: FeedBatch): [FeedBatch, FeedBatch] {
  const middle = Math.floor(batch.hits.length / 2);
  const firstHits = batch.hits.slice(0, middle);
  const secondHits = batch.hits.slice(middle);
  const split = secondHits[0]!.seq - 1;
  const first: FeedBatch = { hits: firstHits, firstSeq: batch.firstSeq, lastSeq: split };
  const second: FeedBatch = { hits: secondHits, firstSeq: split + 1, lastSeq: batch.lastSeq };
  if (batch.sampled) {
    const firstTotal = split - batch.firstSeq + 1;
    first.sampled = { kept: firstHits.length, total: firstTotal };
    second.sampled = { kept: secondHits.length, total: Math.max(secondHits.length, batch.sampled.total - firstTotal) };
  }
  return [first, second];
}
