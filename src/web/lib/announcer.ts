import { useSyncExternalStore } from 'react';

/**
 * The page's one polite status message. Connection changes are announced through it; the feed
 * and the countdowns never are (they would talk every second).
 */
let message = '';
let flip = false;
const listeners = new Set<() => void>();

export function announce(text: string): void {
  if (!text) return;
  // The same words twice in a row would not be read again: vary them invisibly.
  flip = text === message.replace(/\u00a0$/, '') ? !flip : false;
  message = flip ? `${text}\u00a0` : text;
  for (const listener of listeners) listener();
}

export function useAnnouncement(): string {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => message,
  );
}
