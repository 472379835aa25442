import { describe, expect, it } from 'vitest';
import { describeGaps, describeHits, describeLag, describeQuality, describeRevenue, GAP_LABEL } from './describe.ts';
import type { TrafficSummary } from './series.ts';

const summary: TrafficSummary = {
  dataSeconds: 300,
  gapSeconds: 0,
  totalHits: 30_000,
  hitsNow: 120,
  hitsAvg: 100,
  hitsPeak: 250,
  shardTotals: [20_000, 10_000],
  lagP50: 800,
  lagP95: 12_500,
  botShare: 0.05,
  errorPages: 30,
  errorShare: 0.001,
  revenue: 1234.5,
};

describe('describe', () => {
  it('labels gaps with the reconnect wait and their local times', () => {
    const from = new Date(2024, 0, 1, 12, 1, 0).getTime() / 1000;
    expect(GAP_LABEL).toBe('no data: reconnect wait');
    expect(describeGaps([{ from, to: from + 79, kind: 'outage' }])).toBe(
      'No data: reconnect wait, 12:01:00–12:02:19 (1 min 20 s).',
    );
    expect(describeGaps([])).toBeUndefined();
  });

  it('says the current, average and peak rate, and the shards', () => {
    expect(describeHits(summary, 300)).toBe(
      'Now 120 hits/s; average 100, peak 250 over the last 5 min (30,000 hits). By shard: shard 0: 20,000, shard 1: 10,000.',
    );
    expect(describeHits({ ...summary, hitsNow: null }, 900)).toBe('No traffic data in the last 15 min.');
  });

  it('says lag, bots, error pages and revenue', () => {
    expect(describeLag(summary)).toBe('Lag now: p50 800 ms, p95 12.5 s.');
    expect(describeLag({ ...summary, lagP50: null, lagP95: null })).toBe('No lag measured.');
    expect(describeQuality(summary)).toBe('Bots 5% of hits; error pages 30 (0.1%).');
    expect(describeRevenue(summary, undefined, 3600)).toBe('Revenue 1,234.50 in the last 1 h.');
  });
});
