import { useCallback, useSyncExternalStore } from 'react';

const CHANGE = 'livestream-monitor:urlchange';

function subscribe(listener: () => void): () => void {
  addEventListener('popstate', listener);
  addEventListener(CHANGE, listener);
  return () => {
    removeEventListener('popstate', listener);
    removeEventListener(CHANGE, listener);
  };
}

/** Reads one query-string parameter. */
export function readSearchParam(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

/** Sets (or, with null, removes) query-string parameters without adding history entries. */
export function writeSearchParams(values: Record<string, string | null>): void {
  const params = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === '') params.delete(name);
    else params.set(name, value);
  }
  const query = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  dispatchEvent(new Event(CHANGE));
}

/**
 * A view setting kept in the URL (window, filters) so a view can be shared by copying the address.
 * Returns the value (null when absent) and a setter.
 */
export function useSearchParam(name: string): [string | null, (value: string | null) => void] {
  const value = useSyncExternalStore(subscribe, () => readSearchParam(name));
  const set = useCallback((next: string | null) => writeSearchParams({ [name]: next }), [name]);
  return [value, set];
}
