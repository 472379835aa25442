import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, systemClock } from './clock.ts';

describe('systemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds a delay beyond what setTimeout can (which fires those after 1 ms)', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const day = 86_400_000;
    systemClock.setTimeout(fired, 60 * day);
    vi.advanceTimersByTime(1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MAX_TIMER_MS + day);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60 * day - MAX_TIMER_MS - day - 2);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('clears a long timer at any step, and never fires an infinite one', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const handle = systemClock.setTimeout(fired, 2 * MAX_TIMER_MS + 5);
    vi.advanceTimersByTime(MAX_TIMER_MS + 10);
    systemClock.clearTimeout(handle);
    systemClock.setTimeout(fired, Number.POSITIVE_INFINITY);
    vi.advanceTimersByTime(3 * MAX_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
  });
});
