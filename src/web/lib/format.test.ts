import { describe, expect, it } from 'vitest';
import { formatAgo, formatCountdown, formatDuration, formatIsoUtc, formatRate } from './format.ts';

describe('format', () => {
  it('formats countdowns as seconds up to a minute, then m:ss and h:mm:ss', () => {
    expect([0, -5, 1, 999, 42_000, 60_000, 61_000, 125_000, 3_723_000].map(formatCountdown)).toEqual([
      '0 s',
      '0 s',
      '1 s',
      '1 s',
      '42 s',
      '60 s',
      '1:01',
      '2:05',
      '1:02:03',
    ]);
  });

  it('formats durations in words', () => {
    expect([5, 60, 90, 300, 330, 3600, 3900].map(formatDuration)).toEqual([
      '5 s',
      '60 s',
      '1 min 30 s',
      '5 min',
      '5 min 30 s',
      '1 h',
      '1 h 5 min',
    ]);
  });

  it('formats elapsed time, ISO UTC and rates', () => {
    expect([500, 12_000, 180_000, 7_200_000].map(formatAgo)).toEqual(['just now', '12 s ago', '3 min ago', '2 h ago']);
    expect(formatIsoUtc(Date.UTC(2025, 0, 15, 12))).toBe('2025-01-15T12:00:00.000Z');
    expect([0.44, 7.56, 1234.4].map(formatRate)).toEqual(['0.4', '7.6', '1,234']);
  });
});
