import { formatCount } from '../lib/format.ts';
import { usePause } from '../lib/live-store/index.ts';
import { PAUSE_KEYS_LABEL, PAUSE_SHORTCUT, usePauseShortcut } from './keyboard-shortcuts.ts';

/** Pauses the feed and the charts (WCAG 2.2.2); while paused, counts what arrived. */
export function PauseButton() {
  const { paused, arrivedWhilePaused, toggle } = usePause();
  usePauseShortcut(toggle);
  return (
    <div className="pause">
      <button
        type="button"
        className="button"
        aria-pressed={paused}
        onClick={toggle}
        data-testid="pause-toggle"
        aria-keyshortcuts={PAUSE_SHORTCUT}
      >
        {paused ? 'Resume' : 'Pause'} feed and charts
      </button>
      <span className="muted pause__hint">
        <kbd>P</kbd> or <kbd>Space</kbd>
        <span className="visually-hidden"> ({PAUSE_KEYS_LABEL})</span>
      </span>
      {paused ? (
        <span className="badge badge--warn" data-testid="paused-count">
          paused · {formatCount(arrivedWhilePaused)} new
        </span>
      ) : null}
    </div>
  );
}
