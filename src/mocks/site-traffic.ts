import { stringifyRecord, type HitRecord } from '../contract/index.ts';
import type { Clock, TimerHandle } from '../core/clock.ts';
import { createHitGenerator, rateAt, visitorSlot, type HitGenerator } from '../simulator/generator/index.ts';
import type { Scenario } from './scenarios.ts';
import type { ScriptedStream } from './script-connector.ts';

/**
 * The site's traffic in mock mode, on the host's clock: one stream of records from the
 * simulator's generator at `rateAt(now, baseRate)` (never below `minRate`), each record written
 * as Livestream writes it (NDJSON, exact 64-bit ids) to the stream of the shard its visitor
 * belongs to (`visitorSlot`); a record for a shard with no open stream is not delivered. With
 * `malformedEveryS`, a line that is not JSON goes to shard 0 now and then. What the relay does
 * with the bytes is the core's business.
 *
 * A shard that streamed and stopped (lost, stalled, refused) misses its records: they are kept
 * (the last few minutes, as Livestream keeps them) and resent at transfer speed, oldest first,
 * when it streams again; their `receivedTimeGMT` still says when Adobe received them.
 *
 * Before `hitsFrom` (a catch-up the host keeps cheap) nothing is generated: open streams get
 * keep-alive bytes only, as a quiet stream would.
 *
 * The scenario's `losses` drop hits by when Adobe received them (only `share` of them reach
 * Adobe, so the hole is on Adobe's clock, as a broken tag leaves it), and its `delays` make the
 * hits that reach the stream in a window that much older (Adobe's processing behind).
 */

export interface SiteTrafficOptions {
  clock: Clock;
  scenario: Scenario;
  /** The open stream of each shard, if any. */
  streams: { stream(shard: number): ScriptedStream | undefined };
  seed: number;
  /** How often records are written. Default 100 ms. */
  tickMs?: number;
  /** When the page opened (epoch ms): the scenario's `losses` and `delays` count from here. Default: the clock's start. */
  openedAt?: number;
}

interface TimeWindow {
  from: number;
  to: number;
}

/** Lines a broken upstream sends now and then (none of them a JSON record). */
const BROKEN_LINES = [
  '{"hitIdHigh":9223372036854775901,"hitIdLow":18446744073709551001,"pageName":"checkout","geoCountry":"fra"',
  '{"hitIdHigh":9223372036854775902,"hitIdLow":18446744073709550002,"pageURL":"https://www.summit-outfitters.example/p/tn-3p", "ip":"203.0.113.77",}',
  '<html><body>502 Bad Gateway</body></html>',
  '{"hitIdHigh":9223372036854775903,"hitIdLow":18446744073709550003,"events":{"event1":[{"count":1}]}}}',
];

/** Compressed size of NDJSON text on the wire: gzip takes about a quarter. */
const wireBytes = (bytes: Uint8Array) => Math.ceil(bytes.length / 4);

const encoder = new TextEncoder();

/** Livestream resends what a consumer missed when it is back within a few minutes. */
const RESUME_WINDOW_MS = 5 * 60_000;
/** Records kept for a shard that is not streaming (memory in the page stays bounded). */
const MAX_BACKLOG = 20_000;
/** Records of a backlog resent per 100-ms tick: about 30,000 hits/s, a transfer-speed burst. */
const RESEND_PER_TICK = 3_000;

export class SiteTraffic {
  /** Before this moment (epoch ms) no record is generated. */
  hitsFrom = -Infinity;
  private readonly generator: HitGenerator;
  private readonly tickMs: number;
  private readonly shards: number;
  private last: number;
  private carry = 0;
  private broken = 0;
  private timer: TimerHandle | undefined;
  private malformedTimer: TimerHandle | undefined;
  /** Each shard has streamed at least once (Livestream then keeps what it misses). */
  private readonly streamed: boolean[] = [];
  /** What each shard missed while it was not streaming, oldest first: resent when it is back. */
  private readonly backlog: { at: number; line: string }[][] = [];
  private readonly losses: (TimeWindow & { share: number })[];
  private readonly delays: (TimeWindow & { extraS: number })[];
  /** Hits a loss window owes Adobe: whole ones are kept, so exactly `share` of them get through. */
  private lossCarry = 0;

  constructor(private readonly options: SiteTrafficOptions) {
    const { clock, scenario } = options;
    this.generator = createHitGenerator({ seed: options.seed });
    this.tickMs = options.tickMs ?? 100;
    this.shards = scenario.shards.length;
    this.last = clock.now();
    const openedAt = options.openedAt ?? clock.now();
    const toWindow = (w: { fromS: number; toS: number }): TimeWindow => ({
      from: openedAt + w.fromS * 1000,
      to: openedAt + w.toS * 1000,
    });
    this.losses = (scenario.traffic.losses ?? []).map((w) => ({ ...toWindow(w), share: w.share }));
    this.delays = (scenario.traffic.delays ?? []).map((w) => ({ ...toWindow(w), extraS: w.extraS }));
    this.timer = clock.setTimeout(() => this.tick(), this.tickMs);
    const every = scenario.malformedEveryS;
    if (every) this.malformedTimer = clock.setTimeout(() => this.malformed(every * 1000), every * 1000);
  }

