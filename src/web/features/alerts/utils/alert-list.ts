import { ALERT_HISTORY_MS, type Alert } from '../../../../contract/index.ts';

/** The alerts firing now, newest first. */
export function firingAlerts(alerts: readonly Alert[]): Alert[] {
  return alerts.filter((a) => a.state === 'firing').sort((a, b) => b.startsAt - a.startsAt);
}

/**
 * The history the panel shows: every firing alert (newest first), then those resolved within the
 * last 24 h before `now` (relay clock), the most recently ended first.
 */
export function alertHistory(alerts: readonly Alert[], now: number): Alert[] {
  const since = now - ALERT_HISTORY_MS;
  const ended = (a: Alert) => a.endsAt ?? a.startsAt;
  const resolved = alerts.filter((a) => a.state !== 'firing' && ended(a) >= since).sort((a, b) => ended(b) - ended(a));
  return [...firingAlerts(alerts), ...resolved];
}

/** How long an alert fired (ms): until it resolved, or until `now` while it fires. */
export function alertDurationMs(alert: Alert, now: number): number {
  return Math.max(0, (alert.endsAt ?? now) - alert.startsAt);
}

/** `Critical` / `Warning`: the severity as a word to start a sentence with. */
export function severityWord(alert: Pick<Alert, 'severity'>): string {
  return alert.severity === 'critical' ? 'Critical' : 'Warning';
}

/** The first line of a text, trimmed (a notification's body). */
export function firstLine(text: string): string {
  return (text.split(/\r?\n/, 1)[0] ?? '').trim();
}

/** The worst severity among alerts: what colours the banner. */
export function worstSeverity(alerts: readonly Alert[]): Alert['severity'] {
  return alerts.some((a) => a.severity === 'critical') ? 'critical' : 'warning';
}
