import { describe, expect, it } from 'vitest';
import type { Top } from '../../../../contract/index.ts';
import {
  compareLabel,
  compareMissing,
  isLongWindow,
  isTrafficWindow,
  parseCompare,
  pickTop,
  tickStep,
  timeTicks,
  TRAFFIC_WINDOWS_S,
} from './windows.ts';

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
  it('knows the panel windows: live up to an hour, then from the history up to 30 days', () => {
    expect(TRAFFIC_WINDOWS_S).toEqual([300, 900, 3600, 21_600, 86_400, 604_800, 2_592_000]);
    expect(isTrafficWindow(900)).toBe(true);
    expect(isTrafficWindow(86_400)).toBe(true);
    expect(isTrafficWindow(60)).toBe(false);
    expect(isLongWindow(3600)).toBe(false);
    expect(isLongWindow(21_600)).toBe(true);
    expect(isLongWindow(2_592_000)).toBe(true);
  });

  it('reads "compare with" from the URL and says what it is', () => {
    expect(parseCompare('1d')).toBe('1d');
    expect(parseCompare('7d')).toBe('7d');
    expect(parseCompare('2d')).toBeUndefined();
    expect(parseCompare(null)).toBeUndefined();
    expect(compareLabel('1d')).toBe('Yesterday, same time');
    expect(compareLabel('7d')).toBe('Last week, same time');
    expect(compareMissing('1d')).toBe('No data for yesterday at this time.');
  });

  it('puts the ticks of long windows on whole hours and midnights of the zone', () => {
    const day = Date.UTC(2026, 10, 29) / 1000;
    expect(tickStep(6 * 3600)).toBe(3600);
    expect(tickStep(86_400)).toBe(3 * 3600);
    expect(tickStep(7 * 86_400)).toBe(86_400);
    expect(tickStep(30 * 86_400)).toBe(5 * 86_400);
    // 24 h from 22:10 UTC: every 3 hours, midnight among them.
    const ticks = timeTicks(day - 6600, day + 86_400 - 6601, 'utc');
    expect(ticks[0]).toBe(day);
    expect(ticks.every((t) => t % (3 * 3600) === 0)).toBe(true);
    expect(ticks).toHaveLength(8);
    // 7 days: one tick per UTC midnight.
    const week = timeTicks(day - 3600, day + 7 * 86_400 - 3601, 'utc');
    expect(week).toHaveLength(7);
    expect(week.every((t) => t % 86_400 === 0)).toBe(true);
    // 30 days: every fifth day, at midnight.
    const month = timeTicks(day - 30 * 86_400, day - 1, 'utc');
    expect(month.length).toBeGreaterThanOrEqual(5);
    expect(month.every((t) => t % 86_400 === 0)).toBe(true);
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

  it('takes fewer ticks on a phone-width plot for the long windows only', () => {
    expect(tickStep(900, true)).toBe(tickStep(900));
    expect(tickStep(86_400, true)).toBe(6 * 3600);
    expect(tickStep(7 * 86_400, true)).toBe(2 * 86_400);
    expect(tickStep(30 * 86_400, true)).toBe(10 * 86_400);
    const day = Date.UTC(2026, 10, 29) / 1000;
    expect(timeTicks(day - 6600, day + 86_400 - 6601, 'utc', true)).toEqual([
      day,
      day + 21_600,
      day + 43_200,
      day + 64_800,
    ]);
  });
});
