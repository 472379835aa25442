import { describe, expect, it } from 'vitest';
import {
  HISTORY_TOP_KEYS,
  HistoryBucketSchema,
  MinuteTopSchema,
  OutageSchema,
  StatsSchema,
} from '../../contract/index.ts';
import { BucketBuilder } from '../../core/history/buckets.ts';
import { MemoryHistoryStore } from '../../core/history/history-store.ts';
import { sumTops } from '../../core/history/history.ts';
import { fillHistory } from './history-fill.ts';

const DAY = 86_400;
/** Tuesday 2026-11-10 14:23:17 UTC: not on a minute. */
const NOW_S = Date.UTC(2026, 10, 10, 14, 23, 17) / 1000;

function filled(options: Partial<Parameters<typeof fillHistory>[1]> = {}): MemoryHistoryStore {
  const store = new MemoryHistoryStore();
  fillHistory(store, { nowS: NOW_S, seed: 7, ...options });
  return store;
}

// One store of the defaults (30 days of minutes and tops, 25 h of seconds), shared by the tests.
const started = performance.now();
const store = filled();
const fillMs = performance.now() - started;
const all = { seconds: store.seconds(0, NOW_S + DAY), minutes: store.minutes(0, NOW_S + DAY) };

describe('fillHistory', () => {
  it('writes 25 h of seconds, 30 days of minutes and of top lists, ending before now', () => {
    const { seconds, minutes } = all;
    const minuteEnd = Math.floor(NOW_S / 60) * 60;
    expect(seconds[seconds.length - 1]!.t).toBe(NOW_S - 1);
    expect(seconds[0]!.t).toBeGreaterThanOrEqual(NOW_S - 25 * 3600);
    expect(seconds[0]!.t).toBeLessThan(NOW_S - 25 * 3600 + 60);
    expect(seconds.length).toBe(NOW_S - seconds[0]!.t);
    expect(minutes).toHaveLength(30 * 1440);
    expect(minutes[0]!.t).toBe(minuteEnd - 30 * DAY);
    expect(minutes[minutes.length - 1]!.t).toBe(minuteEnd - 60);
    expect(store.tops(0, NOW_S + DAY)).toHaveLength(30 * 1440);
    for (const s of seconds.filter((_, i) => i % 997 === 0)) expect(StatsSchema.safeParse(s).success).toBe(true);
    for (const m of minutes.filter((_, i) => i % 97 === 0)) expect(HistoryBucketSchema.safeParse(m).success).toBe(true);
    // Every field a real second has.
    const second = seconds.find((s) => !s.outage && (s.revenue ?? 0) > 0)!;
    expect(Object.keys(second).sort()).toEqual(
      [
        't',
        'hits',
        'duplicates',
        'malformed',
        'bytes',
        'clients',
        'byShard',
        'outage',
        'bots',
        'errorPages',
        'revenue',
        'currency',
        'revenueByCurrency',
        'purchases',
        'excluded',
        'truncated',
        'timestamped',
        'lagged',
        'lagBelowBand',
        'lagAboveBand',
        'lagP50Ms',
        'lagP95Ms',
      ].sort(),
    );
    expect(second.bytes / second.hits).toBeGreaterThan(350);
    expect(second.bytes / second.hits).toBeLessThan(450);
  });

  it('writes the site’s traffic on Adobe’s clock for the seconds, the last ones still arriving', () => {
    const traffic = store.traffic(0, NOW_S + DAY);
    expect(traffic.map((x) => x.t)).toEqual(all.seconds.map((x) => x.t));
    const hits = (from: number, to: number) =>
      traffic.filter((x) => x.t >= from && x.t < to).reduce((n, x) => n + x.hits, 0);
    const arrived = (from: number, to: number) =>
      all.seconds.filter((x) => x.t >= from && x.t < to).reduce((n, x) => n + x.hits, 0);
    expect(hits(NOW_S - 6 * 3600, NOW_S - 3600) / arrived(NOW_S - 6 * 3600, NOW_S - 3600)).toBeCloseTo(1, 1);
    expect(hits(NOW_S - 20, NOW_S)).toBe(0);
  });

  it('sums each minute from its seconds as BucketBuilder does', () => {
    const { seconds, minutes } = all;
    const bySecond = new Map<number, BucketBuilder>();
    for (const s of seconds) {
      const t = Math.floor(s.t / 60) * 60;
      let builder = bySecond.get(t);
      if (!builder) bySecond.set(t, (builder = new BucketBuilder(t)));
      builder.second(s);
    }
    let compared = 0;
    for (const minute of minutes) {
      const builder = bySecond.get(minute.t);
      if (!builder) continue;
      expect(minute).toEqual(builder.build());
      expect(minute.seconds).toBe(60);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(25 * 60 - 1);
  });

  it('is deterministic for a seed, and differs with another', () => {
    const options = { minuteDays: 2, secondHours: 2, topDays: 1 };
    const a = filled(options);
    const b = filled(options);
    const c = filled({ ...options, seed: 8 });
    for (const read of ['seconds', 'minutes', 'tops', 'outages'] as const) {
      expect(a[read](0, NOW_S + DAY)).toEqual(b[read](0, NOW_S + DAY));
    }
    expect(a.minutes(0, NOW_S)).not.toEqual(c.minutes(0, NOW_S));
  });

  it('follows a daily cycle (the night about a fifth of the peak) and is lower on weekends', () => {
    const byHour = new Array<number>(24).fill(0);
    let weekday = 0;
    let weekend = 0;
    let weekdays = 0;
    let weekends = 0;
    for (const m of all.minutes) {
      const day = (Math.floor(m.t / DAY) + 4) % 7;
      if (day === 0 || day === 6) {
        weekend += m.hits;
        weekends++;
      } else {
        weekday += m.hits;
        weekdays++;
        byHour[Math.floor((m.t % DAY) / 3600)]! += m.hits;
      }
    }
    const trough = Math.min(...byHour);
    const peak = Math.max(...byHour);
    expect(trough / peak).toBeGreaterThan(0.14);
    expect(trough / peak).toBeLessThan(0.3);
    expect(byHour.indexOf(trough)).toBeGreaterThanOrEqual(2);
    expect(byHour.indexOf(trough)).toBeLessThanOrEqual(6);
    expect(weekend / weekends / (weekday / weekdays)).toBeLessThan(0.85);
    // The weekday mean is the base rate (50 hits/s), within the noise.
    expect(weekday / weekdays / 60).toBeGreaterThan(40);
    expect(weekday / weekdays / 60).toBeLessThan(60);
  });

  it('has one spike', () => {
    const hourly = new Map<number, number>();
    for (const m of all.minutes)
      hourly.set(Math.floor(m.t / 3600), Math.max(hourly.get(Math.floor(m.t / 3600)) ?? 0, m.hitsMax));
    const sorted = [...hourly.values()].sort((a, b) => b - a);
    // The spike stands out from every evening peak (2.6× the base rate at most).
    expect(sorted[0]! / sorted[5]!).toBeGreaterThan(1.5);
  });

  it('has outages with verdicts, and their seconds are outage seconds without hits', () => {
    const outages = store.outages(0, NOW_S + DAY);
    expect(outages.length).toBeGreaterThanOrEqual(2);
    expect(outages.length).toBeLessThanOrEqual(3);
    expect(new Set(outages.map((o) => o.id)).size).toBe(outages.length);
    expect(new Set(outages.map((o) => o.verdict))).toEqual(new Set(['recovered', 'probably-lost']));
    for (const o of outages) {
      expect(OutageSchema.safeParse(o).success).toBe(true);
      expect(o.id).toMatch(/^fill\.o\d$/);
      expect(o.to).toBeGreaterThan(o.from);
      expect(o.summary).toMatch(o.verdict === 'recovered' ? /^recovered: [\d,]+ hits of the/ : /^probably lost/);
      if (o.verdict === 'recovered') expect(o.lateHits).toBeGreaterThan(0);
      const fromS = Math.ceil(o.from / 1000);
      const toS = Math.floor(o.to! / 1000);
      const minutes = store.minutes(Math.floor(fromS / 60) * 60, toS);
      expect(minutes.reduce((n, m) => n + m.outageS, 0)).toBe(toS - fromS);
      for (const m of minutes) expect(m.outageState).toBe('waiting');
    }
    // The last day's outage has its seconds.
    const recent = outages.filter((o) => o.from >= (NOW_S - 25 * 3600) * 1000);
    expect(recent.length).toBeGreaterThanOrEqual(1);
    for (const o of recent) {
      const inside = store.seconds(Math.ceil(o.from / 1000), Math.floor(o.to! / 1000));
      expect(inside.length).toBeGreaterThan(10);
      for (const s of inside) expect(s).toMatchObject({ hits: 0, outage: true, outageState: 'waiting' });
      expect(store.seconds(Math.floor(o.to! / 1000) + 1, Math.floor(o.to! / 1000) + 2)[0]!.outage).toBe(false);
      // On Adobe's clock the gap is filled: its hits came back late.
      if (o.verdict === 'recovered') {
        const site = store.traffic(Math.ceil(o.from / 1000), Math.floor(o.to! / 1000));
        expect(site.reduce((n, x) => n + x.hits, 0)).toBe(o.lateHits);
      }
    }
  });

  it('keeps top lists bounded, most hits first, summing to at most the minute’s hits', () => {
    const minutes = new Map(all.minutes.map((m) => [m.t, m]));
    const tops = store.tops(0, NOW_S + DAY);
    let others = 0;
    for (const top of tops.filter((_, i) => i % 211 === 0)) {
      expect(MinuteTopSchema.safeParse(top).success).toBe(true);
      const minute = minutes.get(top.t)!;
      expect(top.hits).toBe(minute.hits - (minute.excluded ?? 0));
      expect(top.bots).toBe(minute.bots);
      for (const list of [top.pages, top.countries, top.browsers, top.devices, top.events, top.errorPages]) {
        const named = list.filter(([key]) => key !== '(other)');
        expect(named.length).toBeLessThanOrEqual(HISTORY_TOP_KEYS);
        expect(named.reduce((n, [key]) => n + key.length, 0)).toBeLessThanOrEqual(1024);
        expect(list.findIndex(([key]) => key === '(other)')).toBeOneOf([-1, list.length - 1]);
        if (list.length > named.length) others++;
        for (let i = 1; i < named.length; i++) expect(named[i]![1]).toBeLessThanOrEqual(named[i - 1]![1]);
        expect(list.reduce((n, [, count]) => n + count, 0)).toBeLessThanOrEqual(top.hits);
      }
      expect(top.errorPages.reduce((n, [, count]) => n + count, 0)).toBeLessThanOrEqual(minute.errorPages!);
      if (top.hits > 1000) {
        expect(top.pages[0]![0]).toBe('home');
        expect(top.countries[0]![0]).toBe('usa');
      }
    }
    expect(others).toBeGreaterThan(0);
  });

  it('sums each whole hour’s top lists as the relay does when the hour ends', () => {
    const hours = store.hourTops(0, NOW_S + DAY);
    // From the hour the first top lists are in (part of it) to the last whole hour.
    expect(hours).toHaveLength(30 * 24);
    expect(hours[0]!.t).toBe(Math.floor((NOW_S - 30 * DAY) / 3600) * 3600);
    for (const hour of hours.filter((_, i) => i % 50 === 0)) {
      expect(hour.t % 3600).toBe(0);
      expect(hour).toEqual(sumTops(store.tops(hour.t, hour.t + 3600), hour.t, 2 * HISTORY_TOP_KEYS, 2));
    }
    expect(hours.at(-1)!.t).toBe(Math.floor(NOW_S / 3600) * 3600 - 3600);
  });

  it('writes tops only for the last topDays, and is fast', () => {
    const started = performance.now();
    const small = filled({ topDays: 1 });
    const smallMs = performance.now() - started;
    const tops = small.tops(0, NOW_S + DAY);
    expect(tops).toHaveLength(1440);
    expect(tops[0]!.t).toBe(Math.floor(NOW_S / 60) * 60 - DAY);
    // Targets: 2 s and 300 ms on a quiet machine; bounds with room for a shared one.
    console.log(`fillHistory: 30 days of tops in ${fillMs.toFixed(0)} ms, 1 day in ${smallMs.toFixed(0)} ms`);
    expect(fillMs).toBeLessThan(6000);
    expect(smallMs).toBeLessThan(2000);
  });
});
