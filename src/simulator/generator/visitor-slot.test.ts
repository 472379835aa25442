import { describe, expect, it } from 'vitest';
import { createHitGenerator } from './hit-generator.ts';
import { visitorHash, visitorSlot } from './visitor-slot.ts';

describe('visitorSlot', () => {
  const generator = createHitGenerator({ seed: 3 });
  const records = Array.from({ length: 5000 }, () => generator.next(Date.UTC(2025, 0, 1, 18)));

  it('sends every hit of a visitor to the same slot, in range', () => {
    const slotOf = new Map<string, number>();
    for (const record of records) {
      const slot = visitorSlot(record, 4);
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(slot).toBeLessThan(4);
      const key = `${record.visIdHigh as string}:${record.visIdLow as string}`;
      expect(slotOf.get(key) ?? slot).toBe(slot);
      slotOf.set(key, slot);
    }
  });

  it('spreads visitors over the slots', () => {
    const counts = [0, 0, 0, 0, 0, 0, 0, 0];
    for (const record of records) counts[visitorSlot(record, 8)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(records.length / 8 / 3);
  });

  it('is stable, and treats records without a visitor and N below 1 sanely', () => {
    const record = { visIdHigh: '9223372036854775808', visIdLow: '18446744073709551615' };
    expect(visitorHash(record)).toBe(visitorHash({ ...record }));
    expect(visitorSlot({ pageName: 'x' }, 5)).toBe(0);
    expect(visitorSlot(record, 0)).toBe(0);
    expect(visitorSlot({ mcVisIdHigh: '1', mcVisIdLow: '2' }, 3)).toBe(
      visitorSlot({ visIdHigh: '1', visIdLow: '2' }, 3),
    );
  });
});
