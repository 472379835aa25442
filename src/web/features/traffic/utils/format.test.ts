import { describe, expect, it } from 'vitest';
import { formatClock, formatCount, formatDuration, formatMoney, formatRate } from '../../../lib/format.ts';
import { formatLagTick, formatMs, formatPercent, formatStep, formatTick, formatWindow, lagAxisUnit } from './format.ts';

describe('format', () => {
  it('writes local clock times as hh:mm:ss and ticks as hh:mm, 24-hour', () => {
    const at = new Date(2024, 0, 2, 9, 5, 3).getTime();
    expect(formatClock(at)).toBe('09:05:03');
    expect(formatClock(new Date(2024, 0, 2, 23, 59, 59).getTime())).toBe('23:59:59');
    expect(formatTick(at / 1000)).toBe('09:05');
  });

  it('writes ticks in the chosen zone, with seconds when ticks are under a minute apart', () => {
    const at = Date.UTC(2024, 0, 2, 9, 5, 30) / 1000;
    expect(formatTick(at, 'utc')).toBe('09:05');
    expect(formatTick(at, 'America/New_York')).toBe('04:05');
    expect(formatTick(at, 'utc', 15)).toBe('09:05:30');
  });

  it('groups counts and rounds rates to one decimal below 10', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatRate(4.56)).toBe('4.6');
    expect(formatRate(1234.4)).toBe('1,234');
  });

  it('writes lag in ms, and in seconds from 10 s', () => {
    expect(formatMs(850)).toBe('850 ms');
    expect(formatMs(9999)).toBe('9,999 ms');
    expect(formatMs(12_340)).toBe('12.3 s');
  });

  it('writes a lag axis in one unit, chosen from its largest value', () => {
    // The axis that read "0ms, 75s, 150s": seconds for every tick.
    const unit = lagAxisUnit(238_500);
    expect(unit).toBe('s');
    expect([0, 75_000, 150_000, 225_000, 300_000].map((v) => formatLagTick(v, unit))).toEqual([
      '0 s',
      '75 s',
      '150 s',
      '225 s',
      '300 s',
    ]);
    expect([0, 250, 500, 1500, 2500].map((v) => formatLagTick(v, 's'))).toEqual([
      '0 s',
      '0.25 s',
      '0.5 s',
      '1.5 s',
      '2.5 s',
    ]);
    // Below a second everywhere: milliseconds, also for a round tick above the data.
    expect(lagAxisUnit(850)).toBe('ms');
    expect([0, 250, 1000].map((v) => formatLagTick(v, 'ms'))).toEqual(['0 ms', '250 ms', '1,000 ms']);
    expect(lagAxisUnit(null)).toBe('ms');
  });

  it('writes shares, money, windows and durations', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatMoney(1234.5)).toBe('1,234.50');
    expect(formatWindow(300)).toBe('5 min');
    expect(formatWindow(900)).toBe('15 min');
    expect(formatWindow(3600)).toBe('1 h');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatDuration(200)).toBe('3 min 20 s');
  });

  it('writes long windows in days, and what one point of a chart is', () => {
    expect(formatWindow(21_600)).toBe('6 h');
    expect(formatWindow(86_400)).toBe('24 h');
    expect(formatWindow(604_800)).toBe('7 d');
    expect(formatWindow(2_592_000)).toBe('30 d');
    expect(formatStep(2)).toBe('1 point = 2 s');
    expect(formatStep(120)).toBe('1 point = 2 min');
    expect(formatStep(3600)).toBe('1 point = 1 h');
    expect(formatStep(10_800)).toBe('1 point = 3 h');
    expect(formatStep(86_400)).toBe('1 point = 1 d');
  });

  it('writes day ticks as dates, and midnight among hour ticks as its date', () => {
    const midnight = Date.UTC(2026, 10, 28) / 1000;
    expect(formatTick(midnight, 'utc', 86_400)).toBe('28 Nov');
    expect(formatTick(midnight, 'utc', 3 * 3600)).toBe('28 Nov');
    expect(formatTick(midnight + 3 * 3600, 'utc', 3 * 3600)).toBe('03:00');
    expect(formatTick(midnight + 600, 'utc', 600)).toBe('00:10');
  });
});
