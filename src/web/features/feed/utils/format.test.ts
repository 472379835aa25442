import { describe, expect, it } from 'vitest';
import { formatAgent, formatClock, formatCount, formatMoney, formatPlace, sampledLabel } from './format.ts';

describe('feed format', () => {
  it('writes times, counts and money', () => {
    expect(formatClock(new Date(2024, 0, 1, 7, 8, 9).getTime())).toBe('07:08:09');
    expect(formatCount(1234)).toBe('1,234');
    expect(formatMoney(3)).toBe('3.00');
  });

  it('joins place and agent from what is present', () => {
    expect(formatPlace('Paris', 'FR')).toBe('Paris, FR');
    expect(formatPlace(undefined, 'FR')).toBe('FR');
    expect(formatAgent('Chrome', undefined)).toBe('Chrome');
    expect(formatAgent(undefined, undefined)).toBe('');
  });

  it('says "1 in N shown" only while sampled', () => {
    expect(sampledLabel({ kept: 250, total: 1000 })).toBe('1 in 4 shown');
    expect(sampledLabel({ kept: 950, total: 1000 })).toBe('95% shown');
    expect(sampledLabel({ kept: 1000, total: 1000 })).toBeUndefined();
    expect(sampledLabel(undefined)).toBeUndefined();
  });
});
