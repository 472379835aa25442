import { describe, expect, it } from 'vitest';
import {
  describeGaps,
  describeHits,
  describeLag,
  describeQuality,
  describeAxisStart,
  describeRevenue,
  describeSpan,
  gapLabel,
} from './describe.ts';
import type { TrafficSummary } from './series.ts';

const summary: TrafficSummary = {
  dataSeconds: 300,
  gapSeconds: 0,
  totalHits: 30_000,
  hitsNow: 120,
  currentGap: null,
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
  it('labels each gap with its cause and its times in the chosen zone, naming it', () => {
    const from = Date.UTC(2024, 0, 1, 12, 1, 0) / 1000;
    expect(gapLabel({ kind: 'outage', state: 'waiting' })).toBe('no data: reconnect wait');
    expect(gapLabel({ kind: 'outage', state: 'failed' })).toBe('no data: shard failed');
    expect(gapLabel({ kind: 'outage', state: 'stalled' })).toBe('no data: stream stalled');
    expect(gapLabel({ kind: 'outage', state: 'draining' })).toBe('no data: draining');
    expect(gapLabel({ kind: 'outage' })).toBe('no data: no shard streaming');
    expect(gapLabel({ kind: 'missing' })).toBe('no data: relay unreachable');
    expect(describeGaps([{ from, to: from + 79, kind: 'outage', state: 'waiting' }], 'utc')).toBe(
      'No data: reconnect wait 12:01:00–12:02:19 UTC (1 min 20 s).',
    );
    expect(
      describeGaps(
        [
          { from, to: from + 239, kind: 'outage', state: 'failed' },
          { from: from + 240, to: from + 299, kind: 'outage', state: 'waiting' },
        ],
        'America/New_York',
      ),
    ).toBe('No data: shard failed 07:01:00–07:04:59 EST (4 min); reconnect wait 07:05:00–07:05:59 EST (60 s).');
    expect(describeGaps([])).toBeUndefined();
  });

  it('says when the charts start at the relay’s start, and what the figures cover then', () => {
    const startedAt = Date.UTC(2024, 0, 1, 12, 0, 5);
    expect(describeAxisStart('relay-start', startedAt, 185, 900, 'utc')).toBe(
      'The relay started 3 min ago, at 12:00:05 UTC: the charts start there, not 15 min back.',
    );
    expect(describeAxisStart('relay-start', startedAt, 42, 900, 'utc')).toContain('started 42 s ago');
    expect(describeAxisStart('first-data', startedAt, 600, 900, 'utc')).toBe(
      'The stats start 10 min ago, at 12:00:05 UTC: the charts start there, not 15 min back.',
    );
    expect(describeSpan(900)).toBe('the last 15 min');
    expect(describeSpan(900, 900)).toBe('the last 15 min');
    expect(describeSpan(900, 185)).toBe('the 3 min since the relay started');
    expect(describeSpan(900, 600, 'first-data')).toBe('the 10 min with stats');
    expect(describeHits(summary, 900, 75)).toMatch(/ over the 1 min 15 s since the relay started \(30,000 hits\)\./);
  });

  it('says the current, average and peak rate, and the shards', () => {
    expect(describeHits(summary, 300)).toBe(
      'Now 120 hits/s; average 100, peak 250 over the last 5 min (30,000 hits). By shard: shard 0: 20,000, shard 1: 10,000.',
    );
    expect(describeHits({ ...summary, hitsNow: null }, 900)).toBe('No traffic data in the last 15 min.');
  });

  it('never says a rate "now" while the stream has no data: it says since when and why', () => {
    const from = Date.UTC(2024, 0, 1, 12, 1, 0) / 1000;
    const failed = {
      ...summary,
      hitsNow: null,
      lagP50: null,
      lagP95: null,
      currentGap: { from, to: from + 239, kind: 'outage' as const, state: 'failed' },
    };
    expect(describeHits(failed, 900, undefined, undefined, 'utc')).toBe(
      'No data now: shard failed since 12:01:00 UTC (4 min); average 100, peak 250 over the last 15 min (30,000 hits). By shard: shard 0: 20,000, shard 1: 10,000.',
    );
    expect(describeHits({ ...failed, dataSeconds: 0, shardTotals: [] }, 900, undefined, undefined, 'utc')).toBe(
      'No data now: shard failed since 12:01:00 UTC (4 min); no hits in the last 15 min.',
    );
    expect(describeLag(failed, 'utc')).toBe('No lag now: no hits since 12:01:00 UTC.');
  });

  it('says lag, bots, error pages and revenue', () => {
    expect(describeLag(summary)).toBe('Lag now: p50 800 ms, p95 12.5 s.');
    expect(describeLag({ ...summary, lagP50: null, lagP95: null })).toBe('No lag measured.');
    expect(describeQuality(summary)).toBe('Bots 5% of hits; error pages 30 (0.1%).');
    expect(describeRevenue(summary, undefined, 3600)).toBe('Revenue 1,234.50 in the last 1 h.');
    const top = {
      window: 3600,
      at: 0,
      hits: 10,
      pages: [],
      countries: [],
      browsers: [],
      devices: [],
      events: [],
      revenue: 99.5,
      bots: 0,
      errorPages: [],
      currency: 'EUR',
      revenueByCurrency: { EUR: 99.5, USD: 12, JPY: 1500 },
    };
    expect(describeRevenue(summary, top, 3600, 'EUR')).toBe(
      'Revenue €99.50, 0 events in the last 1 h. Also sales in 2 other currencies (USD, JPY): see Stream quality.',
    );
    expect(describeRevenue(summary, undefined, 3600, 'USD')).toBe('Revenue $1,234.50 in the last 1 h.');
  });
});
