import { describe, expect, it } from 'vitest';
import { withTraffic } from './traffic-merge.ts';

describe('withTraffic', () => {
  const base = { seconds: [100, 101, 102].map((t) => ({ t, hits: 5 })), outages: [] };

  it('replaces a second a late hit changed, and extends the series to a newer one with zeros between', () => {
    const merged = withTraffic(
      base,
      {
        seconds: [
          { t: 101, hits: 9 },
          { t: 105, hits: 1 },
        ],
      },
      3600,
    )!;
    expect(merged.seconds).toEqual([
      { t: 100, hits: 5 },
      { t: 101, hits: 9 },
      { t: 102, hits: 5 },
      { t: 103, hits: 0 },
      { t: 104, hits: 0 },
      { t: 105, hits: 1 },
    ]);
    expect(merged.outages).toEqual([]);
  });

  it('keeps the window ending at the newest second, and takes the outages the event carries', () => {
    const outage = { id: 'o1', shard: 0, from: 1, to: 2, lateHits: 3, verdict: 'recovered', summary: 'recovered' };
    const merged = withTraffic(base, { seconds: [{ t: 103, hits: 2 }], outages: [outage] }, 3)!;
    expect(merged.seconds.map((s) => s.t)).toEqual([101, 102, 103]);
    expect(merged.outages).toEqual([outage]);
  });

  it('leaves an absent answer absent (the REST query fills it)', () => {
    expect(withTraffic(undefined, { seconds: [{ t: 1, hits: 1 }] }, 60)).toBeUndefined();
  });
});
