import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  HistoryResponseSchema,
  StatsResponseSchema,
  TopSchema,
  TrafficSchema,
  type Stats,
  type Top,
} from '../../contract/index.ts';
import { systemClock, type Clock } from '../../core/clock.ts';
import { startTestRelay, type TestRelay } from '../testing/relay-harness.ts';

/**
 * Socket-level, issue 14 (history): a real relay on the embedded simulator keeps its seconds and
 * its minutes' top lists in DATA_DIR/history.sqlite; a relay restarted on the same DATA_DIR
 * serves the earlier seconds from `/api/stats` and `/api/traffic`, the earlier minutes' lists from `/api/top`, and
 * the minutes from `/api/history`.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The system clock shifted so that a minute starts `inMs` from now (a minute is folded without waiting for one). */
function clockWithMinuteIn(inMs: number): Clock {
  const now = Date.now();
  const offset = 60_000 - (now % 60_000) - inMs;
  return { ...systemClock, now: () => Date.now() + offset };
}

async function get<T>(url: string, schema: { parse(v: unknown): T }): Promise<T> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return schema.parse(await res.json());
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function relayOn(dataDir: string, clock: Clock): Promise<TestRelay> {
  const r = await startTestRelay({ DATA_DIR: dataDir, SIM_RATE: '40' }, { clock });
  cleanups.push(() => r.close());
  return r;
}

describe('history across a restart (DATA_DIR/history.sqlite)', () => {
  it('a restarted relay serves the earlier seconds, top lists and minutes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lsm-history-'));
    const clock = clockWithMinuteIn(4_000);
    const first = await relayOn(dataDir, clock);
    // Seconds with hits on both sides of a minute boundary: the earlier minute is folded.
    const minuteStart = Math.floor(clock.now() / 60_000) * 60 + 60;
    const before = await until(
      () => get(`${first.url}/api/stats?window=120`, StatsResponseSchema),
      (r) => r.series.some((s) => s.t < minuteStart && s.hits > 0) && r.series.some((s) => s.t >= minuteStart + 1),
    );
    const top300: Top = await get(`${first.url}/api/top?window=300`, TopSchema);
    const site = await get(`${first.url}/api/traffic?window=120`, TrafficSchema);
    const siteSeconds = site.seconds.filter((s) => s.hits > 0);
    expect(siteSeconds.length).toBeGreaterThan(0);
    const earlier = before.series.filter((s) => s.t < minuteStart && s.hits > 0);
    const earlierHits = earlier.reduce((sum, s) => sum + s.hits, 0);
    expect(top300.pages.length).toBeGreaterThan(0);
    await first.close();
    cleanups.pop();

    const second = await relayOn(dataDir, clock);
    // At once, before the new run has closed a minute of its own.
    const after = await get(`${second.url}/api/stats?window=300`, StatsResponseSchema);
    const byT = new Map(after.series.map((s): [number, Stats] => [s.t, s]));
    for (const s of earlier) expect(byT.get(s.t)?.hits, `second ${s.t}`).toBe(s.hits);

    // The site's traffic on Adobe's clock too (late hits of the new run only add to it).
    const siteAfter = await get(`${second.url}/api/traffic?window=300`, TrafficSchema);
    const siteByT = new Map(siteAfter.seconds.map((s) => [s.t, s.hits]));
    for (const s of siteSeconds) expect(siteByT.get(s.t), `Adobe second ${s.t}`).toBeGreaterThanOrEqual(s.hits);

    // The folded minute's top lists are back in the 5-minute window.
    const restoredTop = await get(`${second.url}/api/top?window=300`, TopSchema);
    // (A top list counts traffic: a second's `hits` counts excluded hits too.)
    expect(restoredTop.hits).toBeGreaterThanOrEqual(earlier.reduce((sum, s) => sum + s.hits - (s.excluded ?? 0), 0));
    const firstPage = top300.pages[0]!.key;
    expect(restoredTop.pages.map((p) => p.key)).toContain(firstPage);

    // And the minute in the history, its hits the sum of its seconds.
    const history = await get(`${second.url}/api/history?window=3600&points=60`, HistoryResponseSchema);
    expect(history.resolution).toBe('minute');
    const minute = history.buckets.find((b) => b.t === minuteStart - 60);
    expect(minute?.hits).toBe(earlierHits);
    expect(minute?.hitsMax).toBe(Math.max(...earlier.map((s) => s.hits)));
    // Operators see the store's size.
    const metrics = await fetch(`${second.url}/metrics`).then((res) => res.text());
    expect(Number(/^livestream_history_bytes (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    // A longer window comes from the minutes' lists too.
    const day = await get(`${second.url}/api/top?window=86400`, TopSchema);
    expect(day.window).toBe(86_400);
    expect(day.pages.map((p) => p.key)).toContain(firstPage);
  }, 40_000);
});
