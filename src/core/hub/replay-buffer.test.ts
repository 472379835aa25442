import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replay-buffer.ts';

const event = (first: number, last: number, at: number) => ({
  firstSeq: first,
  lastSeq: last,
  at,
  hits: last - first + 1,
  bytes: Buffer.from(`${first}-${last}`),
});

describe('ReplayBuffer', () => {
  it('replays what came after an id, and nothing when up to date', () => {
    const buffer = new ReplayBuffer();
    buffer.push(event(1, 10, 0), 0);
    buffer.push(event(11, 20, 200), 200);
    buffer.push(event(21, 25, 400), 400);
    expect(buffer.since(10, 25)).toEqual({ kind: 'replay', events: [Buffer.from('11-20'), Buffer.from('21-25')] });
    expect(buffer.since(25, 25)).toEqual({ kind: 'replay', events: [] });
    expect(buffer.since(0, 25).kind).toBe('replay');
  });

  it('keeps at least minAge and minHits, then forgets and says how much is missed', () => {
    const buffer = new ReplayBuffer({ minAgeMs: 60_000, minHits: 30 });
    for (let i = 0; i < 10; i++) buffer.push(event(i * 10 + 1, i * 10 + 10, i * 20_000), i * 20_000);
    // Age alone would let the first events go; the 30-hit floor keeps the last 3 events at least.
    expect(buffer.stats.hits).toBeGreaterThanOrEqual(30);
    const oldest = buffer.since(0, 100);
    expect(oldest.kind).toBe('too-old');
    expect(buffer.since(70, 100)).toEqual({
      kind: 'replay',
      events: [Buffer.from('71-80'), Buffer.from('81-90'), Buffer.from('91-100')],
    });
  });

  it('never holds more than maxBytes (keeping the newest event)', () => {
    const buffer = new ReplayBuffer({ maxBytes: 9, minAgeMs: 1e9, minHits: 1e9 });
    buffer.push(event(1, 5, 0), 0);
    buffer.push(event(6, 10, 0), 0);
    buffer.push(event(11, 15, 0), 0);
    expect(buffer.stats.bytes).toBeLessThanOrEqual(9);
    expect(buffer.since(5, 15)).toEqual({ kind: 'replay', events: [Buffer.from('6-10'), Buffer.from('11-15')] });
    expect(buffer.since(3, 15)).toEqual({ kind: 'too-old', missed: 2 });
  });

  it('says when the first event replayed also holds hits up to the id (an id cut by another relay)', () => {
    const buffer = new ReplayBuffer();
    buffer.push(event(1, 10, 0), 0);
    buffer.push(event(11, 20, 0), 0);
    expect(buffer.since(14, 20)).toEqual({
      kind: 'replay',
      events: [Buffer.from('11-20')],
      firstStraddles: true,
    });
    expect(buffer.since(10, 20)).toEqual({ kind: 'replay', events: [Buffer.from('11-20')] });
  });
});
