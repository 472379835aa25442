import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { resolveTimeZone, TIME_ZONE_STORAGE_KEY, useTimeZone } from './time-zone.ts';

describe('useTimeZone', () => {
  it('is the browser’s own zone until UTC is chosen; the choice is remembered and put in the URL', () => {
    const { result } = renderHook(() => useTimeZone());
    expect(result.current[0]).toBe('local');
    act(() => result.current[1]('utc'));
    expect(result.current[0]).toBe('utc');
    expect(localStorage.getItem(TIME_ZONE_STORAGE_KEY)).toBe('utc');
    expect(new URLSearchParams(location.search).get('tz')).toBe('utc');
    act(() => result.current[1]('local'));
    expect(result.current[0]).toBe('local');
    expect(localStorage.getItem(TIME_ZONE_STORAGE_KEY)).toBeNull();
    expect(location.search).toBe('');
  });

  it('remembers UTC for the next visit, even from an address without it', () => {
    localStorage.setItem(TIME_ZONE_STORAGE_KEY, 'utc');
    const { result } = renderHook(() => useTimeZone());
    expect(result.current[0]).toBe('utc');
  });

  it('lets a shared address win over what this browser remembers', () => {
    localStorage.setItem(TIME_ZONE_STORAGE_KEY, 'utc');
    history.replaceState(null, '', '/?tz=local');
    const { result } = renderHook(() => useTimeZone());
    expect(result.current[0]).toBe('local');
    expect(resolveTimeZone('utc', 'local')).toBe('utc');
    expect(resolveTimeZone('mars', 'utc')).toBe('utc');
  });
});
