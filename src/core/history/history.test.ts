import { describe, expect, it } from 'vitest';
import {
  HISTORY_TOP_CHARS,
  HISTORY_TOP_KEYS,
  type HitSummary,
  type MinuteTop,
  type Stats,
} from '../../contract/index.ts';
import { StatsCollector } from '../stats/stats.ts';
import { stepFor } from './buckets.ts';
import { RelayHistory } from './history.ts';
import { MemoryHistoryStore } from './history-store.ts';

/** Epoch seconds at the start of an hour. */
const H = 1_800_000_000 - (1_800_000_000 % 3600);

function setup(store = new MemoryHistoryStore(), startMs = H * 1000) {
  let nowMs = startMs;
  const stats = new StatsCollector(1, () => nowMs);
  const history = new RelayHistory(store, stats, () => nowMs);
  history.restore();
  const page = (name: string): HitSummary => ({ seq: 1, hitId: 'a-b', shard: 0, arrivedAt: nowMs, pageName: name });
  /** Closes second `t` (epoch s) with `hits` hits on `pageName`, as the relay's tick does. */
  const close = (t: number, hits: number, pageName: string | ((i: number) => string) = 'Home') => {
    nowMs = (t + 1) * 1000;
    for (let i = 0; i < hits; i++) stats.hit(page(typeof pageName === 'string' ? pageName : pageName(i)));
    stats.streaming();
    history.second(stats.tick(t, 2, true));
  };
  return { store, stats, history, close, at: (ms: number) => (nowMs = ms) };
}

describe('RelayHistory', () => {
  it('sums each minute from its seconds (lowest and highest second kept) and keeps its top lists', () => {
    const { store, close } = setup();
    for (let s = 0; s < 60; s++) close(H + s, s === 10 ? 50 : s === 20 ? 0 : 3);
    close(H + 60, 1); // the next minute's first second closes the minute
    const [minute] = store.minutes(H, H + 60);
    expect(minute).toMatchObject({
      t: H,
      seconds: 60,
      hits: 58 * 3 + 50,
      hitsMin: 0,
      hitsMax: 50,
      clients: 2,
      outageS: 0,
    });
    expect(store.tops(H, H + 60)[0]).toMatchObject({ t: H, hits: 58 * 3 + 50, pages: [['Home', 224]] });
  });

  it("sums an hour's top lists when it ends, and a month's window reads hours and edge minutes", () => {
    const { store, history, close, at } = setup();
    for (let s = 0; s < 3600 + 120; s += 1) close(H + s, s < 3600 ? 1 : 2, s < 3600 ? 'First hour' : 'Next');
    expect(store.hourTops(H, H + 3600)).toHaveLength(1);
    expect(store.hourTops(H, H + 3600)[0]!.pages).toEqual([['First hour', 3600]]);
    // Rewrite the hour's minutes: the window must read the hour's own lists, not its minutes.
    for (const t of store.tops(H, H + 3600).map((m) => m.t)) {
      store.addMinute(store.minutes(t, t + 1)[0]!, {
        ...(store.tops(t, t + 1)[0] as MinuteTop),
        pages: [['wrong', 1]],
      });
    }
    at((H + 3600 + 120) * 1000);
    const top = history.top(30 * 86_400);
    expect(top.window).toBe(30 * 86_400);
    expect(top.pages).toEqual([
      { key: 'First hour', count: 3600 },
      { key: 'Next', count: 2 * 60 },
    ]);
  });

  it("reads a month in hours (each hour's sums written when it ended), minutes where an hour has none", () => {
    const { store, history, close, at } = setup();
    for (let s = 0; s < 3600 + 60; s++) close(H + s, s === 100 ? 9 : 1);
    expect(store.hours(H, H + 3600)).toEqual([
      expect.objectContaining({ t: H, seconds: 3600, hits: 3599 + 9, hitsMin: 1, hitsMax: 9 }),
    ]);
    // An hour the relay was not running at the end of: only its minutes (two of them here).
    const earlier = H - 2 * 3600;
    store.addMinute({ ...store.minutes(H, H + 60)[0]!, t: earlier }, undefined);
    store.addMinute({ ...store.minutes(H, H + 60)[0]!, t: earlier + 60 }, undefined);
    // Rewrite the hour's minutes: a whole-hour step must read the hour's own sums.
    for (const m of store.minutes(H, H + 3600)) store.addMinute({ ...m, hits: 0 }, undefined);
    at((H + 3600 + 60) * 1000);
    const month = history.query(30 * 86_400, 720);
    expect(month.step).toBe(3600);
    expect(month.buckets.map((b) => [b.t - H, b.hits])).toEqual([
      [-7200, 2 * 60],
      [0, 3608],
      [3600, 60],
    ]);
  });

  it('answers a day in minutes, fifteen minutes in seconds, gaps left out, the step said', () => {
    const { history, close, at } = setup();
    for (let s = 0; s < 600; s++) close(H + s, 2);
    // Ten minutes without the relay, then two more minutes.
    for (let s = 1200; s < 1320; s++) close(H + s, 4);
    at((H + 1320) * 1000);
    const fifteen = history.query(900, 900);
    expect(fifteen).toMatchObject({ step: 1, resolution: 'second', end: H + 1320 });
    expect(fifteen.buckets[0]!.t).toBe(H + 1320 - 900);
    const day = history.query(86_400, 720);
    expect(day).toMatchObject({ step: 120, resolution: 'minute' });
    expect(day.buckets.map((b) => [b.t - H, b.hits, b.seconds])).toEqual([
      ...[0, 120, 240, 360, 480].map((t) => [t, 240, 120]),
      // The current minute (H+1260…) is the relay's partial one: included.
      [1200, 4 * 120, 120],
    ]);
  });

  it('asks for yesterday with `end`: the seconds kept for 25 h answer at second resolution', () => {
    const { history, close, at } = setup();
    for (let s = 0; s < 300; s++) close(H + s, 1);
    at((H + 86_400 + 300) * 1000);
    const yesterday = history.query(300, 300, H + 300);
    expect(yesterday).toMatchObject({ step: 1, resolution: 'second', end: H + 300 });
    expect(yesterday.buckets).toHaveLength(300);
  });

  it('restores the last hour of seconds, the minutes’ top lists and the current minute after a restart', () => {
    const store = new MemoryHistoryStore();
    const first = setup(store);
    for (let s = 0; s < 150; s++) first.close(H + s, 1, 'Before');
    // A new run on the same store, in the same minute as the last second kept.
    const second = setup(store, (H + 151) * 1000);
    expect(second.stats.series(3600).map((s: Stats) => s.t)).toEqual(Array.from({ length: 150 }, (_, i) => H + i));
    expect(second.stats.top(300, (H + 151) * 1000)?.pages).toEqual([{ key: 'Before', count: 120 }]);
    for (let s = 151; s < 181; s++) second.close(H + s, 1);
    // The minute begun by the first run goes on: its 29 seconds and the new run's 30.
    expect(store.minutes(H + 120, H + 180)[0]).toMatchObject({ seconds: 59, hits: 59 });
  });

  it("puts back the earlier run's outages with their verdicts, and its seconds on Adobe's clock", () => {
    const store = new MemoryHistoryStore();
    const at = (s: number) => (H + s) * 1000;
    store.putOutages([
      { id: 'r1.o1', shard: 0, from: at(100), to: at(160), lateHits: 42, verdict: 'recovered', summary: 'x' },
      { id: 'r1.o2', shard: 1, from: at(400), to: at(430), lateHits: 3, verdict: 'recovering', summary: 'x' },
      { id: 'r1.o3', shard: 0, from: at(500), lateHits: 0, verdict: 'open', summary: 'x' },
    ]);
    store.putTraffic([{ t: H + 590, hits: 12 }]);
    store.addSecond({ t: H + 599, hits: 1, duplicates: 0, malformed: 0, bytes: 0, clients: 0 });
    const { stats } = setup(store, at(700));
    const traffic = stats.adobe.series(600);
    expect(traffic.outages?.map((o) => [o.id, o.verdict, o.to])).toEqual([
      ['r1.o1', 'recovered', at(160)],
      // The new run cannot count its backlog any more: what it had is what came back.
      ['r1.o2', 'recovered', at(430)],
      // Open when the relay stopped: closed where its record ends, and called what it probably is.
      ['r1.o3', 'probably-lost', at(600)],
    ]);
    expect(traffic.outages?.[2]?.summary).toMatch(/^probably lost/);
    expect(traffic.seconds.find((s) => s.t === H + 590)?.hits).toBe(12);
  });

  it('serves a day of seconds: the stored ones before the live hour', () => {
    const { history, close, at } = setup();
    for (let s = 0; s < 4000; s++) close(H + s, 1);
    at((H + 4000) * 1000);
    const live: Stats[] = [];
    for (let s = 400; s < 4000; s++)
      live.push({ t: H + s, hits: 1, duplicates: 0, malformed: 0, bytes: 0, clients: 0 });
    const day = (JSON.parse(history.seriesJson(86_400, live)) as { series: Stats[] }).series;
    expect(day).toHaveLength(4000);
    expect(day[0]!.t).toBe(H);
    expect(day.map((s) => s.t)).toEqual(Array.from({ length: 4000 }, (_, i) => H + i));
    // A window within the live hour is the live seconds alone.
    expect((JSON.parse(history.seriesJson(10, live)) as { series: Stats[] }).series).toEqual(live.slice(-10));
  });
});

