import { describe, expect, it } from 'vitest';
import { HitStore } from './hit-store.ts';

const hit = (seq: number) => {
  const bytes = Buffer.from(`xx{"seq":${seq}}yy`);
  return { bytes, start: 2, end: bytes.length - 2, shard: 0, seq, arrivedAt: seq };
};

describe('HitStore', () => {
  it('keeps the most recent hits up to its capacity, oldest out first', () => {
    const store = new HitStore(3);
    for (let i = 1; i <= 5; i++) store.add(`h${i}`, hit(i));
    expect(store.size).toBe(3);
    expect(store.get('h1')).toBeUndefined();
    expect(store.get('h2')).toBeUndefined();
    expect(store.get('h5')?.seq).toBe(5);
    store.add('h5', hit(6));
    expect(store.size).toBe(3);
    expect(store.get('h3')?.seq).toBe(3);
    expect(store.get('h5')?.seq).toBe(6);
    expect(store.get('h5')?.line).toBe('{"seq":6}');
  });
});
