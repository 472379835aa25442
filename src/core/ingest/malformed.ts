import { makeProblem, type Problem } from '../../contract/index.ts';
import { truncate } from '../upstream/error-body.ts';
import type { Redactor } from './redact.ts';

/**
 * What the relay does with a record it cannot read: the line is counted and sampled (redacted,
 * 200 characters), and a `malformed_record` Problem is made at most once per 10 s per shard, so a
 * stream of broken lines cannot flood the error objects. Pure (no Node), so the mock relay plays
 * the same rule.
 */

/** Malformed records make at most one Problem per this interval (per shard). */
export const MALFORMED_PROBLEM_EVERY_MS = 10_000;
const MALFORMED_SAMPLES = 10;

export interface MalformedLogOptions {
  redactor: Redactor;
  /** Removes secrets from text before it leaves. */
  scrub?: (text: string) => string;
}

export class MalformedLog {
  /** Malformed records so far, every shard. */
  count = 0;
  private readonly samples: string[] = [];
  private readonly reported = new Map<number, { at: number; count: number }>();

  constructor(private readonly options: MalformedLogOptions) {}

  /** Counts one malformed line; returns the Problem to report, or undefined within the interval. */
  note(shard: number, line: string, reason: string, now: number): Problem | undefined {
    const { redactor, scrub } = this.options;
    this.count++;
    const sample = redactor.text((scrub ?? ((t) => t))(truncate(line, 200)));
    this.samples.push(sample);
    if (this.samples.length > MALFORMED_SAMPLES) this.samples.shift();
    const last = this.reported.get(shard);
    if (last && now - last.at < MALFORMED_PROBLEM_EVERY_MS) return undefined;
    const sinceLast = this.count - (last?.count ?? 0);
    this.reported.set(shard, { at: now, count: this.count });
    return makeProblem({
      code: 'malformed_record',
      source: 'decoder',
      shard,
      at: now,
      message: `A record on shard ${shard} could not be read (not JSON, or longer than the record size limit); it was counted and skipped, streaming goes on.`,
      details: truncate(
        `${reason}. ${this.count} malformed so far${last ? `, ${sinceLast} since the last report` : ''}. Sample: ${sample}`,
      ),
    });
  }

  /** The last few samples, oldest first. */
  recent(): string[] {
    return [...this.samples];
  }
}
