import { z } from 'zod';
import { AlertSchema } from './alert.ts';
import { HitSummarySchema } from './hit-summary.ts';
import { ProblemSchema } from './problem.ts';
import { ShardSchema } from './shard.ts';
import { StatsSchema, TopSchema, TrafficSchema } from './stats.ts';
import { StatusSchema } from './status.ts';
import { parseWith, type Parsed } from './parse.ts';

/** Always the first event of a stream. */
export const HelloEventSchema = z.looseObject({
  status: StatusSchema,
  /** The id the browser asked to resume from, or null. */
  lastEventId: z.string().nullable(),
});

/** A sampled `hits` event: `kept` of `total` distinct hits reached this browser. */
export const SampledSchema = z.looseObject({
  kept: z.int().nonnegative(),
  total: z.int().nonnegative(),
});
export type Sampled = z.output<typeof SampledSchema>;

export const HitsEventSchema = z.looseObject({
  hits: z.array(HitSummarySchema),
  /** Present when the feed was sampled: `kept` of `total` distinct hits are in this batch. */
  sampled: SampledSchema.optional(),
});

export const RESET_REASONS = ['too-old', 'other-run'] as const;

export const ResetEventSchema = z.looseObject({
  reason: z.string().min(1),
  /** How many hit events could not be replayed, when known. */
  missed: z.int().nonnegative().optional(),
});

/** Extension: top lists for every window, once a second. */
export const TopEventSchema = z.looseObject({ windows: z.array(TopSchema) });

/**
 * Extension: the relay's running totals, once a second when they changed: the `counters`,
 * `clients` and each shard's `hits` of `GET /api/status`, kept live between two status answers.
 */
export const CountersEventSchema = z.looseObject({
  /** Epoch ms on the relay's clock. */
  at: z.number(),
  counters: StatusSchema.shape.counters,
  clients: z.int().nonnegative(),
  /** Distinct hits per shard since the relay started (index = shard), as `Shard.hits`. */
  shardHits: z.array(z.int().nonnegative()),
});

/**
 * Every named event on `GET /api/stream` (docs/api.md, "SSE events") and the schema of its `data`.
 * Never an event named `error`: it clashes with EventSource's own connection-error event.
 */
export const SSE_EVENTS = {
  hello: HelloEventSchema,
  state: ShardSchema,
  hits: HitsEventSchema,
  problem: ProblemSchema,
  stats: StatsSchema,
  reset: ResetEventSchema,
  top: TopEventSchema,
  /** Extension: the seconds of the site's traffic on Adobe's clock that changed, once a second. */
  traffic: TrafficSchema,
  /** Extension: the status's counters, clients and shard hits, once a second when they changed. */
  counters: CountersEventSchema,
  /** An alert fired or resolved (the whole Alert, its `state` says which). */
  alert: AlertSchema,
} as const;

export type SseEventName = keyof typeof SSE_EVENTS;
export type SseEventMap = { [K in SseEventName]: z.output<(typeof SSE_EVENTS)[K]> };
export type HelloEvent = SseEventMap['hello'];
export type HitsEvent = SseEventMap['hits'];
export type ResetEvent = SseEventMap['reset'];
export type TopEvent = SseEventMap['top'];
export type CountersEvent = SseEventMap['counters'];

export function isSseEventName(name: string): name is SseEventName {
  return Object.hasOwn(SSE_EVENTS, name);
}

/** Parses one event's `data` text against its schema; unknown event names are refused. */
export function parseSseEvent<K extends SseEventName>(name: K, data: string): Parsed<SseEventMap[K]>;
export function parseSseEvent(name: string, data: string): Parsed<unknown>;
export function parseSseEvent(name: string, data: string): Parsed<unknown> {
  if (!isSseEventName(name)) return { ok: false, reason: `unknown event "${name}"` };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, reason: `event "${name}": data is not JSON` };
  }
  return parseWith(SSE_EVENTS[name], json);
}

/**
 * SSE event ids for hits: `<runId>.<seq>` — opaque to browsers, but the relay reads them back
 * from `Last-Event-ID` to replay what was missed.
 */
export function formatEventId(runId: string, seq: number): string {
  return `${runId}.${seq}`;
}

export function parseEventId(id: string): { runId: string; seq: number } | undefined {
  const match = /^([A-Za-z0-9_-]+)\.(\d{1,15})$/.exec(id.trim());
  if (!match) return undefined;
  return { runId: match[1]!, seq: Number(match[2]) };
}
