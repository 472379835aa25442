import { hashText } from './random.ts';

/**
 * Relative traffic by hour of the day (UTC, the site's own clock): quiet at night, a lunchtime
 * shoulder, a peak in the evening. Normalised below so the daily mean is exactly 1.
 */
const HOURLY = [
  0.55, 0.4, 0.3, 0.25, 0.22, 0.25, 0.35, 0.55, 0.8, 0.95, 1.05, 1.1, 1.15, 1.1, 1.05, 1.05, 1.1, 1.2, 1.4, 1.6, 1.75,
  1.7, 1.35, 0.9,
];

/** Bursts: in a few one-minute windows, a short spike (a newsletter lands, a post goes viral). */
const BURST_WINDOW_MS = 60_000;
const BURST_CHANCE = 0.08;
const BURST_MIN_S = 5;
const BURST_MAX_S = 12;
const BURST_MIN_FACTOR = 2;
const BURST_MAX_FACTOR = 3.5;

const HOURLY_MEAN = HOURLY.reduce((sum, v) => sum + v, 0) / HOURLY.length;
const BURST_MEAN_EXTRA =
  BURST_CHANCE *
  ((((BURST_MIN_S + BURST_MAX_S) / 2) * 1000) / BURST_WINDOW_MS) *
  ((BURST_MIN_FACTOR + BURST_MAX_FACTOR) / 2 - 1);

/** The daily rhythm alone at `nowMs`, mean 1 over a day. */
export function dailyFactor(nowMs: number): number {
  const hours = (((nowMs / 3_600_000) % 24) + 24) % 24;
  const index = Math.floor(hours);
  const from = HOURLY[index] ?? 1;
  const to = HOURLY[(index + 1) % 24] ?? 1;
  return (from + (to - from) * (hours - index)) / HOURLY_MEAN;
}

/** The burst multiplier at `nowMs`: 1 outside a burst. A pure function of time. */
export function burstFactor(nowMs: number): number {
  const window = Math.floor(nowMs / BURST_WINDOW_MS);
  const roll = hashText(`burst:${window}`);
  if (roll / 2 ** 32 >= BURST_CHANCE) return 1;
  const shape = hashText(`burst-shape:${window}`);
  const duration = (BURST_MIN_S + (shape % (BURST_MAX_S - BURST_MIN_S + 1))) * 1000;
  const start = (((shape >>> 8) % 1000) / 1000) * (BURST_WINDOW_MS - duration);
  const offset = nowMs - window * BURST_WINDOW_MS;
  if (offset < start || offset >= start + duration) return 1;
  return BURST_MIN_FACTOR + ((shape >>> 20) / 4096) * (BURST_MAX_FACTOR - BURST_MIN_FACTOR);
}

/**
 * Hits per second at `nowMs` (epoch ms) for a stream whose average is `baseRate` hits/s: a daily
 * rhythm (about a quarter of the average before dawn, 1.7× in the evening, UTC) with occasional
 * bursts of 2–3.5× lasting 5–12 s. The mean over a day is `baseRate` (within a percent).
 * Deterministic: the same instant always gives the same rate.
 */
export function rateAt(nowMs: number, baseRate: number): number {
  if (!(baseRate > 0)) return 0;
  return (baseRate * dailyFactor(nowMs) * burstFactor(nowMs)) / (1 + BURST_MEAN_EXTRA);
}
