import type { Sampled } from '../../../../contract/index.ts';
import { memo, useId, useMemo, useState } from 'react';
import type { HitSummary } from '../../../../contract/index.ts';
import { visibleRows } from '../utils/filter.ts';
import { exportFeed } from '../utils/export-feed.ts';
import { ExportButtons } from '../../../lib/export-buttons.tsx';
import { formatCount } from '../../../lib/format.ts';
import { describePick, type TopPick } from '../../../lib/top-pick.ts';
import { useFrozen } from '../../../lib/use-frozen.ts';
import { useSteadySampling } from '../../../lib/use-steady.ts';
import { HitDrawer } from './hit-drawer.tsx';
import { HitTable } from './hit-table.tsx';
import '../feed.css';

/** Props of {@link FeedPanel}: the panel holds no stream state of its own. */
export interface FeedPanelProps {
  /**
   * The summaries the store keeps (bounded, a few thousand), **oldest first / newest last** —
   * the order they arrive. Displayed newest first. Never mutate the array or its objects in place.
   */
  hits: readonly HitSummary[];
  /** Feed and charts paused (WCAG 2.2.2). While true the table stands still, whatever `hits` does. */
  paused: boolean;
  /** Toggles `paused`. The app may bind a keyboard shortcut to the same action. */
  onTogglePause: () => void;
  /** Distinct hits that arrived since pausing (shown as "Paused — 1,234 new"). */
  arrivedWhilePaused: number;
  /** Text filter over page, URL, country, city, browser, OS, events and hit id (keep it in the URL). */
  filter: string;
  /** Keep it stable (`useCallback`): the filter field then stays still while the feed moves. */
  onFilterChange: (filter: string) => void;
  /**
   * A top-list entry the operator clicked: only its hits are shown, the panel says so and offers
   * `onClearPick` as the way back (keep it in the URL too).
   */
  pick?: TopPick | undefined;
  onClearPick?: (() => void) | undefined;
  /** The latest `sampled` of a `hits` event; when `kept < total` the "1 in N shown" marker appears. */
  sampled?: Sampled | undefined;
  /** Distinct hits the relay reported to this browser since the feed started (sampled or not). */
  received: number;
  /** Hits that reached the feed. */
  shown: number;
  /** The app's pause shortcut in `aria-keyshortcuts` syntax (e.g. `"P"`), announced on the button. */
  pauseShortcut?: string | undefined;
  /** ISO 4217 code revenue is in, when known (`$12.50`); amounts carry no symbol without it. */
  currency?: string | undefined;
}

/**
 * The feed's text filter, re-rendered only when its props change (keep `onChange` stable): the
 * panel re-renders with every feed frame, up to 60 times a second, and React writes an input's
 * `type` and `name` again at each of its updates, a style recalculation for the page each time.
 */
const FilterField = memo(function FilterField(props: { id: string; value: string; onChange: (value: string) => void }) {
  const { id, value, onChange } = props;
  return (
    <label className="feed__filter" htmlFor={id}>
      <span>Filter</span>
      <input
        id={id}
        type="search"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="page, country, city, browser, event, hit id"
        autoComplete="off"
        spellCheck={false}
      />
    </label>
  );
});

/**
 * The live hit feed: a virtualised, filterable table; a row opens a drawer with the full hit.
 * Deliberately not a live region: thousands of rows a minute would drown a screen reader.
 */
export function FeedPanel(props: FeedPanelProps) {
  const { paused, onTogglePause, arrivedWhilePaused, filter, onFilterChange, sampled, received, shown } = props;
  const hits = useFrozen(props.hits, paused);
  const { pick, onClearPick } = props;
  const rows = useMemo(() => visibleRows(hits, filter, pick), [hits, filter, pick]);
  const narrowed = filter.trim() !== '' || pick !== undefined;
  const [open, setOpen] = useState<HitSummary | null>(null);
  // Read, not watched: changed at most once a second (each change lays the whole page out again).
  const { label: sampledText, counts: sampledCounts } = useSteadySampling(sampled, received, shown);
  const filterId = useId();

  return (
    <section className="feed" aria-labelledby="feed-title" data-testid="feed-panel">
      <header className="feed__header">
        <h2 id="feed-title" className="feed__title">
          Live feed
        </h2>
        <button
          type="button"
          className="feed-button feed__pause"
          onClick={onTogglePause}
          aria-keyshortcuts={props.pauseShortcut}
          title={props.pauseShortcut ? `Shortcut: ${props.pauseShortcut}` : undefined}
          data-testid="feed-pause"
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
        {paused ? (
          <span className="feed__paused" data-testid="feed-paused">
            Paused — {formatCount(arrivedWhilePaused)} new
          </span>
        ) : null}
        <FilterField id={filterId} value={filter} onChange={onFilterChange} />
        <span className="feed__count" data-testid="feed-count">
          {narrowed
            ? `${formatCount(rows.length)} of ${formatCount(hits.length)} hits`
            : `${formatCount(hits.length)} hits`}
        </span>
        <ExportButtons
          what="feed"
          label={`the ${formatCount(rows.length)} hits shown`}
          build={(format) => exportFeed(rows, format)}
          disabled={rows.length === 0}
          testId="feed-export"
        />
        {pick ? (
          <p className="feed__pick" data-testid="feed-pick" role="status">
            <span>
              Showing only hits whose {describePick(pick)} (picked in the top lists), among the{' '}
              {formatCount(hits.length)} most recent.
            </span>{' '}
            {onClearPick ? (
              <button type="button" className="feed-button" onClick={onClearPick} data-testid="feed-pick-clear">
                Show all hits
              </button>
            ) : null}
          </p>
        ) : null}
        {sampledText ? (
          <p className="feed__sampled" data-testid="feed-sampled">
            <strong>{sampledText}</strong>: {sampledCounts}.
          </p>
        ) : null}
      </header>
      {rows.length === 0 ? (
        <p className="feed__empty">
          {hits.length === 0
            ? 'Waiting for hits…'
            : pick && !filter.trim()
              ? `No hit in the feed whose ${describePick(pick)} yet.`
              : `No hit matches “${filter}”${pick ? ` among those whose ${describePick(pick)}` : ''}.`}
        </p>
      ) : null}
      <HitTable rows={rows} onOpen={setOpen} label="Live hits, newest first" currency={props.currency} />
      {open ? <HitDrawer hit={open} onClose={() => setOpen(null)} currency={props.currency} /> : null}
    </section>
  );
}
