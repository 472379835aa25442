import { formatAgo } from '../../../lib/format.ts';
import { useLink, useLiveStoreApi } from '../../../lib/live-store/index.ts';
import { useNow } from '../../../lib/ticker.ts';
import type { LinkState } from '../../../lib/stream-link/index.ts';
import { Countdown } from './countdown.tsx';

/** What each link state is called on screen. */
export const LINK_WORDS: Record<LinkState['state'], string> = {
  connecting: 'connecting',
  open: 'connected',
  retrying: 'retrying',
  unauthorized: 'sign-in needed',
  stopped: 'stopped',
};

/**
 * The browser's own link to the relay: its state and one line under it, always one line (so the
 * header keeps its height): while retrying, its own countdown and Retry now; while connected,
 * how fresh the data is; otherwise why it is down.
 */
export function LinkNode() {
  const link = useLink();
  const store = useLiveStoreApi();
  const now = useNow();
  return (
    <div className="map-node map-node--browser">
      <span className="map-node__title">Browser</span>
      <span
        className={`link-state link-state--${link.state}`}
        data-testid="link-state"
        data-state={link.state}
        title={link.problem && link.state !== 'open' ? `${link.problem.code}: ${link.problem.message}` : undefined}
      >
        {LINK_WORDS[link.state]}
        {link.state === 'connecting' && link.attempt > 0 ? ` (attempt ${link.attempt + 1})` : ''}
      </span>
      <span className="map-node__line">
        {link.state === 'retrying' && link.retryAt !== undefined ? (
          <>
            <Countdown
              key={link.retryAt}
              until={link.retryAt}
              from={link.since}
              clock="local"
              testId="link-countdown"
              label="Relay link retries in"
            />
            <button type="button" className="button button--small" onClick={store.retryLinkNow}>
              Retry now
            </button>
          </>
        ) : link.state === 'open' ? (
          <span className="muted">
            {link.lastEventAt !== undefined ? `last event ${formatAgo(now - link.lastEventAt)}` : 'no event yet'}
          </span>
        ) : link.problem ? (
          <span className="muted" data-testid="link-problem" title={link.problem.details}>
            {link.problem.code}
          </span>
        ) : null}
      </span>
    </div>
  );
}
