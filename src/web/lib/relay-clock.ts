import { useSyncExternalStore } from 'react';

/** Skew changes smaller than this are network jitter, not a clock change: ignored to spare renders. */
const SKEW_JITTER_MS = 250;

/**
 * The relay's clock as seen from this browser. Every `hello` and every `GET /api/status` carries
 * `relay.now`; `skew = relay.now − local time at receipt`. Countdowns compare the relay's
 * `retryAt` with `Date.now() + skew`, so a browser whose clock is minutes off still counts right.
 */
export class RelayClock {
  private skew = 0;
  private observed = false;
  private readonly listeners = new Set<() => void>();

  /** Skew in ms (relay − local); 0 until the relay has said what time it is. */
  get skewMs(): number {
    return this.skew;
  }

  observe(relayNow: number, receivedAt: number): void {
    const skew = relayNow - receivedAt;
    if (this.observed && Math.abs(skew - this.skew) < SKEW_JITTER_MS) return;
    this.observed = true;
    this.skew = skew;
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
    this.observed = false;
    for (const listener of this.listeners) listener();
  }
}

/** The page talks to one relay: one clock. */
export const relayClock = new RelayClock();

export function useClockSkew(clock: RelayClock = relayClock): number {
  return useSyncExternalStore(clock.subscribe, () => clock.skewMs);
}
