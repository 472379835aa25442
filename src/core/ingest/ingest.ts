import { ADOBE_LAG_BAND_MS, type HitRecord, type HitSummary, type Problem } from '../../contract/index.ts';
import { canonicalHitId, summariseRecord, visitorHashOf } from './summary.ts';
import type { ByteOps } from '../bytes.ts';
import type { Clock } from '../clock.ts';
import { MAX_RECORD_BYTES, RecordDecoder, parseHitLine, type DecodedRecord } from './decode.ts';
import { portableBytes } from '../bytes.ts';
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
  /**
   * Several relays on one stream (`REDIS_URL`): a record read on a shard goes here instead of the
   * local de-duplication and `seq` (the shared stream gives both); what the stream delivers comes
   * back through `fromStream`.
   */
  publish?: (shard: number, decoded: DecodedRecord, arrivedAt: number) => void;
}

/** The counts only the relay reading a shard sees (the shared stream carries distinct hits only). */
export interface UpstreamCounts {
  duplicates: number;
  malformed: number;
  bytes: number;
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
  /** The host's byte operations (`options.bytes`, else the portable ones). */
  private readonly byteOps: ByteOps;

  constructor(private readonly options: IngestOptions) {
    this.byteOps = options.bytes ?? portableBytes;
    this.hits = options.hits ?? new HitStore({ bytes: this.byteOps });
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
      { bytes: this.byteOps },
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
    const { clock, publish } = this.options;
    if (publish) {
      publish(shard, decoded, clock.now());
      return;
    }
    if (!this.dedup.add(decoded.hitId)) {
      this.duplicate();
      return;
    }
    const arrivedAt = clock.now();
    const seq = ++this.seq;
    this.options.noteHit?.(shard, arrivedAt);
    this.admit(shard, seq, decoded, arrivedAt);
  }

  /** A hit that was not distinct (seen before on some shard, by this relay or the shared stream). */
  duplicate(): void {
    this.counters.duplicates++;
    this.options.stats.duplicate();
  }

  /**
   * A distinct hit from the shared stream (`REDIS_URL`): its `seq` and arrival were given by the
   * relay that read it; its line is decoded here as the local decoder would. `backfill`: a hit
   * read back at start for `Last-Event-ID` replay only (kept for `/api/hits/:id` and returned,
   * not counted, not fed: it arrived before this relay ran). Never throws.
   */
  fromStream(
    shard: number,
    seq: number,
    hitId: string,
    bytes: Uint8Array,
    arrivedAt: number,
    backfill = false,
  ): HitSummary | undefined {
    let line = '';
    try {
      // The same bound as the local decoder's: another program may write to the stream too.
      if (bytes.length > MAX_RECORD_BYTES) {
        line = this.byteOps.utf8(bytes, 0, 200);
        throw new Error(`record longer than ${MAX_RECORD_BYTES} bytes`);
      }
      line = this.byteOps.utf8(bytes, 0, bytes.length);
      const record = parseHitLine(line);
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        throw new Error('not a JSON object');
      }
      const decoded = { line, bytes, start: 0, end: bytes.length, record: record as HitRecord, hitId };
      if (backfill) return this.keep(shard, seq, decoded, arrivedAt);
      this.admit(shard, seq, decoded, arrivedAt);
    } catch (error) {
      if (!backfill) {
        this.malformed(
          shard,
          line,
          `from the shared stream: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return undefined;
  }

  /** A distinct hit with its `seq`: kept, summarised, counted, fed to browsers. */
  private admit(shard: number, seq: number, decoded: DecodedRecord, arrivedAt: number): void {
    const summary = this.keep(shard, seq, decoded, arrivedAt);
    const counters = this.counters;
    counters.hits++;
    if (summary.excluded) counters.excluded++;
    if (summary.truncated) counters.truncated++;
    if (summary.receivedTimeGMT !== undefined && arrivedAt - summary.receivedTimeGMT * 1000 > ADOBE_LAG_BAND_MS.max) {
      counters.lagAboveBand++;
    }
    this.options.stats.hit(summary, visitorHashOf(decoded.record));
    this.options.feed.push(summary);
  }

  /** The full line kept for `/api/hits/:id`, and the redacted summary. */
  private keep(shard: number, seq: number, decoded: DecodedRecord, arrivedAt: number): HitSummary {
    if (seq > this.seq) this.seq = seq;
    this.hits.add(decoded.hitId, decoded.bytes, decoded.start, decoded.end, shard, seq, arrivedAt);
    return this.options.redactor.summary(
      summariseRecord(decoded.record, { seq, shard, arrivedAt, hitId: decoded.hitId }),
    );
  }

  malformed(shard: number, line: string, reason: string): void {
    this.counters.malformed++;
    this.options.stats.malformed();
    const problem = this.malformedLog.note(shard, line, reason, this.options.clock.now());
    if (problem) this.options.report(problem);
  }

  /**
   * What another relay sharing the stream read and this one did not (`REDIS_URL`): its
   * duplicates, malformed records and bytes, so every relay's counters and stats tell them.
   */
  remote(counts: UpstreamCounts): void {
    const { counters, options } = this;
    counters.duplicates += counts.duplicates;
    counters.malformed += counts.malformed;
    counters.bytes += counts.bytes;
    options.stats.duplicate(counts.duplicates);
    options.stats.malformed(counts.malformed);
    options.stats.bytes(counts.bytes);
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
