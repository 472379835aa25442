import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import type { HitSummary } from '../../../../contract/index.ts';
import { ApiProblemError } from '../../../lib/api-client.ts';
import { getHitOptions, HitGoneError } from '../api/get-hit.ts';
import { exactIds, stringifyExact } from '../utils/exact-json.ts';
import { formatMoney } from '../../../lib/format.ts';
import { formatDateTime, formatIsoUtc } from '../../../lib/format-time.ts';
import { useTimeZone } from '../../../lib/time-zone.ts';
import { formatAgent, formatPlace } from '../utils/format.ts';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface HitDrawerProps {
  /** The summary the row showed: displayed at once, while the full record loads. */
  hit: HitSummary;
  onClose: () => void;
  /** ISO 4217 code revenue is in, when known; the full record's own `currency` wins once loaded. */
  currency?: string | undefined;
}

/**
 * A modal side drawer with one hit: its summary, its 64-bit ids with their exact digits, and
 * the full raw record from `GET /api/hits/:hitId` pretty-printed (unknown fields kept, ids
 * exact). Focus moves in on open, is trapped while open, and returns to where it was on close;
 * Esc or the backdrop closes.
 */
export function HitDrawer({ hit, onClose, currency }: HitDrawerProps) {
  const [zone] = useTimeZone();
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const query = useQuery(getHitOptions(hit.hitId));
  const pretty = useMemo(() => (query.data ? stringifyExact(query.data) : ''), [query.data]);
  const ids = useMemo(() => (query.data ? exactIds(query.data) : []), [query.data]);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    return () => previous?.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !dialogRef.current) return;
    const focusable = [...dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const copy = () => {
    void navigator.clipboard
      ?.writeText(pretty)
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  };

  const error = query.error;
  const summary: Array<[string, string]> = [
    ['Arrived', `${formatDateTime(hit.arrivedAt, zone)} (${formatIsoUtc(hit.arrivedAt)})`],
    ['Page', hit.pageName ?? ''],
    ['URL', hit.pageURL ?? ''],
    ['Where', formatPlace(hit.geoCity, hit.geoCountry, 'name')],
    ['Browser / OS', formatAgent(hit.browser, hit.operatingSystem)],
    ['Events', hit.events?.join(', ') ?? ''],
    [
      'Revenue',
      hit.revenue === undefined
        ? ''
        : formatMoney(
            hit.revenue,
            hit.currency ?? (typeof query.data?.currency === 'string' ? query.data.currency : currency),
          ),
    ],
    ['Bot', hit.bot === undefined ? '' : hit.bot ? 'yes' : 'no'],
    ['Report suite', hit.reportSuite ?? ''],
    ['Shard', String(hit.shard)],
    ['Sequence', String(hit.seq)],
  ];

  return createPortal(
    <div className="feed-drawer__layer">
      <div className="feed-drawer__backdrop" onClick={onClose} />
      <div
        ref={dialogRef}
        className="feed-drawer"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={onKeyDown}
        data-testid="hit-drawer"
      >
        <header className="feed-drawer__header">
          <h2 id={titleId} className="feed-drawer__title">
            Hit <span className="feed-mono">{hit.hitId}</span>
          </h2>
          <button ref={closeRef} type="button" className="feed-button" onClick={onClose}>
            Close
          </button>
        </header>
        <dl className="feed-drawer__fields">
          {summary
            .filter(([, value]) => value !== '')
            .map(([name, value]) => (
              <div key={name} className="feed-drawer__field">
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
        </dl>
        {query.isPending ? <p className="feed-drawer__status">Loading the full hit…</p> : null}
        {error instanceof HitGoneError ? (
          <p className="feed-drawer__status" data-testid="hit-gone">
            This hit is no longer in memory: the relay keeps only its recent hits. The summary above is all that is
            left.
          </p>
        ) : error ? (
          <p className="feed-drawer__status feed-drawer__status--bad">
            Could not load the full hit:{' '}
            {error instanceof ApiProblemError ? `${error.problem.message} (${error.problem.code})` : error.message}
          </p>
        ) : null}
        {query.data ? (
          <>
            {ids.length > 0 ? (
              <>
                <h3 className="feed-drawer__subtitle">Ids (exact)</h3>
                <dl className="feed-drawer__fields" data-testid="hit-ids">
                  {ids.map(([field, digits]) => (
                    <div key={field} className="feed-drawer__field">
                      <dt>{field}</dt>
                      <dd className="feed-mono">{digits}</dd>
                    </div>
                  ))}
                </dl>
              </>
            ) : null}
            <div className="feed-drawer__record-head">
              <h3 className="feed-drawer__subtitle">Full record</h3>
              <button type="button" className="feed-button" onClick={copy}>
                {copied ? 'Copied' : 'Copy JSON'}
              </button>
            </div>
            <pre
              className="feed-drawer__record feed-mono"
              tabIndex={0}
              aria-label="Full record as JSON"
              data-testid="hit-json"
            >
              {pretty}
            </pre>
          </>
        ) : null}
      </div>
    </div>,
    document.body,
  );
}
