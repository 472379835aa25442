import { useEffect, useRef } from 'react';
import type { Alert } from '../../../../contract/index.ts';
import { createAnnouncer } from '../../../lib/announcer.ts';
import { alertChanges, createAlertMemory, type AlertMemory } from '../utils/alert-changes.ts';
import { severityWord } from '../utils/alert-list.ts';
import { notifyAlert } from '../utils/notification-setting.ts';

/**
 * The alerts' own polite live region. Not the page's: an alert often changes in the same second
 * as the connection state the page's region speaks of (a shard fails, and `shard_failed` fires),
 * and one region would drop one of the two messages.
 */
const alertAnnouncer = createAnnouncer();

export const useAlertAnnouncement = alertAnnouncer.useAnnouncement;

/** What the live region says when alerts fire and resolve. */
export function alertAnnouncement(fired: readonly Alert[], resolved: readonly Alert[]): string {
  return [
    ...fired.map((a) => `${severityWord(a)} alert firing: ${a.summary}`),
    ...resolved.map((a) => `Alert resolved: ${a.summary}`),
  ].join(' ');
}

/**
 * Watches the alerts (mounted once, by the banner): a new firing alert and a resolution are
 * announced politely, and a new firing alert becomes a browser notification when the operator
 * opted in and the tab is hidden. What was there when the page opened is not news.
 */
export function useAlertWatch(alerts: readonly Alert[] | undefined): void {
  const memory = useRef<AlertMemory | null>(null);
  useEffect(() => {
    if (!alerts) return;
    memory.current ??= createAlertMemory();
    const { fired, resolved } = alertChanges(memory.current, alerts);
    if (fired.length === 0 && resolved.length === 0) return;
    alertAnnouncer.announce(alertAnnouncement(fired, resolved));
    for (const alert of fired) notifyAlert(alert);
  }, [alerts]);
}
