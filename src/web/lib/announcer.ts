import { useSyncExternalStore } from 'react';

/** One polite live region's message: `announce()` sets it, the region reads `useAnnouncement()`. */
export interface Announcer {
  announce: (text: string) => void;
  useAnnouncement: () => string;
}

/**
 * A message for one live region. The same words twice in a row would not be read again, so a
 * repeat is varied invisibly.
 */
export function createAnnouncer(): Announcer {
  let message = '';
  let flip = false;
  const listeners = new Set<() => void>();
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const read = () => message;
  return {
    announce: (text) => {
      if (!text) return;
      flip = text === message.replace(/\u00a0$/, '') ? !flip : false;
      message = flip ? `${text}\u00a0` : text;
      for (const listener of listeners) listener();
    },
    useAnnouncement: () => useSyncExternalStore(subscribe, read),
  };
}

/**
 * The page's one polite status message. Connection changes are announced through it; the feed
 * and the countdowns never are (they would talk every second).
 */
const page = createAnnouncer();

export const announce = page.announce;
export const useAnnouncement = page.useAnnouncement;
