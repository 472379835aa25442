import { useSyncExternalStore } from 'react';

/** Improvements smaller than this are not worth a re-render of every countdown. */
const SKEW_JITTER_MS = 20;
/** Estimates older than this are dropped, so a real clock change is followed within minutes. */
const SAMPLE_LIFETIME_MS = 5 * 60_000;

/**
 * The relay's clock as seen from this browser. Every `hello` and every `GET /api/status` carries
 * `relay.now`. An observation `relay.now − local time at receipt` always undershoots the true
 * skew by however long the message took to be handled (network, a busy main thread parsing the
 * first render), so the estimate is the largest observation of the last few minutes: the one
 * that waited least. Countdowns compare the relay's `retryAt` with `Date.now() + skew`, so a
 * browser whose clock is minutes off still counts right, and a wait that just began never shows
 * a second more than it lasts.
 */
export class RelayClock {
  private skew = 0;
  private samples: { skew: number; at: number }[] = [];
  private readonly listeners = new Set<() => void>();

  /** Skew in ms (relay − local); 0 until the relay has said what time it is. */
  get skewMs(): number {
    return this.skew;
  }

  /**
   * `relayNow` was stamped by the relay; `receivedAt` is the local time it was handled. Each
   * reading undershoots the skew by the delay in between, never overshoots it.
   */
  observe(relayNow: number, receivedAt: number): void {
    this.samples = this.samples.filter((sample) => receivedAt - sample.at < SAMPLE_LIFETIME_MS);
    this.samples.push({ skew: relayNow - receivedAt, at: receivedAt });
    const best = Math.max(...this.samples.map((sample) => sample.skew));
    if (this.samples.length > 1 && Math.abs(best - this.skew) < SKEW_JITTER_MS) return;
    this.skew = best;
    for (const listener of this.listeners) listener();
  }

  /** The relay's time now, from a local reading. */
  now(local: number = Date.now()): number {
    return local + this.skew;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  reset(): void {
    this.skew = 0;
    this.samples = [];
    for (const listener of this.listeners) listener();
  }
}

/** The page talks to one relay: one clock. */
export const relayClock = new RelayClock();

export function useClockSkew(clock: RelayClock = relayClock): number {
  return useSyncExternalStore(clock.subscribe, () => clock.skewMs);
}
