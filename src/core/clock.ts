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

/** An opaque timer, whatever the host's `setTimeout` returns (a number in browsers, an object in Node). */
export type TimerHandle = { readonly __timer: unique symbol };

/**
 * The longest delay `setTimeout` holds (2^31 − 1 ms, about 24.8 days); a longer one fires after
 * 1 ms, which for a reconnect wait means churn.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

type NativeTimer = ReturnType<typeof setTimeout>;

/** Node's timers keep the process alive unless unref'd; the relay's must not. */
function unref(timer: NativeTimer): NativeTimer {
  const node = timer as { unref?: () => void } | null;
  if (typeof node === 'object' && node && typeof node.unref === 'function') node.unref();
  return timer;
}

/** A timer that may run longer than `MAX_TIMER_MS`: re-armed in steps until its moment comes. */
interface LongTimer {
  long: true;
  /** The step armed now; absent once cleared (or for a delay that never comes). */
  current?: NativeTimer;
}

function armLong(timer: LongTimer, fn: () => void, dueAt: number): void {
  const remaining = dueAt - Date.now();
  timer.current = unref(
    remaining > MAX_TIMER_MS
      ? setTimeout(() => armLong(timer, fn, dueAt), MAX_TIMER_MS)
      : setTimeout(fn, Math.max(0, remaining)),
  );
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    // NaN and negative delays fire at once, as Node would; Infinity never fires.
    const delay = Number.isNaN(ms) ? 0 : Math.max(0, ms);
    if (delay <= MAX_TIMER_MS) return { native: unref(setTimeout(fn, delay)) } as unknown as TimerHandle;
    const timer: LongTimer = { long: true };
    if (Number.isFinite(delay)) armLong(timer, fn, Date.now() + delay);
    return timer as unknown as TimerHandle;
  },
  clearTimeout: (handle) => {
    if (handle === undefined) return;
    const timer = handle as unknown as { native: NativeTimer } | LongTimer;
    if ('long' in timer) {
      if ('current' in timer) clearTimeout(timer.current);
      delete timer.current;
    } else clearTimeout(timer.native);
  },
};

interface ManualTimer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A clock that only moves when told. `advance(ms)` fires due timers in time order, letting
 * promise callbacks settle between them so async state machines progress as they would. Tests
 * use it to run a 60-second cooldown in microseconds; the mock host drives the relay core with
 * it, moving it to the browser's time.
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: ManualTimer[] = [];
  private nextId = 1;

  /** `settle`: lets pending promise callbacks run between timers. Default: microtask turns only. */
  constructor(
    start = Date.UTC(2026, 0, 1),
    private readonly settle: () => Promise<void> = settleMicrotasks,
  ) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), fn };
    this.timers.push(timer);
    return { id: timer.id } as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    const id = (handle as unknown as { id: number } | undefined)?.id;
    this.timers = this.timers.filter((timer) => timer.id !== id);
  }

  /** Pending timers, soonest first (for assertions). */
  pending(): number[] {
    return this.timers.map((timer) => timer.at).sort((a, b) => a - b);
  }

  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  /** Fires every timer due up to `target` (epoch ms), in time order; never moves back. */
  async advanceTo(target: number): Promise<void> {
    await this.settle();
    for (;;) {
      let due: ManualTimer | undefined;
      for (const timer of this.timers) {
        if (timer.at <= target && (!due || timer.at < due.at || (timer.at === due.at && timer.id < due.id)))
          due = timer;
      }
      if (!due) break;
      const fired = due;
      this.timers = this.timers.filter((timer) => timer !== fired);
      this.current = Math.max(this.current, fired.at);
      fired.fn();
      await this.settle();
    }
    this.current = Math.max(this.current, target);
    await this.settle();
  }
}

/** Lets queued promise callbacks run: enough microtask turns for the core's await chains. */
export async function settleMicrotasks(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

/** The tests' name for it. */
export const settle = settleMicrotasks;
