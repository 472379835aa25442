import { describe, expect, it } from 'vitest';
import type { Top } from '../../../../contract/index.ts';
import { isTrafficWindow, pickTop, tickStep, timeTicks } from './windows.ts';

const top = (window: number): Top => ({
  window,
  at: 0,
  hits: 0,
  pages: [],
  countries: [],
  browsers: [],
  devices: [],
  events: [],
  revenue: 0,
  bots: 0,
  errorPages: [],
});

describe('windows', () => {
  it('knows the panel windows', () => {
    expect(isTrafficWindow(900)).toBe(true);
    expect(isTrafficWindow(60)).toBe(false);
  });

  it('picks the top lists of exactly the chosen window', () => {
    const tops = [top(60), top(300), top(900)];
    expect(pickTop(tops, 300)?.window).toBe(300);
    expect(pickTop(tops, 3600)).toBeUndefined();
    expect(pickTop(undefined, 300)).toBeUndefined();
  });

  it('puts ticks on whole minutes, wider for longer windows', () => {
    expect(timeTicks(1000, 1299)).toEqual([1020, 1080, 1140, 1200, 1260]);
    expect(timeTicks(0, 900)).toEqual([0, 180, 360, 540, 720, 900]);
    expect(timeTicks(1, 3600)).toHaveLength(6);
  });

  it('puts ticks closer for the short span of a relay that just started', () => {
    expect(tickStep(45)).toBe(15);
    expect(timeTicks(1000, 1044)).toEqual([1005, 1020, 1035]);
    expect(timeTicks(1000, 1119)).toEqual([1020, 1050, 1080, 1110]);
    expect(tickStep(1200)).toBe(300);
  });
});
