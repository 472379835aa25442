/**
 * Time, injected. The supervisor and the hub read the clock and schedule through this, so tests
 * run a 60-second cooldown in microseconds with a manual clock.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

export type TimerHandle = { readonly __timer: unique symbol } | ReturnType<typeof setTimeout>;

/**
 * The longest delay `setTimeout` holds (2^31 − 1 ms, about 24.8 days); a longer one fires after
 * 1 ms, which for a reconnect wait means churn.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer that may run longer than `MAX_TIMER_MS`: re-armed in steps until its moment comes. */
interface LongTimer {
  current: ReturnType<typeof setTimeout> | undefined;
}

function armLong(timer: LongTimer, fn: () => void, dueAt: number): void {
  const remaining = dueAt - Date.now();
  if (remaining > MAX_TIMER_MS) {
    timer.current = setTimeout(() => armLong(timer, fn, dueAt), MAX_TIMER_MS);
  } else {
    timer.current = setTimeout(fn, Math.max(0, remaining));
  }
  timer.current.unref?.();
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    // NaN and negative delays fire at once, as Node would; Infinity never fires.
    const delay = Number.isNaN(ms) ? 0 : Math.max(0, ms);
    if (delay <= MAX_TIMER_MS) {
      const handle = setTimeout(fn, delay);
      handle.unref?.();
      return handle;
    }
    const timer: LongTimer = { current: undefined };
    if (Number.isFinite(delay)) armLong(timer, fn, Date.now() + delay);
    return timer as unknown as TimerHandle;
  },
  clearTimeout: (handle) => {
    if (handle === undefined) return;
    const long = handle as unknown as LongTimer;
    if (typeof long === 'object' && 'current' in long) {
      if (long.current !== undefined) clearTimeout(long.current);
      long.current = undefined;
      return;
    }
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

interface ManualTimer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A clock that only moves when told. `advance(ms)` fires due timers in time order, letting
 * promise callbacks settle between them so async state machines progress as they would.
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: ManualTimer[] = [];
  private nextId = 1;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    this.timers = this.timers.filter((timer) => timer.id !== (handle as unknown as number));
  }

  /** Pending timers, soonest first (for assertions). */
  pending(): number[] {
    return this.timers.map((timer) => timer.at).sort((a, b) => a - b);
  }

  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
      await settle();
    }
    this.current = target;
    await settle();
  }
}

/** Lets queued promise callbacks (and one macrotask turn) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
