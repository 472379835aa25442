import { describe, expect, it } from 'vitest';
import { makeProblem, type Alert, type Shard } from '../../contract/index.ts';
import { AlertBook, MemoryAlertStore, type AlertStore } from './alert-book.ts';
import { AlertRules, DEFAULT_ALERT_RULES, LAG_CLEAR_MS, TRAFFIC_SETTLE_S, type AlertObservation } from './rules.ts';

const T0 = Date.UTC(2026, 10, 30, 12);

type ShardView = AlertObservation['shards'][number];
const shard = (n: number, state: Shard['state'], extra: Partial<ShardView> = {}): ShardView => ({
  shard: n,
  state,
  ...extra,
});

/** Rules on a store, observed second by second; `sent` is what they notified, in order. */
function harness(store: AlertStore = new MemoryAlertStore(), startedAt = T0) {
  let now = startedAt;
  const book = new AlertBook(store, () => now);
  const sent: Alert[] = [];
  const rules = new AlertRules(DEFAULT_ALERT_RULES, book, startedAt, (alert) => sent.push(alert));
  /** Hits per second on Adobe's clock, by second. */
  const traffic = new Map<number, number>();
  const tick = (shards: ShardView[], lagP95Ms?: number, seconds = 1) => {
    for (let i = 0; i < seconds; i++) {
      now += 1000;
      rules.evaluate({
        now,
        shards,
        ...(lagP95Ms === undefined ? {} : { lagP95Ms }),
        adobeHits: (fromS, toS) => {
          let sum = 0;
          for (let t = fromS; t < toS; t++) sum += traffic.get(t) ?? 0;
          return sum;
        },
      });
    }
  };
  /** `rate` hits/s on Adobe's clock for the next `seconds`, streaming all along. */
  const stream = (rate: number, seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      traffic.set(Math.floor(now / 1000) + 1, rate);
      tick([shard(0, 'streaming')]);
    }
  };
  return { book, sent, tick, stream, now: () => now };
}

