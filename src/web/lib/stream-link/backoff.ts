/** Reconnection delays for the browser's own link to the relay (not the relay's link to Adobe). */

/** Used until the relay sends a `retry:` hint. */
export const DEFAULT_RETRY_MS = 1_000;
/** No wait grows beyond this, unless the relay's own `retry:` hint asks for more. */
export const MAX_BACKOFF_MS = 30_000;
/** Jitter spreads reconnecting browsers ±20 % so a relay restart is not met by a stampede. */
export const JITTER = 0.2;

/**
 * Delay before reconnect attempt number `attempt` (1 = the first retry after a failure):
 * `hint × 2^(attempt−1)`, jittered ±20 %, never below the relay's `retry:` hint, capped at 30 s.
 */
export function backoffDelay(
  attempt: number,
  retryHintMs = DEFAULT_RETRY_MS,
  random: () => number = Math.random,
): number {
  const base = Math.max(100, retryHintMs);
  const cap = Math.max(MAX_BACKOFF_MS, base);
  const exponential = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential * (1 - JITTER + 2 * JITTER * random());
  return Math.round(Math.min(cap, Math.max(base, jittered)));
}
