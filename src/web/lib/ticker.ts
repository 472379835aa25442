import { useSyncExternalStore } from 'react';
import { useClockSkew } from './relay-clock.ts';

/**
 * A shared once-a-second clock for countdowns and "3 s ago" labels. It never counts: each tick
 * reads `Date.now()`, and a tab coming back to the foreground (whose timers the browser
 * throttled) re-reads the clock at once, so a countdown is right the moment the tab wakes up.
 */
class Ticker {
  private current = Date.now();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.begin();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.end();
    };
  };

  getSnapshot = (): number => {
    // Idle (nobody subscribed): the stored time may be old; refresh it, at most once a second so
    // React sees the same value when it reads twice in one render.
    if (this.listeners.size === 0 && Date.now() - this.current >= 1000) this.current = Date.now();
    return this.current;
  };

  private readonly tick = () => {
    this.current = Date.now();
    for (const listener of this.listeners) listener();
    this.schedule();
  };

  private readonly wake = () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    this.tick();
  };

  private schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.tick, 1000 - (Date.now() % 1000));
  }

  private begin() {
    this.current = Date.now();
    document.addEventListener('visibilitychange', this.wake);
    addEventListener('pageshow', this.wake);
    this.schedule();
  }

  private end() {
    clearTimeout(this.timer);
    this.timer = undefined;
    document.removeEventListener('visibilitychange', this.wake);
    removeEventListener('pageshow', this.wake);
  }
}

const ticker = new Ticker();

/** Local time (epoch ms), refreshed every second and when the tab wakes up. */
export function useNow(): number {
  return useSyncExternalStore(ticker.subscribe, ticker.getSnapshot);
}

/** The relay's time (epoch ms): `useNow()` corrected by the measured clock skew. */
export function useRelayNow(): number {
  return useNow() + useClockSkew();
}
