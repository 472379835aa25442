import { describe, expect, it } from 'vitest';
import { oneInN, sampledLabel } from './sampling.ts';

describe('oneInN', () => {
  it('is undefined while the feed is not sampled', () => {
    expect(oneInN(undefined)).toBeUndefined();
    expect(oneInN({ kept: 0, total: 0 })).toBeUndefined();
    expect(oneInN({ kept: 500, total: 500 })).toBeUndefined();
  });

  it('is round(total / kept)', () => {
    expect(oneInN({ kept: 1000, total: 12_000 })).toBe(12);
    expect(oneInN({ kept: 83, total: 1000 })).toBe(12);
    expect(oneInN({ kept: 1000, total: 2400 })).toBe(2);
  });

  it('survives kept = 0', () => {
    expect(oneInN({ kept: 0, total: 300 })).toBe(300);
  });
});

describe('sampledLabel', () => {
  it('says "1 in N shown"', () => {
    expect(sampledLabel({ kept: 1000, total: 12_000 })).toBe('1 in 12 shown');
  });

  it('falls back to a percentage when N rounds to 1', () => {
    expect(sampledLabel({ kept: 900, total: 1000 })).toBe('90% shown');
  });

  it('is undefined when every hit is kept', () => {
    expect(sampledLabel({ kept: 10, total: 10 })).toBeUndefined();
  });
});
