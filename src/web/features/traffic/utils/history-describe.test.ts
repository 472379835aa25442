import { describe, expect, it } from 'vitest';
import type { HistoryResponse, Outage } from '../../../../contract/index.ts';
import { buildHistoryView } from './history-series.ts';
import {
  describeHistoryGaps,
  describeHistoryHits,
  describeHistoryOutages,
  describeTopCoverage,
  formatSpan,
  outageLabel,
} from './history-describe.ts';

const DAY = 86_400;
const end = Date.UTC(2026, 10, 30, 12) / 1000;

const day = (buckets: HistoryResponse['buckets']): HistoryResponse => ({
  window: DAY,
  end,
  step: 3600,
  resolution: 'minute',
  buckets,
  outages: [],
});

const hour = (t: number, hits: number) => ({
  t,
  seconds: 3600,
  hits,
  hitsMin: 2,
  hitsMax: 90,
  duplicates: 0,
  malformed: 0,
  bytes: 0,
  clients: 1,
  outageS: 0,
});

describe('history captions', () => {
  it('says the average, the total and the busiest second with its time', () => {
    const view = buildHistoryView(day([hour(end - 7200, 36_000), hour(end - 3600, 72_000)]));
    expect(describeHistoryHits(view, DAY, 'utc')).toBe(
      'Average 15 hits/s over the last 24 h (108,000 hits); busiest second 90 hits/s, between 2026-11-30 10:00 UTC and 11:00.',
    );
    expect(describeHistoryGaps(view, DAY)).toBe(
      'No data for 22 h of the 24 h: the relay recorded nothing then; drawn as gaps.',
    );
  });

  it('says when nothing was recorded', () => {
    expect(describeHistoryHits(buildHistoryView(day([])), DAY, 'utc')).toBe('No data recorded in the last 24 h.');
  });

  it('lists the outages with their verdicts, the last few', () => {
    const outage = (i: number, verdict: string): Outage => ({
      id: `o${i}`,
      shard: 0,
      from: (end - (10 - i) * 3600) * 1000,
      to: (end - (10 - i) * 3600 + 240) * 1000,
      lateHits: 10,
      verdict,
      summary: `${verdict.replace('-', ' ')}: something`,
    });
    expect(describeHistoryOutages([outage(1, 'recovered')], 'utc')).toBe(
      '1 outage (shaded): Shard 0 stopped on 2026-11-30 03:00 UTC for 4 min: recovered: something.',
    );
    const text = describeHistoryOutages(
      [1, 2, 3, 4].map((i) => outage(i, 'probably-lost')),
      'utc',
    );
    expect(text).toMatch(/^4 outages \(shaded\), the last 3: Shard 0 stopped on 2026-11-30 04:00 UTC/);
    expect(outageLabel(outage(1, 'probably-lost'))).toBe('probably lost');
  });

  it('says when the top lists cover only part of the window', () => {
    expect(describeTopCoverage(990, 1000)).toBeUndefined();
    expect(describeTopCoverage(100, 1000)).toBe(
      'The relay kept top lists for only part of this window: they count 100 of its 1,000 hits.',
    );
  });

  it('writes spans to the minute, in days beyond a day', () => {
    expect(formatSpan(45)).toBe('45 s');
    expect(formatSpan(600)).toBe('10 min');
    expect(formatSpan(3 * 3600 + 600)).toBe('3 h 10 min');
    expect(formatSpan(2 * DAY + 4 * 3600)).toBe('2 d 4 h');
  });
});
