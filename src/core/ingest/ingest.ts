import { ADOBE_LAG_BAND_MS, type Problem } from '../../contract/index.ts';
import { canonicalHitId, summariseRecord, visitorHashOf } from './summary.ts';
import type { ByteOps } from '../bytes.ts';
import type { Clock } from '../clock.ts';
import { RecordDecoder, type DecodedRecord } from './decode.ts';
import type { RecordStream } from '../upstream/supervisor.ts';
import { Dedup } from './dedup.ts';
import type { FeedBatcher } from '../hub/feed.ts';
import { HitStore } from './hit-store.ts';
import { MalformedLog } from './malformed.ts';
import type { Redactor } from './redact.ts';
import type { StatsCollector } from '../stats/stats.ts';

/**
 * The relay's hot path, for every record of every shard: exact id → de-duplication → seq →
 * full record kept (its bytes copied into the hit store's arena) → redacted summary → stats
 * (over every hit) → browser feed. Malformed lines (not JSON, or longer than the decoder's
 * `MAX_RECORD_BYTES`) are counted, sampled and reported at most once per 10 s per shard.
 */

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
  /** The host's byte operations (the decoder's and the hit store's). Default `portableBytes`. */
  bytes?: ByteOps;
}

export class Ingest {
  /**
   * Running totals (the status's `counters`, and `/metrics`). Beside the contract's four:
   * `excluded` and `truncated` hits, and hits that arrived more than Adobe's 5 minutes after
   * Adobe received them (`lagAboveBand`).
   */
  readonly counters = { hits: 0, duplicates: 0, malformed: 0, bytes: 0, excluded: 0, truncated: 0, lagAboveBand: 0 };
  /** Seq of the newest distinct hit; grows by one per hit, across shards. */
  seq = 0;
  private readonly hits: HitStore;
  private readonly dedup: Dedup;
  private readonly malformedLog: MalformedLog;

  constructor(private readonly options: IngestOptions) {
    this.hits = options.hits ?? new HitStore(options.bytes ? { bytes: options.bytes } : {});
    this.dedup = options.dedup ?? new Dedup();
    this.malformedLog = new MalformedLog({ redactor: options.redactor, scrub: options.scrub });
  }

  /** A decoder feeding this ingest for one connection of one shard. */
  decoder(shard: number): RecordStream {
    const decoder = new RecordDecoder(
      {
        record: (decoded) => this.record(shard, decoded),
        malformed: (line, reason) => this.malformed(shard, line, reason),
      },
      this.options.bytes ? { bytes: this.options.bytes } : {},
    );
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
    this.hits.add(decoded.hitId, decoded.bytes, decoded.start, decoded.end, shard, seq, arrivedAt);
    const summary = this.options.redactor.summary(
      summariseRecord(decoded.record, { seq, shard, arrivedAt, hitId: decoded.hitId }),
    );
    const counters = this.counters;
    if (summary.excluded) counters.excluded++;
    if (summary.truncated) counters.truncated++;
    if (summary.receivedTimeGMT !== undefined && arrivedAt - summary.receivedTimeGMT * 1000 > ADOBE_LAG_BAND_MS.max) {
      counters.lagAboveBand++;
    }
    stats.hit(summary, visitorHashOf(decoded.record));
    this.options.feed.push(summary);
  }

  malformed(shard: number, line: string, reason: string): void {
    this.counters.malformed++;
    this.options.stats.malformed();
    const problem = this.malformedLog.note(shard, line, reason, this.options.clock.now());
    if (problem) this.options.report(problem);
  }

  bytes(n: number): void {
    this.counters.bytes += n;
    this.options.stats.bytes(n);
  }

  /**
   * The full hit as received, with the REDACT_FIELDS values masked in its text (every other byte,
   * 64-bit digits included, as it came); undefined when not in memory. `0001-02` finds `1-2`.
   * Never throws, whatever the record's depth or size.
   */
  hit(hitId: string): string | undefined {
    const stored = this.hits.get(canonicalHitId(hitId));
    if (!stored) return undefined;
    // Undefined only for a line that is not a JSON object, which the decoder never lets through.
    return this.options.redactor.line(stored.line);
  }

  malformedSamples(): string[] {
    return this.malformedLog.recent();
  }
}
