import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.ts';
import type { Scenario } from './scenarios.ts';
import { ScriptedStream } from './script-connector.ts';
import { SiteTraffic } from './site-traffic.ts';

/** An evening in UTC (the traffic near its peak); the page opened then. */
const OPENED = Date.UTC(2025, 0, 15, 18, 0, 0);

function scenario(traffic: Scenario['traffic']): Scenario {
  return {
    name: 'site-traffic-test',
    title: 'test',
    description: 'test',
    relay: { cooldownS: 60, stallTimeoutS: 90, feedMaxHitsPerS: 1000 },
    traffic,
    historyS: 0,
    shards: [[{ kind: 'open' }]],
  };
}

/** Plays `seconds` of the site's traffic into one open stream; returns each record's `receivedTimeGMT` with its arrival. */
async function play(traffic: Scenario['traffic'], fromS: number, seconds: number) {
  const clock = new ManualClock(OPENED + fromS * 1000);
  const stream = new ScriptedStream(0, 'http://test/', clock, {});
  const records: { arrivedAt: number; receivedS: number }[] = [];
  const decoder = new TextDecoder();
  stream.body.listen({
    data: (chunk) => {
      for (const line of decoder.decode(chunk).split('\r\n')) {
        if (!line) continue;
        const record = JSON.parse(line) as { receivedTimeGMT: number };
        records.push({ arrivedAt: clock.now(), receivedS: record.receivedTimeGMT });
      }
    },
    end: () => undefined,
    error: () => undefined,
  });
  const site = new SiteTraffic({
    clock,
    scenario: scenario(traffic),
    streams: { stream: () => stream },
    seed: 7,
    openedAt: OPENED,
  });
  await clock.advance(seconds * 1000);
  site.stop();
  return records;
}

describe('SiteTraffic: losses and delays', () => {
  it('a loss keeps only its share of the hits Adobe received in its window (on Adobe’s clock)', async () => {
    const window = { fromS: 400, toS: 460 };
    const inWindow = (r: { receivedS: number }) =>
      r.receivedS * 1000 >= OPENED + window.fromS * 1000 && r.receivedS * 1000 < OPENED + window.toS * 1000;
    const before = (await play({ baseRate: 50 }, 0, 800)).filter(inWindow).length;
    const after = (await play({ baseRate: 50, losses: [{ ...window, share: 0.25 }] }, 0, 800)).filter(inWindow).length;
    expect(before).toBeGreaterThan(1000);
    expect(after / before).toBeGreaterThan(0.2);
    expect(after / before).toBeLessThan(0.3);
  });

  it('a delay makes the hits reaching the stream in its window that much older', async () => {
    const records = await play({ baseRate: 50, delays: [{ fromS: 10, toS: 20, extraS: 420 }] }, 0, 30);
    const lagS = (r: { arrivedAt: number; receivedS: number }) => r.arrivedAt / 1000 - r.receivedS;
    const during = records.filter((r) => r.arrivedAt >= OPENED + 10_500 && r.arrivedAt < OPENED + 19_500);
    const outside = records.filter((r) => r.arrivedAt < OPENED + 9_500 || r.arrivedAt >= OPENED + 20_500);
    expect(during.length).toBeGreaterThan(100);
    expect(Math.min(...during.map(lagS))).toBeGreaterThanOrEqual(420 + 20 - 1);
    expect(Math.max(...outside.map(lagS))).toBeLessThanOrEqual(300 + 1);
  });
});
