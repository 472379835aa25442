import { describe, expect, it } from 'vitest';
import { createRandom, hashText } from './random.ts';

describe('createRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRandom(seed).uint32);
    const a = createRandom(7);
    const b = createRandom(7);
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('keeps values in range', () => {
    const random = createRandom(3);
    for (let i = 0; i < 2000; i++) {
      const x = random.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const n = random.int(2, 5);
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(5);
      const big = random.uint64();
      expect(big >= 1n << 53n && big < 1n << 64n).toBe(true);
    }
  });

  it('draws weighted items in proportion', () => {
    const random = createRandom(11);
    let heavy = 0;
    for (let i = 0; i < 10_000; i++)
      if (
        random.weighted([
          ['a', 9],
          ['b', 1],
        ] as const) === 'a'
      )
        heavy++;
    expect(heavy / 10_000).toBeGreaterThan(0.87);
    expect(heavy / 10_000).toBeLessThan(0.93);
  });

  it('hashes text stably', () => {
    expect(hashText('abc')).toBe(hashText('abc'));
    expect(hashText('abc')).not.toBe(hashText('abd'));
    expect(Number.isInteger(hashText('x')) && hashText('x') >= 0 && hashText('x') < 2 ** 32).toBe(true);
  });
});
