import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MINUTES_KEPT_S,
  SECONDS_KEPT_S,
  type HistoryMinute,
  type MinuteTop,
  type Stats,
} from '../../contract/index.ts';
import type { WriteHooks } from '../../core/store/write-health.ts';
import { HISTORY_FILE, SqliteHistoryStore } from './sqlite-history-store.ts';

const stores: SqliteHistoryStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function open(dir: string, hooks?: WriteHooks) {
  const store = new SqliteHistoryStore(dir, hooks ? { hooks, flushMs: 60_000 } : { flushMs: 60_000 });
  stores.push(store);
  return store;
}

const second = (t: number, hits: number): Stats => ({
  t,
  hits,
  duplicates: 0,
  malformed: 0,
  bytes: hits * 400,
  clients: 1,
});
const minute = (t: number, hits: number): HistoryMinute => ({
  t,
  seconds: 60,
  hits,
  hitsMin: 0,
  hitsMax: hits,
  duplicates: 0,
  malformed: 0,
  bytes: 0,
  clients: 1,
  outageS: 0,
});
const top = (t: number, page: string): MinuteTop => ({
  t,
  hits: 10,
  bots: 0,
  pages: [[page, 10]],
  countries: [],
  browsers: [],
  devices: [],
  events: [],
  errorPages: [],
});

describe('SqliteHistoryStore', () => {
  it('keeps seconds, minutes, top lists and outages across a reopen, with exact values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsm-hist-'));
    const a = open(dir);
    a.addSecond({ ...second(1000, 5), lagP95Ms: 1234, revenue: 12.34, byShard: [3, 2] });
    a.addSecond(second(1001, 7));
    a.addMinute(minute(960, 12), top(960, 'Home — é 🙂'));
    a.addHourTop(top(0, 'Hour'));
    a.putTraffic([{ t: 990, hits: 3 }]);
    a.putTraffic([{ t: 990, hits: 4 }]); // a late hit: the second as it is now
    a.putOutages([
      { id: 'r1.o1', shard: 0, from: 1_000_000, to: 1_060_000, lateHits: 4, verdict: 'recovered', summary: 's' },
    ]);
    // Read before any flush: the buffer is part of the answer.
    expect(a.seconds(1000, 1002).map((s) => s.hits)).toEqual([5, 7]);
    a.close();
    stores.pop();
    const b = open(dir);
    expect(b.seconds(0, 2000)).toEqual([
      { ...second(1000, 5), lagP95Ms: 1234, revenue: 12.34, byShard: [3, 2] },
      second(1001, 7),
    ]);
    expect(b.minutes(900, 1020)).toEqual([minute(960, 12)]);
    expect(b.tops(960, 961)[0]!.pages).toEqual([['Home — é 🙂', 10]]);
    expect(b.hourTops(0, 3600)[0]!.pages).toEqual([['Hour', 10]]);
    expect(b.traffic(0, 2000)).toEqual([{ t: 990, hits: 4 }]);
    expect(b.outages(900, 1100).map((o) => o.id)).toEqual(['r1.o1']);
    expect(b.outages(1061, 2000)).toEqual([]);
  });

  it('forgets what is past the retention', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsm-hist-'));
    const s = open(dir);
    const now = 100 * 86_400;
    s.addSecond(second(now - SECONDS_KEPT_S - 1, 1));
    s.addSecond(second(now - 10, 2));
    s.addMinute(minute(now - MINUTES_KEPT_S - 60, 1), top(now - MINUTES_KEPT_S - 60, 'old'));
    s.addMinute(minute(now - 120, 2), top(now - 120, 'new'));
    s.flush();
    s.prune(now);
    expect(s.seconds(0, now).map((x) => x.hits)).toEqual([2]);
    expect(s.minutes(0, now).map((x) => x.hits)).toEqual([2]);
    expect(s.tops(0, now).map((x) => x.pages[0]![0])).toEqual(['new']);
  });

  it('moves a file that is not a database aside and starts a new one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsm-hist-'));
    writeFileSync(join(dir, HISTORY_FILE), 'this is not sqlite '.repeat(500));
    const s = open(dir);
    expect(s.unreadable).toMatch(/not a readable SQLite database; it was moved to/);
    expect(readdirSync(dir).some((f) => f.startsWith(`${HISTORY_FILE}.corrupt-`))).toBe(true);
    s.addSecond(second(5, 1));
    s.flush();
    expect(s.seconds(0, 10)).toEqual([second(5, 1)]);
  });

  it('a DATA_DIR that cannot be used: memory only, reported once, written once it can be', () => {
    const parent = mkdtempSync(join(tmpdir(), 'lsm-hist-'));
    // A file where the directory should be (as root, permissions stop nothing: this does).
    writeFileSync(join(parent, 'blocked'), '');
    const dir = join(parent, 'blocked', 'data');
    const events: string[] = [];
    const s = open(dir, {
      onWriteError: (what) => events.push(`error ${what}`),
      onWriteRecovered: (what) => events.push(`ok ${what}`),
    });
    expect(events).toEqual([]); // nothing is told before the relay exists
    s.addSecond(second(5, 1));
    s.flush();
    s.addSecond(second(6, 2));
    s.flush();
    expect(s.seconds(0, 10).map((x) => x.hits)).toEqual([1, 2]);
    expect(events).toEqual(['error the history (history.sqlite)']);
    rmSync(join(parent, 'blocked'));
    s.flush();
    expect(events).toEqual(['error the history (history.sqlite)', 'ok the history (history.sqlite)']);
    s.close();
    stores.pop();
    expect(
      open(dir)
        .seconds(0, 10)
        .map((x) => x.hits),
    ).toEqual([1, 2]);
  });

  it('a full database (its size cap, as a full disk would): reported once, kept in memory, written again once pruning frees room', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsm-hist-'));
    const events: string[] = [];
    const s = new SqliteHistoryStore(dir, {
      flushMs: 60_000,
      maxBytes: 256 * 1024,
      hooks: {
        onWriteError: (_, error) => events.push(`error ${String(error)}`),
        onWriteRecovered: () => events.push('ok'),
      },
    });
    stores.push(s);
    const big = (t: number): Stats => ({ ...second(t, 1), revenueByCurrency: { [`C${'x'.repeat(2000)}`]: t } });
    for (let t = 0; t < 200; t++) s.addSecond(big(t));
    s.flush();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/full/i);
    // Nothing lost meanwhile: the answer holds what could not be written.
    expect(s.seconds(0, 200)).toHaveLength(200);
    // A day later the old rows go, and with them the need for room.
    s.prune(200 + SECONDS_KEPT_S + 100);
    s.flush();
    expect(events).toEqual([events[0], 'ok']);
    expect(s.sizeOnDisk()).toBeLessThan(2 * 256 * 1024);
  });

  it('while it cannot write, what waits stays bounded (the newest hour of seconds)', () => {
    const parent = mkdtempSync(join(tmpdir(), 'lsm-hist-'));
    writeFileSync(join(parent, 'blocked'), '');
    const s = open(join(parent, 'blocked', 'data'));
    for (let t = 0; t < 5000; t++) s.addSecond(second(t, 1));
    s.flush();
    const kept = s.seconds(0, 10_000);
    expect(kept).toHaveLength(3600);
    expect(kept[0]!.t).toBe(1400);
  });
});
