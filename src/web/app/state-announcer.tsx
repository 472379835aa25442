import { useEffect, useRef } from 'react';
import { useStatus } from '../features/connection/index.ts';
import { announce, useAnnouncement } from '../lib/announcer.ts';
import { useLink } from '../lib/live-store/index.ts';
import { useClockSkew } from '../lib/relay-clock.ts';
import { useNow } from '../lib/ticker.ts';
import { createAnnouncementMemory, nextAnnouncements, type AnnouncementMemory } from './state-announcements.ts';

/** Turns connection changes into polite announcements (see `state-announcements.ts`). */
export function StateAnnouncer() {
  const { data } = useStatus();
  const link = useLink();
  const now = useNow();
  const skew = useClockSkew();
  const memory = useRef<AnnouncementMemory | null>(null);
  const shards = data?.shards;
  useEffect(() => {
    memory.current ??= createAnnouncementMemory();
    const lines = nextAnnouncements(memory.current, { shards, link, relayNow: now + skew, localNow: now });
    if (lines.length > 0) announce(lines.join(' '));
  }, [shards, link, now, skew]);
  return null;
}

/** The page's one polite live region. The feed and the countdowns are deliberately not live regions. */
export function LiveRegion() {
  const message = useAnnouncement();
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="visually-hidden" data-testid="announcer">
      {message}
    </div>
  );
}
