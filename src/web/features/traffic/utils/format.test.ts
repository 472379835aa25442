import { describe, expect, it } from 'vitest';
import { formatClock, formatCount, formatDuration, formatMoney, formatRate } from '../../../lib/format.ts';
import { formatMs, formatMsShort, formatPercent, formatTick, formatWindow } from './format.ts';

describe('format', () => {
  it('writes local clock times as hh:mm:ss and ticks as hh:mm, 24-hour', () => {
    const at = new Date(2024, 0, 2, 9, 5, 3).getTime();
    expect(formatClock(at)).toBe('09:05:03');
    expect(formatClock(new Date(2024, 0, 2, 23, 59, 59).getTime())).toBe('23:59:59');
    expect(formatTick(at / 1000)).toBe('09:05');
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
    expect(formatMsShort(850)).toBe('850ms');
    expect(formatMsShort(2500)).toBe('2.5s');
    expect(formatMsShort(12_400)).toBe('12s');
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
});
