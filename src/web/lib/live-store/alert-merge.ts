import type { Alert, AlertsResponse } from '../../../contract/index.ts';

/** The alerts as `GET /api/alerts` answers them, kept current by `alert` events. */
export type AlertsData = AlertsResponse;

/** Resolved alerts the page keeps at most (the relay keeps as many): a flapping rule cannot grow the list. */
export const MAX_RESOLVED_ALERTS = 500;

/**
 * The later copy of an alert (same id): it replaces the one known, but a resolved alert stays
 * resolved, whatever order the copies arrive in (a REST answer sent before the event cannot undo
 * it). Returns `known` itself when `next` changes nothing.
 */
export function mergeAlert(known: Alert, next: Alert): Alert {
  if (known.state === 'resolved' && next.state !== 'resolved') return known;
  if (known.state === next.state && known.endsAt === next.endsAt && known.summary === next.summary) return known;
  return { ...known, ...next };
}

/** When an alert last changed: its end once resolved, else its start. */
const changedAt = (alert: Alert) => alert.endsAt ?? alert.startsAt;

/**
 * The relay's order (CONTRACT.md, `GET /api/alerts`): firing first, newest first; then resolved,
 * the most recently ended first. At most `MAX_RESOLVED_ALERTS` resolved ones.
 */
export function sortAlerts(alerts: readonly Alert[]): Alert[] {
  const firing = alerts.filter((a) => a.state === 'firing').sort((a, b) => b.startsAt - a.startsAt);
  const resolved = alerts
    .filter((a) => a.state !== 'firing')
    .sort((a, b) => changedAt(b) - changedAt(a))
    .slice(0, MAX_RESOLVED_ALERTS);
  return [...firing, ...resolved];
}

/**
 * The alerts with one more copy of an alert: a new id is added, a known one replaced (firing →
 * resolved) and moved where its new state sorts it. Never a duplicate.
 */
export function withAlert(data: AlertsData | undefined, alert: Alert): AlertsData | undefined {
  if (!data) return data;
  const index = data.alerts.findIndex((a) => a.id === alert.id);
  if (index < 0) return { ...data, alerts: sortAlerts([alert, ...data.alerts]) };
  const merged = mergeAlert(data.alerts[index]!, alert);
  if (merged === data.alerts[index]) return data;
  const alerts = [...data.alerts];
  alerts[index] = merged;
  return { ...data, alerts: sortAlerts(alerts) };
}
