import { describe, expect, it } from 'vitest';
import { LIVE_WINDOW_S } from '../../contract/index.ts';
import { AdobeClock, RESUME_WINDOW_MS, SETTLE_MS } from './adobe-clock.ts';

const T0 = Date.UTC(2026, 10, 30, 12);

function setup() {
  let now = T0;
  const clock = new AdobeClock(() => now);
  return {
    clock,
    at: (ms: number) => (now = T0 + ms),
    nowS: () => Math.floor(now / 1000),
  };
}

describe("AdobeClock: the site's traffic on Adobe's clock", () => {
  it('counts a late hit in the second Adobe received it, and says which seconds changed', () => {
    const { clock, nowS } = setup();
    clock.hit(0, nowS() - 100);
    clock.hit(0, nowS() - 100);
    clock.hit(1, nowS() - 30);
    expect(clock.flush()?.seconds).toEqual([
      { t: nowS() - 100, hits: 2 },
      { t: nowS() - 30, hits: 1 },
    ]);
    expect(clock.flush()).toBeUndefined();
    clock.hit(0, nowS() - 100);
    // Absolute counts, never deltas: a missed event costs nothing.
    expect(clock.flush()?.seconds).toEqual([{ t: nowS() - 100, hits: 3 }]);
    const series = clock.series(120).seconds;
    expect(series).toHaveLength(120);
    expect(series.find((s) => s.t === nowS() - 100)?.hits).toBe(3);
    expect(series.at(-1)).toEqual({ t: nowS(), hits: 0 });
  });

  it('places no hit older than the hour it keeps, or far in the future, and forgets a second the ring reuses', () => {
    const { clock, at, nowS } = setup();
    clock.hit(0, nowS() - LIVE_WINDOW_S);
    clock.hit(0, nowS() + 3600);
    clock.hit(0, undefined);
    expect(clock.unplaced).toBe(2);
    clock.hit(0, nowS() - 10);
    at(LIVE_WINDOW_S * 1000);
    clock.hit(0, nowS() - 10);
    expect(clock.series(LIVE_WINDOW_S).seconds.filter((s) => s.hits > 0)).toEqual([{ t: nowS() - 10, hits: 1 }]);
  });

  it('a short outage: open, then recovering with the hits of the gap that came late, then recovered', () => {
    const { clock, at, nowS } = setup();
    clock.shardState(0, 'streaming');
    at(10_000);
    clock.shardState(0, 'stalled');
    at(40_000);
    clock.shardState(0, 'waiting');
    const open = clock.flush()!.outages!;
    // The outage starts when the stream went quiet, not when the relay gave up on it.
    expect(open).toEqual([expect.objectContaining({ shard: 0, from: T0 + 10_000, verdict: 'open', lateHits: 0 })]);
    expect(open[0]!.to).toBeUndefined();
    at(4 * 60_000 + 10_000);
    clock.shardState(0, 'connecting');
    clock.shardState(0, 'streaming');
    // The backlog: hits Adobe received during the gap; one received before it does not count.
    for (let s = 15; s < 240; s++) clock.hit(0, Math.floor((T0 + s * 1000) / 1000));
    clock.hit(0, Math.floor(T0 / 1000) - 60);
    clock.hit(0, nowS());
    clock.hit(1, Math.floor((T0 + 20_000) / 1000));
    const recovering = clock.flush()!.outages![0]!;
    expect(recovering).toMatchObject({ verdict: 'recovering', to: T0 + 250_000, lateHits: 225 });
    expect(recovering.summary).toBe('recovering: 225 hits of the 4-minute gap arrived late so far');
    at(250_000 + SETTLE_MS);
    clock.tick();
    const recovered = clock.flush()!.outages![0]!;
    expect(recovered.verdict).toBe('recovered');
    expect(recovered.summary).toBe('recovered: 225 hits of the 4-minute gap arrived late');
  });

  it('a resume after more than the few-minute window is probably lost', () => {
    const { clock, at } = setup();
    clock.shardState(2, 'streaming');
    clock.shardState(2, 'waiting');
    at(RESUME_WINDOW_MS + 60_000);
    clock.shardState(2, 'streaming');
    const [outage] = clock.flush()!.outages!;
    expect(outage).toMatchObject({ shard: 2, verdict: 'probably-lost' });
    expect(outage!.summary).toMatch(/^probably lost: resumed after more than Adobe's few-minute window \(6-minute gap/);
  });

  it('a failed shard is an open outage; outages that ended over an hour ago are let go', () => {
    const { clock, at } = setup();
    clock.shardState(0, 'failed');
    clock.shardState(1, 'waiting');
    at(30_000);
    clock.shardState(1, 'streaming');
    at(30_000 + SETTLE_MS);
    clock.tick();
    at(30_000 + LIVE_WINDOW_S * 1000 + 1000);
    const outages = clock.series(60).outages!;
    expect(outages).toHaveLength(1);
    expect(outages[0]).toMatchObject({ shard: 0, verdict: 'open' });
  });
});