describe('what a minute keeps, whatever the records', () => {
  it('keeps at most HISTORY_TOP_KEYS keys within HISTORY_TOP_CHARS characters a list; the rest is "(other)"', () => {
    const { store, close } = setup();
    // Every second, 40 hits on pages of 1,000 characters each, all different.
    for (let s = 0; s < 61; s++) close(H + s, 40, (i) => `${String(s * 100 + i).padStart(6, '0')}${'x'.repeat(994)}`);
    const [top] = store.tops(H, H + 60);
    const pages = top!.pages;
    const chars = pages.filter(([k]) => k !== '(other)').reduce((sum, [k]) => sum + k.length, 0);
    expect(chars).toBeLessThanOrEqual(HISTORY_TOP_CHARS[0]);
    expect(pages.length).toBeLessThanOrEqual(HISTORY_TOP_KEYS + 1);
    expect(pages.reduce((sum, [, n]) => sum + n, 0)).toBe(top!.hits);
  });
});

describe('stepFor', () => {
  it('picks round steps: seconds when they are kept, else minutes', () => {
    expect(stepFor(900, 720, true)).toBe(2);
    expect(stepFor(3600, 720, true)).toBe(5);
    expect(stepFor(21_600, 720, true)).toBe(30);
    expect(stepFor(21_600, 720, false)).toBe(60);
    expect(stepFor(86_400, 720, true)).toBe(120);
    expect(stepFor(604_800, 720, true)).toBe(900);
    expect(stepFor(2_592_000, 720, true)).toBe(3600);
    expect(stepFor(2_592_000, 10, true)).toBe(86_400 * 3);
  });
});
