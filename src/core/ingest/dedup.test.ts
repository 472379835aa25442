import { describe, expect, it } from 'vitest';
import { Dedup } from './dedup.ts';

describe('Dedup', () => {
  it('drops an id seen before, and remembers it for at least `capacity` further distinct ids', () => {
    const dedup = new Dedup(3);
    expect(dedup.add('a')).toBe(true);
    expect(dedup.add('a')).toBe(false);
    for (const id of ['b', 'c', 'd']) expect(dedup.add(id)).toBe(true);
    // Three distinct ids later, 'a' is still known.
    expect(dedup.add('a')).toBe(false);
    expect(dedup.add('d')).toBe(false);
  });

  it('stays bounded: at most two generations of `capacity` ids', () => {
    const dedup = new Dedup(100);
    for (let i = 0; i < 10_000; i++) expect(dedup.add(`id-${i}`)).toBe(true);
    expect(dedup.size).toBeLessThanOrEqual(200);
    expect(dedup.add('id-9999')).toBe(false);
    expect(dedup.add('id-9900')).toBe(false);
    expect(dedup.add('id-0')).toBe(true);
  });
});
