import { describe, expect, it } from 'vitest';
import type { HitSummary } from '../../contract/index.ts';
import { StatsCollector } from './stats.ts';

const T = 1_800_000_000;
const hit = (over: Partial<HitSummary>): HitSummary => ({
  seq: 1,
  hitId: 'a-b',
  shard: 0,
  arrivedAt: T * 1000,
  ...over,
});

describe('StatsCollector', () => {
  it('closes each second with counts, lag percentiles, per-shard hits and outage', () => {
    const stats = new StatsCollector(2);
    stats.streaming();
    for (let i = 0; i < 100; i++) {
      stats.hit(
        hit({
          shard: i % 2,
          receivedTimeGMT: T - 30,
          arrivedAt: T * 1000 + i * 10,
          bot: i < 5,
          isErrorPage: i === 7,
          revenue: i === 9 ? 12.5 : undefined,
        }),
      );
    }
    stats.duplicate();
    stats.malformed();
    stats.bytes(4096);
    const second = stats.tick(T, 3, false);
    expect(second).toMatchObject({
      t: T,
      hits: 100,
      duplicates: 1,
      malformed: 1,
      bytes: 4096,
      clients: 3,
      byShard: [50, 50],
      outage: false,
      bots: 5,
      errorPages: 1,
      revenue: 12.5,
    });
    expect(second.lagP50Ms).toBe(30_490);
    expect(second.lagP95Ms).toBe(30_940);
    stats.down();
    const quiet = stats.tick(T + 1, 3, false);
    expect(quiet).toMatchObject({ hits: 0, outage: true });
    expect(quiet.lagP50Ms).toBeUndefined();
    expect(stats.series(3600).map((s) => s.t)).toEqual([T, T + 1]);
    expect(stats.series(1).map((s) => s.t)).toEqual([T + 1]);
  });

  it('keeps a quiet but connected second apart from an outage', () => {
    const stats = new StatsCollector(1);
    stats.streaming();
    expect(stats.tick(T, 0, true).outage).toBe(false);
    expect(stats.tick(T + 1, 0, true).outage).toBe(false);
    // Before the first connection succeeds the relay is starting, not in an outage.
    const starting = new StatsCollector(1);
    expect(starting.tick(T, 0, false, false).outage).toBe(false);
  });

  it('slides top lists over their windows', () => {
    const stats = new StatsCollector(1);
    stats.hit(hit({ pageName: 'home', geoCountry: 'fra', events: ['purchase'], revenue: 10 }));
    stats.hit(hit({ pageName: 'home', geoCountry: 'usa' }));
    stats.tick(T, 0, true);
    for (let i = 1; i <= 60; i++) {
      stats.hit(hit({ pageName: 'cart', geoCountry: 'usa' }));
      stats.tick(T + i, 0, true);
    }
    const minute = stats.top(60, 0)!;
    expect(minute.pages).toEqual([{ key: 'cart', count: 60 }]);
    expect(minute.revenue).toBe(0);
    const five = stats.top(300, 0)!;
    expect(five.pages).toEqual([
      { key: 'cart', count: 60 },
      { key: 'home', count: 2 },
    ]);
    expect(five.countries[0]).toEqual({ key: 'usa', count: 61 });
    expect(five.events).toEqual([{ key: 'purchase', count: 1 }]);
    expect(five.revenue).toBe(10);
    expect(stats.top(42, 0)).toBeUndefined();
  });
});
