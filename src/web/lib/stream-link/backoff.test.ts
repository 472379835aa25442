import { describe, expect, it } from 'vitest';
import { backoffDelay, MAX_BACKOFF_MS } from './backoff.ts';

describe('link backoff', () => {
  const mid = () => 0.5;

  it('doubles from the relay retry hint and caps at 30 s', () => {
    const schedule = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, 1000, mid));
    expect(schedule).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('starts from the retry: hint the relay sent', () => {
    expect(backoffDelay(1, 3000, mid)).toBe(3000);
    expect(backoffDelay(2, 3000, mid)).toBe(6000);
  });

  it('jitters ±20 % but never below the hint nor above the cap', () => {
    expect(backoffDelay(3, 1000, () => 0)).toBe(3200);
    expect(backoffDelay(3, 1000, () => 1)).toBe(4800);
    expect(backoffDelay(1, 1000, () => 0)).toBe(1000);
    expect(backoffDelay(10, 1000, () => 1)).toBe(MAX_BACKOFF_MS);
  });

  it('honours a hint longer than the cap', () => {
    expect(backoffDelay(5, 45_000, mid)).toBe(45_000);
  });
});
