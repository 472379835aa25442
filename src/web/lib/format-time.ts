/**
 * The one way the dashboard writes a moment: wall-clock times in the operator's chosen zone
 * (the browser's own, or UTC), always able to say which zone that is. Every input is epoch ms
 * unless the name says seconds. Pure functions: the chosen zone comes from `useTimeZone()`
 * (`lib/time-zone.ts`) in components, or is passed in by anything else (the support bundle).
 */

/** The operator's choice: the browser's own zone, or UTC. */
export type TimeZoneMode = 'local' | 'utc';

/**
 * What the functions below accept: a mode, or an IANA zone name (`Europe/Paris`), which tests and
 * exports use to be independent of the machine's zone.
 */
export type TimeZoneSetting = TimeZoneMode | (string & {});

export const TIME_ZONE_MODES: readonly TimeZoneMode[] = ['local', 'utc'];

export function isTimeZoneMode(value: unknown): value is TimeZoneMode {
  return value === 'local' || value === 'utc';
}

/** The IANA zone of a setting; undefined means the browser's own. */
function ianaZone(zone: TimeZoneSetting): string | undefined {
  if (zone === 'utc') return 'UTC';
  if (zone === 'local') return undefined;
  return zone;
}

// `Intl.DateTimeFormat` is expensive to build and the feed formats thousands of times a second:
// one formatter per (kind, zone), built on first use.
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'time' | 'minute' | 'date' | 'day' | 'name', zone: TimeZoneSetting): Intl.DateTimeFormat {
  const timeZone = ianaZone(zone);
  const key = `${kind}|${timeZone ?? ''}`;
  let f = cache.get(key);
  if (!f) {
    const base = timeZone === undefined ? {} : { timeZone };
    switch (kind) {
      case 'time':
        f = new Intl.DateTimeFormat('en-GB', {
          ...base,
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
          hourCycle: 'h23',
        });
        break;
      case 'minute':
        f = new Intl.DateTimeFormat('en-GB', { ...base, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
        break;
      case 'date':
        // en-CA writes dates as ISO 8601: 2025-01-31.
        f = new Intl.DateTimeFormat('en-CA', { ...base, year: 'numeric', month: '2-digit', day: '2-digit' });
        break;
      case 'day':
        f = new Intl.DateTimeFormat('en-GB', { ...base, day: 'numeric', month: 'short' });
        break;
      case 'name':
        f = new Intl.DateTimeFormat('en-US', { ...base, timeZoneName: 'short' });
        break;
    }
    cache.set(key, f);
  }
  return f;
}

const valid = (ms: number) => Number.isFinite(ms);

/** Wall-clock time, 24 h, in the zone: `14:03:22`. */
export function formatTime(ms: number, zone: TimeZoneSetting): string {
  return valid(ms) ? formatter('time', zone).format(ms) : '--:--:--';
}

/** Hours and minutes, 24 h, in the zone: `14:03` (chart axes). */
export function formatTimeShort(ms: number, zone: TimeZoneSetting): string {
  return valid(ms) ? formatter('minute', zone).format(ms) : '--:--';
}

/** The calendar date in the zone, ISO style: `2025-01-31`. */
export function formatDate(ms: number, zone: TimeZoneSetting): string {
  return valid(ms) ? formatter('date', zone).format(ms) : 'unknown date';
}

/** Day and month in the zone: `28 Nov` (the axis of a chart over days). */
export function formatDayMonth(ms: number, zone: TimeZoneSetting): string {
  return valid(ms) ? formatter('day', zone).format(ms) : '--';
}

/**
 * The zone's short name at that moment (daylight saving changes it): `UTC`, `EST`, `GMT+1`.
 * `at` defaults to now.
 */
export function zoneName(zone: TimeZoneSetting, at: number = Date.now()): string {
  if (ianaZone(zone) === 'UTC') return 'UTC';
  const part = formatter('name', zone)
    .formatToParts(valid(at) ? at : Date.now())
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? (zone === 'local' ? 'local time' : zone);
}

/** A time that says its zone: `14:03:22 UTC`, `09:03:22 EST`. */
export function formatTimeWithZone(ms: number, zone: TimeZoneSetting): string {
  return `${formatTime(ms, zone)} ${zoneName(zone, ms)}`;
}

/** Date, time and zone: `2025-01-31 14:03:22 UTC`. */
export function formatDateTime(ms: number, zone: TimeZoneSetting): string {
  return `${formatDate(ms, zone)} ${formatTimeWithZone(ms, zone)}`;
}

/** ISO 8601 in UTC, as support wants it: `2025-01-31T14:03:22.123Z` (`unknown` for a non-time). */
export function formatIsoUtc(ms: number): string {
  return valid(ms) ? new Date(ms).toISOString() : 'unknown';
}

/** How a zone choice is called on screen: `UTC`, or `Local (EST)`. */
export function zoneChoiceLabel(mode: TimeZoneMode, at: number = Date.now()): string {
  return mode === 'utc' ? 'UTC' : `Local (${zoneName('local', at)})`;
}
