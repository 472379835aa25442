import { describe, expect, it } from 'vitest';
import type { HistoryBucket, HistoryResponse } from '../../../../contract/index.ts';
import { historyPoints } from '../api/get-history.ts';
import { alignCompare, buildHistoryView, compareSpan } from './history-series.ts';

const bucket = (t: number, hits: number, over: Partial<HistoryBucket> = {}): HistoryBucket => ({
  t,
  seconds: 120,
  hits,
  hitsMin: 1,
  hitsMax: 40,
  duplicates: 0,
  malformed: 0,
  bytes: 0,
  clients: 1,
  outageS: 0,
  lagP50Ms: 30_000,
  lagP95Ms: 90_000,
  ...over,
});

/** A 10-minute window of 2-minute buckets ending at 1,200. */
const response = (buckets: HistoryBucket[], over: Partial<HistoryResponse> = {}): HistoryResponse => ({
  window: 600,
  end: 1200,
  step: 120,
  resolution: 'minute',
  buckets,
  outages: [],
  ...over,
});

describe('buildHistoryView', () => {
  it('draws each bucket as its mean rate with the band of its lowest and highest second', () => {
    const view = buildHistoryView(response([600, 720, 840, 960, 1080].map((t) => bucket(t, 1200))));
    expect(view.startT).toBe(600);
    expect(view.endT).toBe(1199);
    expect(view.points).toHaveLength(5);
    expect(view.points[0]).toEqual({ t: 600, hits: 10, band: [1, 40], lagP50: 30_000, lagP95: 90_000 });
    expect(view.gaps).toEqual([]);
    expect(view.summary).toMatchObject({ totalHits: 6000, avg: 10, peak: 40, peakT: 600, recordedS: 600, missingS: 0 });
  });

  it('keeps a bucket the relay did not send as a gap (null point), never as zero', () => {
    const view = buildHistoryView(response([bucket(600, 1200), bucket(1080, 1200)]));
    expect(view.points.map((p) => p.hits)).toEqual([10, null, null, null, 10]);
    expect(view.points[1]!.band).toBeNull();
    expect(view.gaps).toEqual([{ from: 720, to: 1080 }]);
    expect(view.summary.missingS).toBe(360);
  });

  it('means over the seconds recorded (a bucket half recorded is not half the traffic)', () => {
    const view = buildHistoryView(response([bucket(600, 600, { seconds: 60 })]));
    expect(view.points[0]!.hits).toBe(10);
  });

  it('starts the axis with the window when the first bucket starts before it', () => {
    const view = buildHistoryView(response([bucket(480, 1200)], { end: 1150, window: 600 }));
    expect(view.startT).toBe(550);
    expect(view.points[0]!.t).toBe(550);
    expect(view.points[0]!.hits).toBe(10);
  });

  it('draws an empty history as gaps only', () => {
    const view = buildHistoryView(response([]));
    expect(view.points.every((p) => p.hits === null)).toBe(true);
    expect(view.summary.avg).toBeNull();
    expect(view.gaps).toEqual([{ from: 600, to: 1200 }]);
  });
});

describe('alignCompare', () => {
  const DAY = 86_400;

  it("moves yesterday's buckets a day forward onto today's axis", () => {
    const yesterday = response([bucket(600 - DAY, 1200), bucket(720 - DAY, 2400)], { end: 1200 - DAY });
    const view = alignCompare(yesterday, DAY, 600, 1199);
    expect(view.points).toEqual([
      { t: 600, compare: 10 },
      { t: 720, compare: 20 },
    ]);
    expect(view.hasData).toBe(true);
    expect(view.totalHits).toBe(3600);
  });

  it('breaks the line where yesterday has no data', () => {
    const yesterday = response([bucket(600 - DAY, 1200), bucket(960 - DAY, 1200)], { end: 1200 - DAY });
    const view = alignCompare(yesterday, DAY, 600, 1199);
    expect(view.points).toEqual([
      { t: 600, compare: 10 },
      { t: 720, compare: null },
      { t: 960, compare: 10 },
    ]);
  });

  it('says when the compared period has no data at all (no flat zero line)', () => {
    const view = alignCompare(response([], { end: 1200 - DAY }), DAY, 600, 1199);
    expect(view).toEqual({ points: [], hasData: false, totalHits: 0, avg: null });
    expect(alignCompare(undefined, DAY, 600, 1199).hasData).toBe(false);
  });

  it('leaves out what falls outside the axis', () => {
    const week = 7 * DAY;
    const lastWeek = response([bucket(0 - week, 1200), bucket(600 - week, 1200)], { end: 1200 - week, window: 1200 });
    expect(alignCompare(lastWeek, week, 600, 1199).points).toEqual([{ t: 600, compare: 10 }]);
  });
});

describe('compareSpan', () => {
  it("asks for a live window's span a day back, its end rounded up to the minute (one request a minute)", () => {
    expect(compareSpan(1_000_019, 900, 86_400)).toEqual({ windowS: 960, endS: 1_000_020 - 86_400 });
    expect(compareSpan(1_000_030, 900, 86_400)).toEqual(compareSpan(1_000_050, 900, 86_400));
  });
});

describe('historyPoints', () => {
  it('asks for about one bucket per two pixels, at most 480', () => {
    expect(historyPoints(1380)).toBe(480);
    expect(historyPoints(280)).toBe(140);
    expect(historyPoints(10)).toBe(60);
  });
});
