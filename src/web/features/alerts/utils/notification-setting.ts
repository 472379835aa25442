import { useSyncExternalStore } from 'react';
import type { Alert } from '../../../../contract/index.ts';
import { firstLine, severityWord } from './alert-list.ts';

/**
 * The operator's opt-in to browser notifications for alerts. Off until they ask for it: the
 * browser's permission is requested only from their click (`enableAlertNotifications`), and the
 * choice is remembered in localStorage, so the next visit keeps it (while the permission lasts).
 *
 * - `unsupported`: this browser has no Notification API (or not in this context);
 * - `denied`: the browser blocks notifications for this site (only its settings can change that);
 * - `asking`: the browser's permission prompt is open;
 * - `on`: opted in and permitted; `off`: anything else.
 */
export type AlertNotificationState = 'unsupported' | 'denied' | 'asking' | 'off' | 'on';

export const NOTIFY_STORAGE_KEY = 'livestream-monitor:alert-notifications';

const listeners = new Set<() => void>();
let asking = false;

function notificationApi(): typeof Notification | undefined {
  return typeof Notification === 'function' ? Notification : undefined;
}

function optedIn(): boolean {
  try {
    return localStorage.getItem(NOTIFY_STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}

function remember(on: boolean): void {
  try {
    if (on) localStorage.setItem(NOTIFY_STORAGE_KEY, 'on');
    else localStorage.removeItem(NOTIFY_STORAGE_KEY);
  } catch {
    // private mode: the choice lasts as long as the page
  }
}

function changed(): void {
  for (const listener of listeners) listener();
}

export function alertNotificationState(): AlertNotificationState {
  const api = notificationApi();
  if (!api) return 'unsupported';
  if (api.permission === 'denied') return 'denied';
  if (asking) return 'asking';
  return api.permission === 'granted' && optedIn() ? 'on' : 'off';
}

/**
 * The operator asked for notifications: asks the browser's permission if it was never given or
 * refused (this must run from their click), and remembers the choice when granted.
 */
export async function enableAlertNotifications(): Promise<AlertNotificationState> {
  const api = notificationApi();
  if (!api) return 'unsupported';
  let permission = api.permission;
  if (permission === 'default') {
    asking = true;
    changed();
    try {
      permission = await api.requestPermission();
    } catch {
      permission = api.permission;
    } finally {
      asking = false;
    }
  }
  if (permission === 'granted') remember(true);
  changed();
  return alertNotificationState();
}

export function disableAlertNotifications(): void {
  remember(false);
  changed();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab changed the choice.
  addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    removeEventListener('storage', listener);
  };
}

/** The opt-in's state, kept current. */
export function useAlertNotificationState(): AlertNotificationState {
  return useSyncExternalStore(subscribe, alertNotificationState);
}

/**
 * A browser notification for an alert that just fired, when the operator opted in and cannot see
 * the page (`document.visibilityState` is `hidden`): titled with its severity and summary, the
 * description's first line as its body, tagged with the alert's id so one alert notifies once
 * (every open tab shows the same notification, not one each). A click brings the page back.
 * Returns it, or undefined when none was shown.
 */
export function notifyAlert(alert: Alert): Notification | undefined {
  const api = notificationApi();
  if (!api || alertNotificationState() !== 'on' || document.visibilityState !== 'hidden') return undefined;
  try {
    const notification = new api(`${severityWord(alert)}: ${alert.summary}`, {
      body: firstLine(alert.description),
      tag: alert.id,
    });
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
    return notification;
  } catch {
    // Android's Chrome allows notifications only from a service worker: nothing to show here.
    return undefined;
  }
}
