import { describe, expect, it, vi } from 'vitest';
import {
  currencyCode,
  formatAgo,
  formatCountdown,
  formatDuration,
  formatIsoUtc,
  formatMoney,
  formatMoneyCompact,
  formatRate,
} from './format.ts';

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

  it('writes revenue compact with its currency, so an axis above 1M is not clipped to ",800,000"', () => {
    expect([0, 800, 15_000, 800_000, 1_800_000, 12_500_000].map((n) => formatMoneyCompact(n, 'USD'))).toEqual([
      '$0',
      '$800',
      '$15K',
      '$800K',
      '$1.8M',
      '$12.5M',
    ]);
    expect(formatMoneyCompact(12_500, 'eur')).toBe('€12.5K');
    expect(formatMoneyCompact(1_800_000, 'CHF')).toBe('CHF\u00a01.8M');
    // Currency unknown: compact all the same, no symbol.
    expect(formatMoneyCompact(1_800_000)).toBe('1.8M');
  });

  it('writes amounts with their currency when known', () => {
    expect(formatMoney(1234.5, 'USD')).toBe('$1,234.50');
    // A currency without a minor unit is written without decimals.
    expect(formatMoney(1500, 'jpy')).toBe('¥1,500');
    expect(formatMoney(4_836_900, 'KRW')).toBe('₩4,836,900');
    expect(formatMoney(1234.5)).toBe('1,234.50');
    expect(formatMoney(1234.5, 'dollars')).toBe('1,234.50');
    expect(currencyCode(' usd ')).toBe('USD');
    expect(currencyCode('US')).toBeUndefined();
  });

  it('asks Intl about a currency code once, however many amounts are in it', () => {
    const built = vi.spyOn(Intl, 'NumberFormat');
    for (let i = 0; i < 100; i++) expect(currencyCode(i % 2 ? 'nok' : 'NOK')).toBe('NOK');
    expect(built).toHaveBeenCalledTimes(1);
    expect(currencyCode('C1F')).toBeUndefined();
  });
});
