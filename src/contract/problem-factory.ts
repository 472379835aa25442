import { lookupCode } from './catalog.ts';
import { randomUuid } from './ids.ts';
import type { Problem } from './problem.ts';

/** What a caller knows when something fails; the rest comes from the catalogue. */
export interface ProblemInit {
  code: string;
  source: string;
  /** Defaults to the catalogue's description of the code. */
  message?: string;
  /** Defaults to the catalogue's status; the upstream's own status when it answered one. */
  status?: number;
  /** Defaults to the catalogue's action (the object's own action wins: docs/api.md, "Problem"). */
  action?: string;
  details?: string;
  helpUrl?: string;
  retryAfter?: number;
  requestId?: string;
  shard?: number;
  /** The upstream's trace when its error body carried one; otherwise a fresh one. */
  trace?: string;
  /** Epoch ms; defaults to now. */
  at?: number;
}

/** `helpUrl` must be an absolute URL (seed rule); anything else is dropped, never guessed. */
const ABSOLUTE_HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

/** Status and action used for a code the catalogue does not hold. */
const UNKNOWN_CODE_DEFAULTS = { status: 500, action: 'none' } as const;

/**
 * Builds a Problem from a code: status, action and message default from the catalogue, and a
 * fresh trace and id are drawn. Optional fields are present only when they have a value.
 */
export function makeProblem(init: ProblemInit): Problem {
  const entry = lookupCode(init.code);
  const problem: Problem = {
    status: init.status ?? entry?.status ?? UNKNOWN_CODE_DEFAULTS.status,
    code: init.code,
    message: init.message ?? entry?.description ?? `Unexpected error: ${init.code}`,
    trace: init.trace || randomUuid(),
    action: init.action ?? entry?.action ?? UNKNOWN_CODE_DEFAULTS.action,
    at: init.at ?? Date.now(),
    source: init.source,
    id: randomUuid(),
  };
  if (init.details) problem.details = init.details;
  if (init.helpUrl && ABSOLUTE_HTTP_URL.test(init.helpUrl)) problem.helpUrl = init.helpUrl;
  if (init.retryAfter !== undefined) problem.retryAfter = init.retryAfter;
  if (init.requestId) problem.requestId = init.requestId;
  if (init.shard !== undefined) problem.shard = init.shard;
  return problem;
}

/** Tells a Problem from a number or a payload. */
export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'code' in value && 'trace' in value;
}
