import { useState } from 'react';

/**
 * `value` while `frozen` is false; the value it had when `frozen` became true, for as long as
 * it stays true. So a paused feed stands still even if the caller keeps passing new hits.
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
