import { describe, expect, it } from 'vitest';
import { csvSet, isoSecond, seriesCsv } from './export-series.ts';

describe('seriesCsv', () => {
  it('writes what a chart draws: ISO 8601 UTC and epoch seconds, columns with units, gaps empty', () => {
    const points = [
      { t: 1_796_000_000, hits: 12.3456, lag: 30_000 },
      { t: 1_796_000_120, hits: null, lag: null },
    ];
    const csv = seriesCsv([
      csvSet(points, [
        { header: 'hits/s (mean of the point)', value: (p) => p.hits },
        { header: 'lag p50 (ms)', value: (p) => p.lag },
      ]),
    ]);
    expect(csv.split('\r\n')).toEqual([
      'time (ISO 8601 UTC),time (epoch s),hits/s (mean of the point),lag p50 (ms)',
      '2026-11-30T00:53:20Z,1796000000,12.346,30000',
      '2026-11-30T00:55:20Z,1796000120,,',
      '',
    ]);
  });

  it('merges the period compared with on time, oldest first', () => {
    const today = [{ t: 120, hits: 5 }];
    const yesterday = [
      { t: 0, compare: 4 },
      { t: 120, compare: 6 },
    ];
    const csv = seriesCsv([
      csvSet(today, [{ header: 'hits/s', value: (p) => p.hits }]),
      csvSet(yesterday, [{ header: 'Yesterday, same time (hits/s)', value: (p) => p.compare }]),
    ]);
    expect(csv.split('\r\n').slice(1, 3)).toEqual(['1970-01-01T00:00:00Z,0,,4', '1970-01-01T00:02:00Z,120,5,6']);
  });

  it('writes times to the second', () => {
    expect(isoSecond(1_796_000_000)).toBe('2026-11-30T00:53:20Z');
  });
});
