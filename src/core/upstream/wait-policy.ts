/**
 * How long a shard waits before its next attempt. Every wait lies within
 * `[cooldown, RECONNECT_MAX_WAIT_S]`: never shorter than the cooldown (Adobe's churn rule), never
 * longer than the cap (a huge or far-future `Retry-After`, the 409 growth), and a number a timer
 * can hold. Pure: no Node, no DOM.
 */

export interface WaitPolicy {
  cooldownMs: number;
  /** `RECONNECT_MAX_WAIT_S` in ms; taken as at least the cooldown. */
  maxWaitMs: number;
  /** Cap of the growing 409 wait before the overall cap. Default 5 min (or the cooldown when longer). */
  maxGrowthMs?: number;
}

export interface WaitRequest {
  /** The outcome was a 409: the wait grows with each one in a row. */
  tooManyConnections?: boolean;
  /** 409s in a row, this one included. */
  consecutive409?: number;
  /** The upstream's own `Retry-After`, in seconds. */
  retryAfterS?: number;
}

export interface PlannedWait {
  waitMs: number;
  /** What the outcome asked for before the cap (Infinity for an unreadable figure). */
  requestedMs: number;
  /** True when the cap shortened the wait: the Problem must say so. */
  capped: boolean;
  /**
   * The earliest moment, relative to now, an operator's "Reconnect now" is accepted: the cooldown
   * and the upstream's own `Retry-After` (capped), not our own 409 growth.
   */
  operatorAfterMs: number;
}

export const DEFAULT_MAX_GROWTH_MS = 5 * 60_000;

/** The cap as applied: at least the cooldown. */
export function maxWaitOf(policy: WaitPolicy): number {
  return Math.max(policy.cooldownMs, policy.maxWaitMs);
}

/** `ms` within `[cooldown, cap]`; anything that is not a finite number counts as "as long as allowed". */
export function clampWait(ms: number, policy: WaitPolicy): number {
  const cap = maxWaitOf(policy);
  if (!Number.isFinite(ms)) return cap;
  return Math.min(Math.max(ms, policy.cooldownMs), cap);
}

export function planWait(policy: WaitPolicy, request: WaitRequest): PlannedWait {
  const { cooldownMs } = policy;
  let requestedMs = cooldownMs;
  if (request.tooManyConnections) {
    const n = Math.max(1, request.consecutive409 ?? 1);
    const growthCap = Math.max(policy.maxGrowthMs ?? DEFAULT_MAX_GROWTH_MS, cooldownMs);
    // 2 ** n is Infinity for a long run of 409s; min() keeps it at the growth cap.
    requestedMs = Math.min(cooldownMs * 2 ** (n - 1), growthCap);
  }
  let upstreamMs = 0;
  if (request.retryAfterS !== undefined) {
    upstreamMs =
      Number.isFinite(request.retryAfterS) && request.retryAfterS >= 0 ? request.retryAfterS * 1000 : Infinity;
    requestedMs = Math.max(requestedMs, upstreamMs);
  }
  const waitMs = clampWait(requestedMs, policy);
  return {
    waitMs,
    requestedMs,
    capped: !(requestedMs <= maxWaitOf(policy)),
    operatorAfterMs: clampWait(Math.max(cooldownMs, upstreamMs), policy),
  };
}

/** The sentence a Problem's `details` gets when the cap shortened a wait. */
export function describeCap(plan: PlannedWait, policy: WaitPolicy): string {
  const asked = Number.isFinite(plan.requestedMs) ? `${Math.ceil(plan.requestedMs / 1000)} s` : 'an unreadable time';
  return `The wait asked for (${asked}) was capped at RECONNECT_MAX_WAIT_S=${Math.round(maxWaitOf(policy) / 1000)} s.`;
}