  stop(): void {
    this.options.clock.clearTimeout(this.timer);
    this.options.clock.clearTimeout(this.malformedTimer);
  }

  private rate(at: number): number {
    const { baseRate, minRate } = this.options.scenario.traffic;
    if (!(baseRate > 0)) return 0;
    return Math.max(minRate ?? 0, rateAt(at, baseRate));
  }

  private flowing(): (ScriptedStream | undefined)[] {
    return Array.from({ length: this.shards }, (_, shard) => {
      const stream = this.options.streams.stream(shard);
      return stream?.flowing ? stream : undefined;
    });
  }

  private tick(): void {
    const { clock } = this.options;
    const to = clock.now();
    const from = this.last;
    this.last = to;
    this.timer = clock.setTimeout(() => this.tick(), this.tickMs);
    const streams = this.flowing();
    streams.forEach((stream, shard) => {
      if (stream) this.streamed[shard] = true;
    });
    // A shard that streamed and stopped still has traffic: Livestream keeps it for its return.
    const missing = streams.map((stream, shard) => !stream && this.streamed[shard] === true);
    if (to <= this.hitsFrom || !(streams.some(Boolean) || missing.some(Boolean))) {
      this.carry = 0;
      for (const stream of streams) stream?.keepAlive();
      return;
    }
    const expected = this.carry + (this.rate((from + to) / 2) * (to - from)) / 1000;
    const count = Math.floor(expected);
    this.carry = expected - count;
    const lines: string[][] = streams.map(() => []);
    for (let i = 1; i <= count; i++) {
      const at = Math.round(from + ((to - from) * i) / (count + 1));
      const record = this.generator.next(at);
      if (!this.reachesAdobe(record, at)) continue;
      const shard = visitorSlot(record, this.shards);
      if (streams[shard]) lines[shard]!.push(stringifyRecord(record));
      else if (missing[shard]) this.keep(shard, to, stringifyRecord(record));
    }
    streams.forEach((stream, shard) => {
      if (!stream) return;
      const text = [...this.resend(shard, to), ...lines[shard]!];
      if (text.length === 0) return stream.keepAlive();
      const bytes = encoder.encode(`${text.join('\r\n')}\r\n`);
      stream.write(bytes, wireBytes(bytes));
    });
  }

  /**
   * Applies the scenario's delays to a record reaching the stream at `at`, and its losses:
   * false when the site lost it (Adobe never received it).
   */
  private reachesAdobe(record: HitRecord, at: number): boolean {
    const delay = this.delays.find((w) => at >= w.from && at < w.to);
    if (delay && typeof record.receivedTimeGMT === 'number') {
      record.receivedTimeGMT -= delay.extraS;
      if (typeof record.timeGMT === 'number') record.timeGMT -= delay.extraS;
    }
    if (this.losses.length === 0 || typeof record.receivedTimeGMT !== 'number') return true;
    const received = record.receivedTimeGMT * 1000;
    const loss = this.losses.find((w) => received >= w.from && received < w.to);
    if (!loss) return true;
    this.lossCarry += loss.share;
    if (this.lossCarry < 1) return false;
    this.lossCarry -= 1;
    return true;
  }

  /** Keeps a record a shard missed: the last `RESUME_WINDOW_MS`, at most `MAX_BACKLOG` records. */
  private keep(shard: number, at: number, line: string): void {
    const backlog = (this.backlog[shard] ??= []);
    backlog.push({ at, line });
    if (backlog.length > MAX_BACKLOG) backlog.splice(0, backlog.length - MAX_BACKLOG);
  }

  /**
   * What a shard missed, resent when it streams again at transfer speed (`RESEND_PER_TICK` a
   * tick), oldest first; what is older than `RESUME_WINDOW_MS` is gone, as with Livestream.
   */
  private resend(shard: number, now: number): string[] {
    const backlog = this.backlog[shard];
    if (!backlog?.length) return [];
    const expired = backlog.findIndex((entry) => entry.at >= now - RESUME_WINDOW_MS);
    backlog.splice(0, expired === -1 ? backlog.length : expired);
    return backlog.splice(0, RESEND_PER_TICK).map((entry) => entry.line);
  }

  private malformed(everyMs: number): void {
    const { clock } = this.options;
    this.malformedTimer = clock.setTimeout(() => this.malformed(everyMs), everyMs);
    const stream = this.options.streams.stream(0);
    if (!stream?.flowing || clock.now() <= this.hitsFrom) return;
    const bytes = encoder.encode(`${BROKEN_LINES[this.broken++ % BROKEN_LINES.length]!}\r\n`);
    stream.write(bytes, wireBytes(bytes));
  }
}
