import { describe, expect, it } from 'vitest';
import type { HitSummary } from '../../contract/index.ts';
import { FeedBatcher } from './feed.ts';

const hit = (seq: number): HitSummary => ({ seq, hitId: `${seq}-1`, shard: 0, arrivedAt: seq });

describe('FeedBatcher', () => {
  it('lets every hit through at or below the limit, bursts included', () => {
    const feed = new FeedBatcher(1000, 0);
    let seq = 0;
    const sent: number[] = [];
    // 900 hits/s, arriving unevenly: 400 in one 200 ms window, then 50s.
    for (let t = 200; t <= 10_000; t += 200) {
      const n = t % 1000 === 200 ? 400 : t % 1000 === 0 ? 350 : 50;
      for (let i = 0; i < n; i++) feed.push(hit(++seq));
      const batch = feed.take(t)!;
      expect(batch.sampled).toBeUndefined();
      sent.push(...batch.hits.map((h) => h.seq));
    }
    expect(sent).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
  });

  it('samples evenly above the limit and says so, covering the whole seq range', () => {
    const feed = new FeedBatcher(1000, 0);
    let seq = 0;
    let kept = 0;
    let total = 0;
    for (let t = 200; t <= 10_000; t += 200) {
      for (let i = 0; i < 1000; i++) feed.push(hit(++seq)); // 5,000 hits/s
      const batch = feed.take(t)!;
      expect(batch.lastSeq - batch.firstSeq + 1).toBe(1000);
      if (batch.sampled) {
        expect(batch.sampled.total).toBe(1000);
        expect(batch.hits).toHaveLength(batch.sampled.kept);
      }
      kept += batch.hits.length;
      total += 1000;
    }
    // About the limit reaches the browser: 1,000/s plus the initial one-second allowance.
    expect(kept).toBeGreaterThan(9_000);
    expect(kept).toBeLessThanOrEqual(11_000);
    expect(total).toBe(50_000);
  });

  it('returns nothing when nothing arrived', () => {
    expect(new FeedBatcher(10, 0).take(200)).toBeUndefined();
  });
});

describe('FeedBatcher memory', () => {
  it('holds a bounded number of summaries however fast hits come, and still covers the whole range', () => {
    const feed = new FeedBatcher(100, 0);
    for (let seq = 1; seq <= 100_000; seq++) feed.push(hit(seq));
    expect(feed.size).toBe(100_000);
    const batch = feed.take(200)!;
    expect(batch).toMatchObject({ firstSeq: 1, lastSeq: 100_000, sampled: { kept: 100, total: 100_000 } });
    const seqs = batch.hits.map((h) => h.seq);
    expect(seqs[0]).toBe(1);
    expect(seqs.at(-1)!).toBeGreaterThan(98_000);
    // Evenly spread: no two kept hits more than a few strides apart.
    const gaps = seqs.slice(1).map((s, i) => s - seqs[i]!);
    expect(Math.max(...gaps)).toBeLessThan(3 * Math.min(...gaps));
  });
});
