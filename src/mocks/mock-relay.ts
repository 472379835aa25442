import {
  catalogDocument,
  formatEventId,
  parseEventId,
  randomUuid,
  stringifyRecord,
  type Catalog,
  type HitRecord,
  type Problem,
  type Shard,
  type SseEventName,
  type Stats,
  type Status,
  type Top,
} from '../contract/index.ts';
import { fallbackHitId, hitIdOf, summariseRecord } from '../core/ingest/summary.ts';
import { type ReconnectAnswer } from '../core/upstream/reconnect.ts';
import { FEED_INTERVAL_MS, FeedBatcher } from '../core/hub/feed.ts';
import { MalformedLog } from '../core/ingest/malformed.ts';
import { Redactor } from '../core/ingest/redact.ts';
import { StatsCollector } from '../core/stats/stats.ts';
import { createHitGenerator, hashText, rateAt, visitorSlot, type HitGenerator } from '../simulator/generator/index.ts';
import { MockShard } from './mock-shard.ts';
import { ReplayLog } from './replay-log.ts';
import type { Scenario } from './scenarios.ts';

/**
 * The relay, played in memory by a clock: the scenario's shards (`MockShard`), the simulator's
 * hit generator for the traffic, and the relay's own pure hub pieces (`StatsCollector`,
 * `FeedBatcher`, `Redactor`) for stats, top lists, feed sampling and redaction, so what it
 * publishes has the shape and the arithmetic of the real relay (`src/relay/relay.ts`).
 *
 * Nothing moves by itself: `advanceTo(now)` plays everything due up to `now` in steps of at most
 * one feed interval (hits, shard transitions, a `hits` event every feed interval, `stats` and `top` on
 * every second, heartbeats). `start()` calls it on a timer; tests call it with a fake clock. A
 * clock that jumps (a sleeping tab, Playwright's `page.clock`) is caught up step by step.
 */

export interface Clock {
  now(): number;
}

/** Where SSE events go: one per connected browser. */
export interface StreamSink {
  retry(ms: number): void;
  /** `data` is already JSON: serialized once for every subscriber. */
  send(event: SseEventName, data: string, id?: string): void;
  comment(text: string): void;
  /** Breaks the stream (what the browser sees as a network error). */
  error(): void;
}

export interface MockRelayOptions {
  scenario: Scenario;
  clock?: Clock;
  /** Seeds the hit generator. Default: derived from the scenario's name. */
  seed?: number;
  version?: string;
  /** Feed batch interval. Default `FEED_INTERVAL_MS` (the relay's). */
  feedIntervalMs?: number;
}

/** Heartbeat comment interval (the hub's default). */
const HEARTBEAT_MS = 15_000;
/** Base `retry:` hint; each subscriber gets up to 100 % jitter on top (the hub's default). */
const RETRY_MS = 2_000;
/** A clock that jumps further than this only gets the last part filled with hits. */
const MAX_CATCH_UP_MS = 120_000;
const HITS_KEPT = 10_000;
const PROBLEMS_KEPT = 1_000;

interface StoredHit {
  record: HitRecord;
  line: string | undefined;
}

/** Records that are not JSON, as a broken upstream sends them now and then. */
const BROKEN_LINES = [
  '{"hitIdHigh":9223372036854775901,"hitIdLow":18446744073709551001,"pageName":"checkout","geoCountry":"fra"',
  '{"hitIdHigh":9223372036854775902,"hitIdLow":18446744073709550002,"pageURL":"https://www.summit-outfitters.example/p/tn-3p", "ip":"203.0.113.77",}',
  '<html><body>502 Bad Gateway</body></html>',
  '{"hitIdHigh":9223372036854775903,"hitIdLow":18446744073709550003,"events":{"event1":[{"count":1}]}}}',
];

