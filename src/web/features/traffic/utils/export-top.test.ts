import { describe, expect, it } from 'vitest';
import type { Top } from '../../../../contract/index.ts';
import { exportTop } from './export-top.ts';

const top: Top = {
  window: 900,
  at: Date.UTC(2026, 10, 30, 15, 0, 0),
  hits: 200,
  pages: [{ key: 'Home, sweet', count: 100 }],
  countries: [{ key: 'usa', count: 50 }],
  browsers: [],
  devices: [],
  events: [{ key: 'purchase', count: 4 }],
  revenue: 0,
  bots: 0,
  errorPages: [],
};

describe('exportTop', () => {
  it('writes every list entry with its share as CSV', () => {
    expect(exportTop(top, 'csv').split('\r\n')).toEqual([
      'window_s,at,list,key,count,share',
      '900,2026-11-30T15:00:00.000Z,pages,"Home, sweet",100,0.5',
      '900,2026-11-30T15:00:00.000Z,countries,usa,50,0.25',
      '900,2026-11-30T15:00:00.000Z,events,purchase,4,0.02',
      '',
    ]);
  });

  it('writes one object per entry as NDJSON', () => {
    const lines = exportTop(top, 'ndjson')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({
      window: 900,
      at: '2026-11-30T15:00:00.000Z',
      list: 'pages',
      key: 'Home, sweet',
      count: 100,
    });
    expect(lines).toHaveLength(3);
  });
});
