import { useState } from 'react';

/**
 * `value` while `frozen` is false; the value it had when `frozen` became true, for as long as
 * it stays true (pause, WCAG 2.2.2): a paused panel stands still even if its caller keeps passing new data.
 */
export function useFrozen<T>(value: T, frozen: boolean): T {
  const [held, setHeld] = useState<{ value: T } | null>(null);
  if (frozen && held === null) {
    setHeld({ value });
    return value;
  }
  if (!frozen && held !== null) setHeld(null);
  return frozen && held ? held.value : value;
}
