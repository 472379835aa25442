import { useEffect, useMemo, useRef, useState } from 'react';
import type { Alert } from '../../../../contract/index.ts';
import { ApiProblemError } from '../../../lib/api-client.ts';
import { formatDuration } from '../../../lib/format.ts';
import { useRelayNow } from '../../../lib/ticker.ts';
import { useAlerts } from '../api/get-alerts.ts';
import { alertDurationMs, alertHistory } from '../utils/alert-list.ts';
import { ALERTS_PANEL_ID } from './alert-banner.tsx';
import { AlertTime } from './alert-time.tsx';
import { NotificationToggle } from './notification-toggle.tsx';
import { SeverityBadge } from './severity-badge.tsx';
import '../alerts.css';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Resolved alerts listed before "Show all": the panel shares its column with the error objects. */
export const RESOLVED_SHOWN = 10;

/**
 * The alerts of the last 24 h: the firing ones first, in full; then the resolved ones, newest
 * first, each a line that opens to the whole alert. Times in UTC, as in the alerts' own texts.
 * The opt-in to browser notifications lives here, where it stays whether or not anything fires.
 */
export function AlertsPanel() {
  const alerts = useAlerts();
  const now = useRelayNow();
  const all = alerts.data?.alerts;
  const history = useMemo(() => alertHistory(all ?? [], now), [all, now]);
  const [showAll, setShowAll] = useState(false);
  // "Show all" disappears once pressed: the keyboard goes on from the first alert it showed.
  const firstMore = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (showAll) firstMore.current?.focus();
  }, [showAll]);
  const firing = history.filter((a) => a.state === 'firing');
  const resolved = history.filter((a) => a.state !== 'firing');
  const hidden = showAll ? 0 : Math.max(0, resolved.length - RESOLVED_SHOWN);
  return (
    <section
      id={ALERTS_PANEL_ID}
      tabIndex={-1}
      className="panel alerts-panel"
      aria-labelledby="alerts-heading"
      data-testid="alerts-panel"
    >
      <div className="panel__head">
        <h2 id="alerts-heading">Alerts</h2>
        <NotificationToggle />
      </div>
      {alerts.error ? (
        <p className="inline-problem">
          Could not load the alerts:{' '}
          {alerts.error instanceof ApiProblemError ? alerts.error.problem.code : alerts.error.message}
        </p>
      ) : alerts.isPending ? (
        <p className="muted">Loading the alerts…</p>
      ) : history.length === 0 ? (
        <p className="muted" data-testid="alerts-empty">
          No alert in the last 24 h. The relay raises one when no shard streams, a shard fails, hits arrive late or
          traffic drops, and lists it here.
        </p>
      ) : (
        <>
          <p className="muted" data-testid="alerts-summary">
            Last 24 h: {plural(firing.length, 'alert')} firing, {resolved.length} resolved; firing first, newest first.
            Times in UTC.
          </p>
          <ul className="alert-list" aria-label="Alert history">
            {firing.map((alert) => (
              <li key={alert.id}>
                <AlertEntry alert={alert} now={now} />
              </li>
            ))}
            {resolved.slice(0, resolved.length - hidden).map((alert, i) => (
              <li key={alert.id}>
                <details className="alert-resolved" data-testid="alert-resolved" data-rule={alert.rule}>
                  <summary ref={i === RESOLVED_SHOWN ? firstMore : undefined}>
                    <SeverityBadge severity={alert.severity} /> <code>{alert.rule}</code>{' '}
                    <span className="badge alert-state alert-state--resolved">resolved</span> {alert.summary}{' '}
                    <span className="muted">
                      (ended <AlertTime at={alert.endsAt ?? alert.startsAt} now={now} />, after{' '}
                      {formatDuration(alertDurationMs(alert, now) / 1000)})
                    </span>
                  </summary>
                  <AlertEntry alert={alert} now={now} />
                </details>
              </li>
            ))}
          </ul>
          {hidden > 0 ? (
            <button
              type="button"
              className="button button--small alerts-more"
              data-testid="alerts-show-all"
              onClick={() => setShowAll(true)}
            >
              Show {hidden} older resolved {hidden === 1 ? 'alert' : 'alerts'}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}

/** One alert in full: rule, severity, state, shard, summary, description, started, ended, duration. */
export function AlertEntry({ alert, now }: { alert: Alert; now: number }) {
  const headingId = `alert-${alert.id}`;
  const firing = alert.state === 'firing';
  return (
    <article
      className={`alert-entry alert-entry--${alert.state} alert-entry--${alert.severity}`}
      aria-labelledby={headingId}
      data-testid="alert-entry"
      data-rule={alert.rule}
      data-state={alert.state}
    >
      <header className="alert-entry__head">
        <h3 id={headingId} className="alert-entry__rule">
          <code>{alert.rule}</code>
        </h3>
        <SeverityBadge severity={alert.severity} />
        <span className={`badge alert-state alert-state--${alert.state}`} data-testid="alert-state">
          {alert.state}
        </span>
        {alert.shard !== undefined ? <span className="badge badge--status">shard {alert.shard}</span> : null}
      </header>
      <p className="alert-entry__summary">{alert.summary}</p>
      {alert.description ? <p className="alert-entry__description">{alert.description}</p> : null}
      <dl className="facts facts--compact">
        <dt>Started</dt>
        <dd>
          <AlertTime at={alert.startsAt} date />
        </dd>
        <dt>Ended</dt>
        <dd>{alert.endsAt !== undefined ? <AlertTime at={alert.endsAt} date /> : <span>still firing</span>}</dd>
        <dt>Duration</dt>
        <dd>
          {formatDuration(alertDurationMs(alert, now) / 1000)}
          {firing ? ' so far' : ''}
        </dd>
      </dl>
    </article>
  );
}
