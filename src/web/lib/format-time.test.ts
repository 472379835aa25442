import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatIsoUtc,
  formatTime,
  formatTimeShort,
  formatTimeWithZone,
  isTimeZoneMode,
  zoneChoiceLabel,
  zoneName,
} from './format-time.ts';

const WINTER = Date.UTC(2025, 0, 15, 18, 4, 5, 250);
const SUMMER = Date.UTC(2025, 6, 15, 18, 4, 5);

describe('format-time', () => {
  it('writes a moment in UTC or in any zone, 24-hour', () => {
    expect(formatTime(WINTER, 'utc')).toBe('18:04:05');
    expect(formatTime(WINTER, 'America/New_York')).toBe('13:04:05');
    expect(formatTime(WINTER, 'Asia/Tokyo')).toBe('03:04:05');
    expect(formatTime(Date.UTC(2025, 0, 1, 0, 0, 0), 'utc')).toBe('00:00:00');
    expect(formatTimeShort(WINTER, 'utc')).toBe('18:04');
    expect(formatTimeShort(WINTER, 'Europe/Paris')).toBe('19:04');
  });

  it('follows the browser’s zone for "local"', () => {
    const local = new Date(WINTER);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(formatTime(WINTER, 'local')).toBe(
      `${pad(local.getHours())}:${pad(local.getMinutes())}:${pad(local.getSeconds())}`,
    );
  });

  it('names the zone, with daylight saving', () => {
    expect(zoneName('utc')).toBe('UTC');
    expect(zoneName('America/New_York', WINTER)).toBe('EST');
    expect(zoneName('America/New_York', SUMMER)).toBe('EDT');
    expect(zoneName('Europe/Paris', WINTER)).toBe('GMT+1');
    expect(formatTimeWithZone(WINTER, 'utc')).toBe('18:04:05 UTC');
    expect(formatTimeWithZone(WINTER, 'America/New_York')).toBe('13:04:05 EST');
  });

  it('writes the date in the zone, which can be another day than in UTC', () => {
    expect(formatDate(WINTER, 'utc')).toBe('2025-01-15');
    expect(formatDate(WINTER, 'Asia/Tokyo')).toBe('2025-01-16');
    expect(formatDateTime(WINTER, 'Asia/Tokyo')).toBe('2025-01-16 03:04:05 GMT+9');
    expect(formatIsoUtc(WINTER)).toBe('2025-01-15T18:04:05.250Z');
  });

  it('never throws on a non-time', () => {
    expect(formatTime(Number.NaN, 'utc')).toBe('--:--:--');
    expect(formatIsoUtc(Number.NaN)).toBe('unknown');
  });

  it('labels the two choices of the switch', () => {
    expect(zoneChoiceLabel('utc')).toBe('UTC');
    expect(zoneChoiceLabel('local')).toMatch(/^Local \(.+\)$/);
    expect(isTimeZoneMode('utc')).toBe(true);
    expect(isTimeZoneMode('Europe/Paris')).toBe(false);
  });
});
