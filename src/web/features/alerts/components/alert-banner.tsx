import { useMemo } from 'react';
import type { Alert } from '../../../../contract/index.ts';
import { formatAgo } from '../../../lib/format.ts';
import { useLink } from '../../../lib/live-store/index.ts';
import { useRelayNow } from '../../../lib/ticker.ts';
import { useAlerts } from '../api/get-alerts.ts';
import { useAlertAnnouncement, useAlertWatch } from '../hooks/use-alert-watch.ts';
import { firingAlerts, worstSeverity } from '../utils/alert-list.ts';
import { AlertTime } from './alert-time.tsx';
import { SeverityBadge } from './severity-badge.tsx';
import '../alerts.css';

/** Where the banner's link takes the operator: the Alerts panel. */
export const ALERTS_PANEL_ID = 'alerts';

/**
 * Above everything (the header included): one line per firing alert, with its severity in words
 * and colour, its summary, since when (UTC, and how long ago) and its shard; gone when nothing
 * fires. Also the alerts' polite live region, which says when one fires and when it resolves,
 * and the watch that turns a new one into a browser notification (when opted in).
 */
export function AlertBanner() {
  const { data } = useAlerts();
  const alerts = data?.alerts;
  useAlertWatch(alerts);
  const message = useAlertAnnouncement();
  const firing = useMemo(() => firingAlerts(alerts ?? []), [alerts]);
  return (
    <>
      {firing.length > 0 ? <FiringAlerts alerts={firing} /> : null}
      <div
        role="status"
        aria-live="polite"
        aria-atomic="true"
        className="visually-hidden"
        data-testid="alerts-announcer"
      >
        {message}
      </div>
    </>
  );
}

function FiringAlerts({ alerts }: { alerts: readonly Alert[] }) {
  const now = useRelayNow();
  const link = useLink();
  const stale = link.state === 'retrying' || link.state === 'unauthorized';
  const label = `${alerts.length === 1 ? '1 alert' : `${alerts.length} alerts`} firing${stale ? ' (last known: the relay link is down)' : ''}`;
  return (
    <section
      className={`alert-banner alert-banner--${worstSeverity(alerts)}`}
      // A landmark, not a heading: it comes before the page's h1.
      aria-label={label}
      data-testid="alert-banner"
    >
      <ul className="alert-banner__list">
        {alerts.map((alert) => (
          <li
            key={alert.id}
            className="alert-line"
            data-testid="alert-line"
            data-rule={alert.rule}
            data-severity={alert.severity}
          >
            <SeverityBadge severity={alert.severity} />
            <span className="alert-line__summary" title={alert.summary}>
              {alert.summary}
            </span>
            {alert.shard !== undefined ? <span className="alert-line__shard">shard {alert.shard}</span> : null}
            <span className="alert-line__since">
              <span className="alert-line__utc">
                since <AlertTime at={alert.startsAt} now={now} />,{' '}
              </span>
              {formatAgo(now - alert.startsAt)}
            </span>
          </li>
        ))}
      </ul>
      <p className="alert-banner__aside">
        {stale ? <span className="alert-banner__stale">last known</span> : null}
        <a href={`#${ALERTS_PANEL_ID}`}>All alerts</a>
      </p>
    </section>
  );
}
