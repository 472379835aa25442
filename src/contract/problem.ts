import { z } from 'zod';

/**
 * The eight recommended actions of Adobe's enhanced error codes. `action` is a restricted set
 * that may grow: schemas accept any non-empty string, and this list is what we know today.
 */
export const KNOWN_ACTIONS = [
  'none',
  'configuration',
  'application-registration',
  'authentication',
  'authorization',
  'degradation',
  'retry',
  'retry-after',
] as const;
export type KnownAction = (typeof KNOWN_ACTIONS)[number];

/** Where a Problem was born: the upstream stream, the token endpoint, the decoder, the relay's own API. */
export const KNOWN_SOURCES = ['upstream', 'token', 'decoder', 'relay'] as const;
export type KnownSource = (typeof KNOWN_SOURCES)[number];

export function isKnownAction(action: string): action is KnownAction {
  return (KNOWN_ACTIONS as readonly string[]).includes(action);
}

export function isKnownSource(source: string): source is KnownSource {
  return (KNOWN_SOURCES as readonly string[]).includes(source);
}

/**
 * The error object (docs/api.md, "Problem" and "Error catalogue"): the seed's shape plus what an operator needs.
 * Forward compatible: extra fields pass through; unknown `code`, `action`, `status` and
 * `source` values are accepted so a newer relay never breaks an older dashboard.
 */
export const ProblemSchema = z.looseObject({
  /** HTTP status the upstream answered, or the catalogue's status when there was no answer. */
  status: z.int().min(100).max(599),
  code: z.string().min(1),
  message: z.string(),
  /** What could be read of an error body, at most 500 characters, never raw HTML. */
  details: z.string().optional(),
  /** Absolute URL; present only when known, never derived from `code`. */
  helpUrl: z.url({ protocol: /^https?$/ }).optional(),
  trace: z.string().min(1),
  action: z.string().min(1),
  /** Seconds, when `action` is `retry-after`. */
  retryAfter: z.number().nonnegative().optional(),
  /** Upstream `Adobe-Request-Id` / `x-request-id`, reported together with `trace`. */
  requestId: z.string().optional(),
  /** Epoch milliseconds. */
  at: z.number(),
  source: z.string().min(1),
  /** 0-based shard for an item-level problem. */
  shard: z.int().nonnegative().optional(),
  id: z.string().min(1),
  /**
   * Epoch ms when the condition ended (a shard's connection Problem: when that shard next
   * streamed). Absent while active. The Problem is sent again (same `id`) when it is set.
   */
  resolvedAt: z.number().optional(),
  /** Epoch ms when an operator acknowledged it (`POST /api/problems/:id/ack`). */
  acknowledgedAt: z.number().optional(),
});
export type Problem = z.output<typeof ProblemSchema>;

/** Body of every error answer of the relay's own HTTP API. */
export const ApiErrorSchema = z.looseObject({ error: ProblemSchema });
export type ApiError = z.output<typeof ApiErrorSchema>;

/** `GET /api/problems?limit=N`: newest first. */
export const ProblemsResponseSchema = z.looseObject({ problems: z.array(ProblemSchema) });
export type ProblemsResponse = z.output<typeof ProblemsResponseSchema>;

/** `POST /api/problems/:id/ack`: the Problem with its `acknowledgedAt`. */
export const ProblemAckResponseSchema = z.looseObject({ problem: ProblemSchema });
export type ProblemAckResponse = z.output<typeof ProblemAckResponseSchema>;

/** Active until `resolvedAt` is set. */
export function isResolved(problem: Pick<Problem, 'resolvedAt'>): boolean {
  return problem.resolvedAt !== undefined;
}
