import { describe, expect, it } from 'vitest';
import { parseJsonKeepingIds } from './request-body.ts';

describe('parseJsonKeepingIds', () => {
  it('keeps every digit of bare 64-bit id fields and leaves other numbers alone', () => {
    const parsed = parseJsonKeepingIds(
      '{"record":{"hitIdHigh": 18446744073709551615,"hitIdLow":9007199254740993,"count":12,"note":"\\"hitIdLow\\":1"}}',
    ) as { record: Record<string, unknown> };
    expect(parsed.record).toEqual({
      hitIdHigh: '18446744073709551615',
      hitIdLow: '9007199254740993',
      count: 12,
      note: '"hitIdLow":1',
    });
  });
});
