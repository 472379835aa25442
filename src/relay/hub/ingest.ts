import { makeProblem, stringifyRecord, summariseRecord, truncate, type Problem } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import { parseExact, RecordDecoder, type DecodedRecord } from '../upstream/decode.ts';
import type { RecordStream } from '../upstream/supervisor.ts';
import { Dedup } from './dedup.ts';
import type { FeedBatcher } from './feed.ts';
import { HitStore } from './hit-store.ts';
import type { Redactor } from './redact.ts';
import type { StatsCollector } from './stats.ts';

/**
 * The relay's hot path, for every record of every shard: exact id → de-duplication → seq →
 * full record kept → redacted summary → stats (over every hit) → browser feed. Malformed lines
 * are counted, sampled and reported at most once per 10 s per shard.
 */

/** Malformed records make at most one Problem per this interval (per shard). */
export const MALFORMED_PROBLEM_EVERY_MS = 10_000;
const MALFORMED_SAMPLES = 10;

export interface IngestOptions {
  clock: Clock;
  redactor: Redactor;
  stats: StatsCollector;
  feed: FeedBatcher;
  hits?: HitStore;
  dedup?: Dedup;
  /** A distinct hit arrived on a shard (the supervisor counts it). */
  noteHit?: (shard: number, at: number) => void;
  report: (problem: Problem) => void;
  /** Removes secrets from text before it leaves (malformed samples). */
  scrub?: (text: string) => string;
}

export class Ingest {
  readonly counters = { hits: 0, duplicates: 0, malformed: 0, bytes: 0 };
  /** Seq of the newest distinct hit; grows by one per hit, across shards. */
  seq = 0;
  private readonly hits: HitStore;
  private readonly dedup: Dedup;
  private readonly samples: string[] = [];
  private readonly reported = new Map<number, { at: number; count: number }>();

  constructor(private readonly options: IngestOptions) {
    this.hits = options.hits ?? new HitStore();
    this.dedup = options.dedup ?? new Dedup();
  }

  /** A decoder feeding this ingest for one connection of one shard. */
  decoder(shard: number): RecordStream {
    const decoder = new RecordDecoder({
      record: (decoded) => this.record(shard, decoded),
      malformed: (line, reason) => this.malformed(shard, line, reason),
    });
    return { push: (chunk) => decoder.push(chunk), end: () => decoder.end() };
  }

  record(shard: number, decoded: DecodedRecord): void {
    try {
      this.accept(shard, decoded);
    } catch (error) {
      // A record the relay cannot process is counted like a malformed one; the stream goes on.
      this.malformed(
        shard,
        decoded.line,
        `could not be processed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private accept(shard: number, decoded: DecodedRecord): void {
    const { stats, clock } = this.options;
    if (!this.dedup.add(decoded.hitId)) {
      this.counters.duplicates++;
      stats.duplicate();
      return;
    }
    const arrivedAt = clock.now();
    const seq = ++this.seq;
    this.counters.hits++;
    this.options.noteHit?.(shard, arrivedAt);
    this.hits.add(decoded.hitId, {
      bytes: decoded.bytes,
      start: decoded.start,
      end: decoded.end,
      shard,
      seq,
      arrivedAt,
    });
    const summary = this.options.redactor.summary(
      summariseRecord(decoded.record, { seq, shard, arrivedAt, hitId: decoded.hitId }),
    );
    stats.hit(summary);
    this.options.feed.push(summary);
  }

  malformed(shard: number, line: string, reason: string): void {
    const { stats, clock, redactor } = this.options;
    this.counters.malformed++;
    stats.malformed();
    const sample = redactor.text((this.options.scrub ?? ((t) => t))(truncate(line, 200)));
    this.samples.push(sample);
    if (this.samples.length > MALFORMED_SAMPLES) this.samples.shift();
    const now = clock.now();
    const last = this.reported.get(shard);
    if (last && now - last.at < MALFORMED_PROBLEM_EVERY_MS) return;
    const count = this.counters.malformed - (last?.count ?? 0);
    this.reported.set(shard, { at: now, count: this.counters.malformed });
    this.options.report(
      makeProblem({
        code: 'malformed_record',
        source: 'decoder',
        shard,
        at: now,
        message: `A record on shard ${shard} was not valid JSON; it was counted and skipped, streaming goes on.`,
        details: truncate(
          `${reason}. ${count} malformed ${last ? 'since the last report' : 'so far'}. Sample: ${sample}`,
        ),
      }),
    );
  }

  bytes(n: number): void {
    this.counters.bytes += n;
    this.options.stats.bytes(n);
  }

  /** The full hit, redacted, as JSON text with exact 64-bit ids; undefined when not in memory. */
  hit(hitId: string): string | undefined {
    const stored = this.hits.get(hitId);
    if (!stored) return undefined;
    const { redactor } = this.options;
    const record = parseExact(stored.line) as Record<string, unknown>;
    return redactor.touches(record) ? stringifyRecord(redactor.record(record)) : stored.line;
  }

  malformedSamples(): string[] {
    return [...this.samples];
  }
}
