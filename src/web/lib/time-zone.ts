import { useCallback, useSyncExternalStore } from 'react';
import { isTimeZoneMode, type TimeZoneMode } from './format-time.ts';
import { useSearchParam, writeSearchParams } from './url-state.ts';

/**
 * The zone the dashboard writes times in: the browser's own (default) or UTC. Remembered in
 * localStorage like the theme, and carried in the URL (`?tz=utc`) so a shared view shows the
 * same times; the URL wins over what this browser remembers.
 */

export const TIME_ZONE_STORAGE_KEY = 'livestream-monitor:time-zone';
export const TIME_ZONE_PARAM = 'tz';

const listeners = new Set<() => void>();

function readStored(): TimeZoneMode {
  try {
    return localStorage.getItem(TIME_ZONE_STORAGE_KEY) === 'utc' ? 'utc' : 'local';
  } catch {
    return 'local';
  }
}

function subscribeStored(listener: () => void): () => void {
  listeners.add(listener);
  addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    removeEventListener('storage', listener);
  };
}

/** The zone in effect: `?tz=` when it names one, else the remembered choice. */
export function resolveTimeZone(param: string | null, stored: TimeZoneMode): TimeZoneMode {
  return isTimeZoneMode(param) ? param : stored;
}

/** Remembers the choice and puts it in the URL (`tz=utc`; local, the default, leaves the URL clean). */
export function setTimeZone(mode: TimeZoneMode): void {
  try {
    if (mode === 'local') localStorage.removeItem(TIME_ZONE_STORAGE_KEY);
    else localStorage.setItem(TIME_ZONE_STORAGE_KEY, mode);
  } catch {
    // private mode: the URL still carries it
  }
  writeSearchParams({ [TIME_ZONE_PARAM]: mode === 'utc' ? 'utc' : null });
  for (const listener of listeners) listener();
}

/** The zone to write times in, and a setter. */
export function useTimeZone(): [TimeZoneMode, (mode: TimeZoneMode) => void] {
  const [param] = useSearchParam(TIME_ZONE_PARAM);
  const stored = useSyncExternalStore(subscribeStored, readStored);
  const set = useCallback((mode: TimeZoneMode) => setTimeZone(mode), []);
  return [resolveTimeZone(param, stored), set];
}