export class MockRelay {
  readonly scenario: Scenario;
  readonly runId: string;
  readonly version: string;
  /** Relay start (epoch ms): `historyS` before the page opened. */
  readonly startedAt: number;
  /** When the page opened (epoch ms): scenario times like `linkOutages` count from here. */
  readonly openedAt: number;
  private readonly clock: Clock;
  private readonly shards: MockShard[];
  private readonly generator: HitGenerator;
  private readonly stats: StatsCollector;
  private readonly feed: FeedBatcher;
  private readonly redactor = new Redactor(['ip']);
  private readonly replay = new ReplayLog();
  private readonly hits = new Map<string, StoredHit>();
  private readonly problemLog: Problem[] = [];
  private readonly subscribers = new Set<StreamSink>();
  private readonly malformedLog = new MalformedLog({ redactor: this.redactor });
  private readonly counters = { hits: 0, duplicates: 0, malformed: 0, bytes: 0 };
  private readonly feedIntervalMs: number;
  private readonly outages: { from: number; to: number }[];
  private cursor: number;
  private nextFeedAt: number;
  private nextSecondAt: number;
  private nextHeartbeatAt: number;
  private nextMalformedAt: number;
  private carry = 0;
  private seq = 0;
  private hubSeq = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: MockRelayOptions) {
    const { scenario } = options;
    this.scenario = scenario;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.version = options.version ?? '0.0.0-mock';
    this.feedIntervalMs = options.feedIntervalMs ?? FEED_INTERVAL_MS;
    this.openedAt = this.clock.now();
    this.startedAt = this.openedAt - scenario.historyS * 1000;
    this.runId = `m${this.startedAt.toString(36)}${randomUuid().slice(0, 6)}`;
    this.generator = createHitGenerator({ seed: options.seed ?? hashText(`mock:${scenario.name}`) });
    this.stats = new StatsCollector(scenario.shards.length);
    this.feed = new FeedBatcher(scenario.relay.feedMaxHitsPerS, this.startedAt);
    this.outages = (scenario.linkOutages ?? []).map((o) => ({
      from: this.openedAt + o.fromS * 1000,
      to: this.openedAt + o.toS * 1000,
    }));
    this.cursor = this.startedAt;
    this.nextFeedAt = this.startedAt + this.feedIntervalMs;
    this.nextSecondAt = (Math.floor(this.startedAt / 1000) + 1) * 1000;
    this.nextHeartbeatAt = this.startedAt + HEARTBEAT_MS;
    this.nextMalformedAt = scenario.malformedEveryS ? this.startedAt + scenario.malformedEveryS * 1000 : Infinity;
    this.shards = scenario.shards.map(
      (script, shard) =>
        new MockShard({
          shard,
          script,
          cooldownMs: scenario.relay.cooldownS * 1000,
          stallTimeoutMs: scenario.relay.stallTimeoutS * 1000,
          onState: (snapshot) => {
            if (snapshot.state === 'streaming') this.stats.streaming();
            if (snapshot.state === 'waiting' || snapshot.state === 'failed') this.stats.down();
            this.broadcast('state', snapshot);
          },
          onProblem: (problem) => this.report(problem),
        }),
    );
    for (const shard of this.shards) shard.start(this.startedAt);
    this.advanceTo(this.openedAt, Infinity);
  }

  now(): number {
    return this.clock.now();
  }

  /** Plays everything due up to the clock's now. */
  sync(): void {
    this.advanceTo(this.clock.now());
  }

  /** Advances on a timer of its own (every `intervalMs` of the clock's timers). Returns a stop function. */
  start(intervalMs = 100): () => void {
    this.stop();
    this.timer = setInterval(() => this.sync(), intervalMs);
    return () => this.stop();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Plays every step up to `target`; only the last `maxCatchUpMs` of a jump get hits. */
  advanceTo(target: number, maxCatchUpMs = MAX_CATCH_UP_MS): void {
    const hitsFrom = target - maxCatchUpMs;
    while (this.cursor < target) {
      let next = Math.min(target, this.nextFeedAt, this.nextSecondAt, this.nextHeartbeatAt, this.nextMalformedAt);
      for (const shard of this.shards) if (shard.nextAt !== undefined) next = Math.min(next, shard.nextAt);
      for (const { from, to } of this.outages) {
        if (from > this.cursor) next = Math.min(next, from);
        if (to > this.cursor) next = Math.min(next, to);
      }
      if (next > hitsFrom) this.generate(this.cursor, next);
      this.cursor = next;
      for (const shard of this.shards) shard.advance(next);
      if (this.outages.some((o) => o.from === next)) this.dropSubscribers();
      if (next >= this.nextMalformedAt) {
        if (this.shards[0]?.flowing(next)) this.malformed(0, next);
        this.nextMalformedAt += (this.scenario.malformedEveryS ?? Infinity) * 1000;
      }
      if (next >= this.nextSecondAt) {
        this.tickStats(this.nextSecondAt);
        this.nextSecondAt += 1000;
      }
      if (next >= this.nextFeedAt) {
        this.flushFeed(next);
        this.nextFeedAt += this.feedIntervalMs;
      }
      if (next >= this.nextHeartbeatAt) {
        for (const sink of this.subscribers) sink.comment('keep-alive');
        this.nextHeartbeatAt += HEARTBEAT_MS;
      }
    }
  }

  /** The browser's own link to the relay is down at `at` (scenario `linkOutages`). */
  linkDown(at = this.clock.now()): boolean {
    return this.outages.some((o) => at >= o.from && at < o.to);
  }

  // ── REST ───────────────────────────────────────────────────────────────────────────────────

  status(): Status {
    this.sync();
    const now = this.clock.now();
    const { relay } = this.scenario;
    const n = this.shards.length;
    return {
      relay: {
        version: this.version,
        startedAt: this.startedAt,
        mode: 'simulator',
        cooldownS: relay.cooldownS,
        now,
        runId: this.runId,
        feedMaxHitsPerS: relay.feedMaxHitsPerS,
        stallTimeoutS: relay.stallTimeoutS,
        passwordProtected: false,
      },
      upstream: {
        url: `http://127.0.0.1:8081/api/1/stream/demo-${this.scenario.name}${n > 1 ? `?maxConnections=${n}` : ''}`,
        maxConnections: n,
      },
      shards: this.shards.map((s) => s.snapshot(now)),
      clients: this.subscribers.size,
      counters: {
        ...this.counters,
        reconnects: this.shards.reduce((sum, s) => sum + Math.max(0, s.attempts - 1), 0),
      },
    };
  }

  /** Newest first. */
  problems(limit: number): Problem[] {
    this.sync();
    return this.problemLog.slice(0, limit);
  }

  catalog(): Catalog {
    return catalogDocument();
  }

  series(windowS: number): Stats[] {
    this.sync();
    return this.stats.series(windowS);
  }

  top(windowS: number): Top | undefined {
    this.sync();
    return this.stats.top(windowS, this.clock.now());
  }

  /** The full record, redacted, as JSON text with exact 64-bit ids; undefined when not in memory. */
  hit(hitId: string): string | undefined {
    const stored = this.hits.get(hitId);
    if (!stored) return undefined;
    stored.line ??= stringifyRecord(this.redactor.record(stored.record));
    return stored.line;
  }

  /** Hit ids still in memory, oldest first (tests). */
  hitIds(): string[] {
    return [...this.hits.keys()];
  }

  /** Undefined for a shard that does not exist. */
  reconnect(shard: number): { answer: ReconnectAnswer; shard: Shard } | undefined {
    this.sync();
    const target = this.shards[shard];
    if (!target) return undefined;
    const now = this.clock.now();
    const answer = target.reconnect(now);
    return { answer, shard: target.snapshot(now) };
  }

  // ── SSE ────────────────────────────────────────────────────────────────────────────────────

  /**
   * A browser connects: `retry:`, `hello`, then what `lastEventId` missed (or one `reset`), then
   * live events. Returns the function that disconnects it.
   */
  subscribe(sink: StreamSink, lastEventId: string | undefined): () => void {
    this.sync();
    sink.retry(RETRY_MS + Math.floor(Math.random() * RETRY_MS));
    this.subscribers.add(sink);
    sink.send('hello', JSON.stringify({ status: this.status(), lastEventId: lastEventId ?? null }));
    if (lastEventId) {
      const parsed = parseEventId(lastEventId);
      if (!parsed || parsed.runId !== this.runId) {
        sink.send('reset', JSON.stringify({ reason: 'other-run' }));
      } else {
        const answer = this.replay.since(parsed.seq, this.hubSeq);
        if (answer.kind === 'too-old') {
          sink.send('reset', JSON.stringify({ reason: 'too-old', missed: answer.missed }));
        } else {
          for (const event of answer.events) sink.send('hits', event.data, event.id);
        }
      }
    }
    return () => this.subscribers.delete(sink);
  }

  get clients(): number {
    return this.subscribers.size;
  }

  // ── the ingest ─────────────────────────────────────────────────────────────────────────────

  private rate(at: number): number {
    const { baseRate, minRate } = this.scenario.traffic;
    if (!(baseRate > 0)) return 0;
    return Math.max(minRate ?? 0, rateAt(at, baseRate));
  }

  private generate(from: number, to: number): void {
    if (!this.shards.some((s) => s.flowing(to))) {
      this.carry = 0;
      return;
    }
    const expected = this.carry + (this.rate((from + to) / 2) * (to - from)) / 1000;
    const count = Math.floor(expected);
    this.carry = expected - count;
    const n = this.shards.length;
    for (let i = 1; i <= count; i++) {
      const at = Math.round(from + ((to - from) * i) / (count + 1));
      const record = this.generator.next(at);
      const shard = visitorSlot(record, n);
      if (this.shards[shard]!.flowing(at)) this.ingest(record, shard, at);
    }
  }

  private ingest(record: HitRecord, shard: number, arrivedAt: number): void {
    const hitId = hitIdOf(record) ?? fallbackHitId(stringifyRecord(record));
    this.seq++;
    this.counters.hits++;
    this.shards[shard]!.noteHit(arrivedAt);
    this.hits.set(hitId, { record, line: undefined });
    if (this.hits.size > HITS_KEPT) {
      const oldest = this.hits.keys().next();
      if (!oldest.done) this.hits.delete(oldest.value);
    }
    const summary = this.redactor.summary(summariseRecord(record, { seq: this.seq, shard, arrivedAt, hitId }));
    this.stats.hit(summary);
    this.feed.push(summary);
    // Compressed bytes on the wire: about a quarter of a record's JSON.
    const bytes = 280 + (this.seq % 97);
    this.counters.bytes += bytes;
    this.stats.bytes(bytes);
  }

  /** As the relay's `Ingest.malformed`: counted, sampled, at most one Problem per 10 s per shard. */
  private malformed(shard: number, at: number): void {
    const line = BROKEN_LINES[this.counters.malformed % BROKEN_LINES.length]!;
    let reason = 'not JSON';
    try {
      JSON.parse(line);
    } catch (error) {
      reason = error instanceof Error ? error.message : reason;
    }
    this.counters.malformed++;
    this.stats.malformed();
    const problem = this.malformedLog.note(shard, line, reason, at);
    if (problem) this.report(problem);
  }

  private report(problem: Problem): void {
    this.problemLog.unshift(problem);
    if (this.problemLog.length > PROBLEMS_KEPT) this.problemLog.length = PROBLEMS_KEPT;
    this.broadcast('problem', problem);
  }

  private tickStats(boundary: number): void {
    const second = boundary / 1000 - 1;
    const closed = this.stats.tick(
      second,
      this.subscribers.size,
      this.shards.some((s) => s.isStreaming()),
      this.shards.some((s) => s.isDown()),
    );
    this.broadcast('stats', closed);
    this.broadcast('top', { windows: this.stats.topAll(boundary) });
  }

  private flushFeed(at: number): void {
    const batch = this.feed.take(at);
    if (!batch) return;
    const data = JSON.stringify(batch.sampled ? { hits: batch.hits, sampled: batch.sampled } : { hits: batch.hits });
    const id = formatEventId(this.runId, batch.lastSeq);
    this.hubSeq = Math.max(this.hubSeq, batch.lastSeq);
    this.replay.push({ firstSeq: batch.firstSeq, lastSeq: batch.lastSeq, at, hits: batch.hits.length, data, id });
    for (const sink of this.subscribers) sink.send('hits', data, id);
  }

  private broadcast(event: SseEventName, value: unknown): void {
    if (this.subscribers.size === 0) return;
    const data = JSON.stringify(value);
    for (const sink of this.subscribers) sink.send(event, data);
  }

  /** The link goes down: every open stream breaks. */
  private dropSubscribers(): void {
    for (const sink of this.subscribers) sink.error();
    this.subscribers.clear();
  }
}
