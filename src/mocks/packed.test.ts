import { describe, expect, it } from 'vitest';
import { ArrayList, pack, PackedList, transferables } from './packed.ts';

describe('packed records', () => {
  const records = [
    { t: 10, hits: 3, outage: false, outageState: undefined, byShard: [3] },
    { t: 11, hits: 0, outage: true, outageState: 'waiting', lagP50Ms: 1200 },
    { t: 12, hits: 7 },
  ];

  it('reads back numbers, booleans and strings, absent fields absent, arrays left out', () => {
    const packed = pack(records);
    expect(transferables(packed)).toHaveLength(4);
    const list = new PackedList<{ t: number }>(packed);
    expect(list.span(0, 100)).toEqual([
      { t: 10, hits: 3, outage: false },
      { t: 11, hits: 0, outage: true, outageState: 'waiting', lagP50Ms: 1200 },
      { t: 12, hits: 7 },
    ]);
  });

  it('reads a span [from, to) and builds each record once', () => {
    const list = new PackedList<{ t: number }>(pack(records));
    expect(list.span(11, 12).map((r) => r.t)).toEqual([11]);
    expect(list.span(11, 13)[0]).toBe(list.span(11, 12)[0]);
    expect(list.span(20, 30)).toEqual([]);
  });

  it('reads plain arrays the same way', () => {
    expect(new ArrayList(records).span(11, 13).map((r) => r.t)).toEqual([11, 12]);
  });
});
