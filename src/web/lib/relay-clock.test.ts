import { describe, expect, it } from 'vitest';
import { RelayClock } from './relay-clock.ts';

describe('RelayClock', () => {
  it('keeps the least-delayed reading: a late-handled message never pulls the clock back', () => {
    const clock = new RelayClock();
    // The relay is 30 s ahead. A hello handled 40 ms after it was stamped...
    clock.observe(1_030_000, 1_000_040);
    expect(clock.skewMs).toBe(29_960);
    // ...then a status response handled 1.2 s late by a busy main thread.
    clock.observe(1_031_000, 1_002_200);
    expect(clock.skewMs).toBe(29_960);
    // A faster reading improves it.
    clock.observe(1_040_000, 1_010_000 - 300);
    expect(clock.skewMs).toBe(30_300);
  });

  it('follows a real clock change once old readings expire', () => {
    const clock = new RelayClock();
    clock.observe(1_000, 1_000);
    expect(clock.skewMs).toBe(0);
    // Ten minutes later the browser's clock was set 20 s forward.
    clock.observe(601_000, 621_000);
    expect(clock.skewMs).toBe(-20_000);
  });
});
