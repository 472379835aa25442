import { describe, expect, it } from 'vitest';
import { rankCounts, share } from './shares.ts';

describe('share', () => {
  it('is null for a share of nothing, not 0', () => {
    expect(share(0, 0)).toBeNull();
    expect(share(1, 4)).toBe(0.25);
  });
});

describe('rankCounts', () => {
  const counts = [
    { key: 'b', count: 5 },
    { key: 'a', count: 5 },
    { key: 'c', count: 10 },
    { key: 'd', count: 1 },
  ];

  it('sorts by count, then key, and keeps the first `limit`', () => {
    expect(rankCounts(counts, 20, 3).map((r) => r.key)).toEqual(['c', 'a', 'b']);
  });

  it('gives each row its share of the window and its length relative to the largest', () => {
    const [first, second] = rankCounts(counts, 20);
    expect(first).toEqual({ key: 'c', count: 10, share: 0.5, relative: 1 });
    expect(second?.relative).toBe(0.5);
  });

  it('does not mutate its input and handles an empty list', () => {
    rankCounts(counts, 20);
    expect(counts[0]?.key).toBe('b');
    expect(rankCounts([], 0)).toEqual([]);
  });
});
