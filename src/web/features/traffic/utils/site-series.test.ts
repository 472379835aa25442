import { describe, expect, it } from 'vitest';
import { buildSiteView } from './site-series.ts';

const outage = (from: number, to?: number) => ({
  id: `o${from}`,
  shard: 0,
  from: from * 1000,
  ...(to === undefined ? {} : { to: to * 1000 }),
  lateHits: 10,
  verdict: to === undefined ? 'open' : 'recovered',
  summary: 'recovered: 10 hits of the 1-minute gap arrived late',
});

describe('buildSiteView', () => {
  it('draws every second of the window, zeros included, and leaves the still-arriving ones out of the figures', () => {
    const seconds = [
      { t: 100, hits: 4 },
      { t: 101, hits: 6 },
      { t: 103, hits: 50 },
    ];
    const view = buildSiteView(seconds, [], { startT: 100, endT: 103, settlingS: 1 });
    expect(view.points).toEqual([
      { t: 100, site: 4 },
      { t: 101, site: 6 },
      { t: 102, site: 0 },
      { t: 103, site: 50 },
    ]);
    expect(view.total).toBe(60);
    expect(view.peak).toBe(6);
    expect(view.avg).toBeCloseTo(10 / 3);
  });

  it('averages buckets when the window is long, and keeps the outages that touch it', () => {
    const seconds = Array.from({ length: 3600 }, (_, i) => ({ t: 10_000 + i, hits: i % 2 }));
    const view = buildSiteView(seconds, [outage(5_000, 5_060), outage(12_000, 12_100), outage(13_500)], {
      startT: 10_000,
      endT: 13_599,
      settlingS: 60,
    });
    // At most one bucket more than the 600 points, for the alignment.
    expect(view.points.length).toBeLessThanOrEqual(601);
    expect(view.points[1]).toEqual({ t: 10_002, site: 0.5 });
    expect(view.outages.map((o) => o.id)).toEqual(['o12000', 'o13500']);
  });

  it('draws nothing before the relay told anything', () => {
    expect(buildSiteView([], [], { startT: 0, endT: 59, settlingS: 30 }).points).toEqual([]);
  });
});
