import { memo, useState } from 'react';
import {
  disableAlertNotifications,
  enableAlertNotifications,
  useAlertNotificationState,
} from '../utils/notification-setting.ts';

/**
 * "Notify me when an alert fires": off until the operator turns it on; turning it on asks the
 * browser's permission (only then, from the click). Says plainly when the browser cannot, or
 * will not, show notifications. It takes no props: the alerts panel re-rendering with the live
 * stream leaves it (and its checkbox, whose attributes React writes at each update) alone.
 */
export const NotificationToggle = memo(function NotificationToggle() {
  const state = useAlertNotificationState();
  // The browser was asked and neither granted nor refused (the prompt was dismissed).
  const [dismissed, setDismissed] = useState(false);
  if (state === 'unsupported') {
    return (
      <p className="alerts-notify alerts-notify--note muted" data-testid="alerts-notify-state">
        This browser cannot show notifications: watch the banner at the top of the page.
      </p>
    );
  }
  if (state === 'denied') {
    return (
      <p className="alerts-notify alerts-notify--note" data-testid="alerts-notify-state">
        Notifications are blocked for this site: allow them in the browser&apos;s site settings to be notified when an
        alert fires.
      </p>
    );
  }
  const on = state === 'on';
  const hint =
    state === 'asking'
      ? 'Waiting for the browser’s permission…'
      : on
        ? 'While this tab is hidden, each alert that fires shows a notification.'
        : dismissed
          ? 'The browser did not allow notifications: try again, or allow them in its site settings.'
          : undefined;
  return (
    <div className="alerts-notify">
      <label className="alerts-notify__label">
        <input
          type="checkbox"
          checked={on}
          disabled={state === 'asking'}
          aria-describedby={hint ? 'alerts-notify-hint' : undefined}
          data-testid="alerts-notify"
          onChange={(event) => {
            if (!event.target.checked) {
              disableAlertNotifications();
              return;
            }
            setDismissed(false);
            void enableAlertNotifications().then((next) => setDismissed(next === 'off'));
          }}
        />{' '}
        Notify me when an alert fires
      </label>
      {hint ? (
        <span id="alerts-notify-hint" className="alerts-notify__hint muted" data-testid="alerts-notify-state">
          {hint}
        </span>
      ) : null}
    </div>
  );
});
