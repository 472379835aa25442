import { describe, expect, it } from 'vitest';
import { burstFactor, dailyFactor, rateAt } from './traffic-rate.ts';

const DAY = Date.UTC(2025, 4, 6);
const at = (hour: number) => DAY + hour * 3_600_000;

describe('rateAt', () => {
  it('averages the base rate over a day', () => {
    let sum = 0;
    let samples = 0;
    for (let t = DAY; t < DAY + 86_400_000; t += 5_000) {
      sum += rateAt(t, 300);
      samples++;
    }
    expect(sum / samples).toBeGreaterThan(290);
    expect(sum / samples).toBeLessThan(310);
  });

  it('is quiet at night and peaks in the evening', () => {
    expect(dailyFactor(at(4))).toBeLessThan(0.35);
    expect(dailyFactor(at(20))).toBeGreaterThan(1.5);
    expect(dailyFactor(at(12))).toBeGreaterThan(dailyFactor(at(7)));
  });

  it('has occasional short bursts, and is a pure function of time', () => {
    let burstSeconds = 0;
    let longest = 0;
    let run = 0;
    for (let t = DAY; t < DAY + 86_400_000; t += 1000) {
      if (burstFactor(t) > 1) {
        burstSeconds++;
        run++;
        longest = Math.max(longest, run);
      } else {
        run = 0;
      }
    }
    expect(burstSeconds).toBeGreaterThan(100);
    expect(burstSeconds).toBeLessThan(86_400 * 0.05);
    expect(longest).toBeLessThanOrEqual(12);
    expect(rateAt(at(15.5), 100)).toBe(rateAt(at(15.5), 100));
  });

  it('is zero for a zero or negative base', () => {
    expect(rateAt(at(20), 0)).toBe(0);
    expect(rateAt(at(20), -5)).toBe(0);
  });
});