describe('alert rules', () => {
  it('stream_down fires once after ALERT_DOWN_AFTER_S without a streaming shard, and resolves once', () => {
    const h = harness();
    h.tick([shard(0, 'waiting')], undefined, DEFAULT_ALERT_RULES.downAfterS - 1);
    expect(h.sent).toEqual([]);
    h.tick([shard(0, 'waiting')], undefined, 300);
    expect(h.sent.map((a) => [a.rule, a.state, a.severity])).toEqual([['stream_down', 'firing', 'critical']]);
    expect(h.sent[0]!.summary).toMatch(/no shard has been streaming for 2 min/);
    h.tick([shard(0, 'streaming')]);
    h.tick([shard(0, 'streaming')], undefined, 10);
    expect(h.sent.map((a) => [a.rule, a.state])).toEqual([
      ['stream_down', 'firing'],
      ['stream_down', 'resolved'],
    ]);
    expect(h.sent[1]!.id).toBe(h.sent[0]!.id);
    expect(h.sent[1]!.endsAt).toBe(h.now() - 10_000);
    expect(h.book.list().map((a) => a.state)).toEqual(['resolved']);
  });

  it('shard_failed fires at once for the failed shard only; one of two failing is not stream_down', () => {
    const h = harness();
    const problem = makeProblem({ code: 'untrusted_redirect', source: 'upstream', at: T0, shard: 1 });
    h.tick([shard(0, 'streaming'), shard(1, 'failed', { problem })], undefined, 600);
    expect(h.sent.map((a) => [a.rule, a.shard, a.state])).toEqual([['shard_failed', 1, 'firing']]);
    expect(h.sent[0]!.description).toContain('untrusted_redirect');
    // Connecting again is not over yet: only streaming is.
    h.tick([shard(0, 'streaming'), shard(1, 'connecting')]);
    expect(h.sent).toHaveLength(1);
    h.tick([shard(0, 'streaming'), shard(1, 'streaming')]);
    expect(h.sent.map((a) => a.state)).toEqual(['firing', 'resolved']);
  });

  it('lag_high needs p95 beyond the band for ALERT_LAG_FOR_S; a spike is not enough; a minute in the band resolves it', () => {
    const h = harness();
    const late = 6 * 60_000;
    h.tick([shard(0, 'streaming')], late, 200);
    h.tick([shard(0, 'streaming')], 40_000, 5);
    h.tick([shard(0, 'streaming')], late, 200);
    expect(h.sent).toEqual([]);
    h.tick([shard(0, 'streaming')], late, 101);
    expect(h.sent.map((a) => [a.rule, a.severity])).toEqual([['lag_high', 'warning']]);
    expect(h.sent[0]!.summary).toMatch(/p95 lag 6 min, above 5 min for 5 min/);
    h.tick([shard(0, 'streaming')], 30_000, LAG_CLEAR_MS / 1000 - 1);
    expect(h.sent).toHaveLength(1);
    h.tick([shard(0, 'streaming')], 30_000, 1);
    expect(h.sent.map((a) => a.state)).toEqual(['firing', 'resolved']);
  });

  it('lag_high starts over after a minute without a lag sample', () => {
    const h = harness();
    h.tick([shard(0, 'streaming')], 6 * 60_000, 200);
    h.tick([shard(0, 'streaming')], undefined, 61);
    h.tick([shard(0, 'streaming')], 6 * 60_000, 200);
    expect(h.sent).toEqual([]);
  });

  it('traffic_drop fires when the stream is up and the last window falls below 30 % of the hour before, and resolves when it is back', () => {
    const h = harness();
    h.stream(10, 3600);
    expect(h.sent).toEqual([]);
    h.stream(1, DEFAULT_ALERT_RULES.trafficWindowS + TRAFFIC_SETTLE_S);
    expect(h.sent.map((a) => [a.rule, a.state, a.severity])).toEqual([['traffic_drop', 'firing', 'warning']]);
    expect(h.sent[0]!.summary).toMatch(/^Traffic down \d+ %/);
    h.stream(10, DEFAULT_ALERT_RULES.trafficWindowS + TRAFFIC_SETTLE_S);
    expect(h.sent.map((a) => a.state)).toEqual(['firing', 'resolved']);
  });

  it('traffic_drop is not judged while the stream is down, nor for a site below 1 hit/s, nor before an hour of data', () => {
    const down = harness();
    down.stream(10, 3600);
    down.tick([shard(0, 'waiting')], undefined, 600);
    expect(down.sent.map((a) => a.rule)).toEqual(['stream_down']);

    const tiny = harness();
    tiny.stream(0.5, 3600);
    tiny.stream(0, 900);
    expect(tiny.sent).toEqual([]);

    const young = harness();
    young.stream(10, 1800);
    young.stream(0, 900);
    expect(young.sent).toEqual([]);
  });

  it('a restart does not fire again what was firing; the restored alert resolves once, by its own rule', () => {
    const store = new MemoryAlertStore();
    const first = harness(store);
    first.tick([shard(0, 'waiting')], undefined, 200);
    first.tick([shard(0, 'streaming'), shard(1, 'failed')], undefined, 1);
    first.tick([shard(0, 'waiting'), shard(1, 'failed')], undefined, 200);
    const firing = first.sent.filter((a) => a.state === 'firing').map((a) => a.rule);
    expect(firing).toEqual(['stream_down', 'shard_failed', 'stream_down']);

    const second = harness(store, first.now() + 5000);
    second.tick([shard(0, 'connecting'), shard(1, 'failed')], undefined, 300);
    expect(second.sent).toEqual([]);
    expect(
      second.book
        .list()
        .filter((a) => a.state === 'firing')
        .map((a) => a.rule),
    ).toEqual(['stream_down', 'shard_failed']);
    second.tick([shard(0, 'streaming'), shard(1, 'streaming')]);
    second.tick([shard(0, 'streaming'), shard(1, 'streaming')], undefined, 60);
    expect(second.sent.map((a) => [a.rule, a.state]).sort()).toEqual([
      ['shard_failed', 'resolved'],
      ['stream_down', 'resolved'],
    ]);
  });

  it('a restored traffic_drop resolves against the baseline it fired on', () => {
    const store = new MemoryAlertStore();
    const first = harness(store);
    first.stream(10, 3600);
    first.stream(1, 500);
    expect(first.sent.map((a) => a.rule)).toEqual(['traffic_drop']);
    const second = harness(store, first.now() + 1000);
    second.stream(10, DEFAULT_ALERT_RULES.trafficWindowS + TRAFFIC_SETTLE_S + 1);
    expect(second.sent.map((a) => [a.rule, a.state])).toEqual([['traffic_drop', 'resolved']]);
  });
});
