import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { HitSummary } from '../../../../contract/index.ts';
import { formatMoney } from '../../../lib/format.ts';
import { formatTime, zoneName, type TimeZoneMode } from '../../../lib/format-time.ts';
import { useTimeZone } from '../../../lib/time-zone.ts';
import { formatAgent, formatPlace } from '../utils/format.ts';

/** Row and header height in px (fixed: rows are never measured, which keeps scrolling cheap). */
export const ROW_HEIGHT = 32;
const HEADER_HEIGHT = ROW_HEIGHT;

const COLUMNS = ['Time', 'Page', 'Where', 'Browser / OS', 'Events', 'Revenue', 'Bot', 'Shard', 'Hit id'] as const;

export interface HitTableProps {
  /** Rows in display order (newest first). */
  rows: readonly HitSummary[];
  onOpen: (hit: HitSummary) => void;
  /** Accessible name of the grid. */
  label: string;
  /** ISO 4217 code revenue is in, when known (`$12.50`). */
  currency?: string | undefined;
}

/**
 * A virtualised grid of hit summaries: only the rows in view (plus overscan) are in the DOM.
 * Keyboard: the grid is one tab stop; arrows, Page Up/Down, Home and End move the active row
 * (`aria-activedescendant`), Enter or Space opens it. New rows arriving at the top do not move
 * what a scrolled-down reader is looking at.
 */
export function HitTable({ rows, onOpen, label, currency }: HitTableProps) {
  const [zone] = useTimeZone();
  const baseId = useId();
  const rowId = (hitId: string) => `${baseId}-hit-${hitId}`;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [activeId, setActiveId] = useState<string | null>(null);

  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is read during render by design; the compiler just skips this component
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.hitId ?? index,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    overscan: 12,
  });

  const activeIndex = useMemo(
    () => (activeId === null ? -1 : rows.findIndex((r) => r.hitId === activeId)),
    [rows, activeId],
  );

  // Keep the rows in view where they are when newer hits are prepended above them.
  const firstIdRef = useRef<string | undefined>(undefined);
  // Reads no layout unless rows were prepended above a scrolled reader: the virtualizer's last
  // scroll offset (kept from scroll events) says whether the reader has scrolled.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const previous = firstIdRef.current;
    firstIdRef.current = rows[0]?.hitId;
    if (!el || previous === undefined || previous === rows[0]?.hitId) return;
    if ((virtualizer.scrollOffset ?? 0) <= 0) return;
    let added = 0;
    while (added < rows.length && rows[added]!.hitId !== previous) added++;
    if (added > 0 && added < rows.length) el.scrollTop += added * ROW_HEIGHT;
  }, [rows, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items.at(-1);
  const paddingTop = first ? first.start - HEADER_HEIGHT : 0;
  const paddingBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const activeRendered = items.some((item) => item.index === activeIndex);

  const moveTo = (index: number) => {
    if (rows.length === 0) return;
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    setActiveId(rows[clamped]!.hitId);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const current = activeIndex < 0 ? -1 : activeIndex;
    const moves: Record<string, () => void> = {
      ArrowDown: () => moveTo(current + 1),
      ArrowUp: () => moveTo(current - 1),
      PageDown: () => moveTo(current + page),
      PageUp: () => moveTo(current - page),
      Home: () => moveTo(0),
      End: () => moveTo(rows.length - 1),
      Enter: () => activeIndex >= 0 && onOpen(rows[activeIndex]!),
      ' ': () => activeIndex >= 0 && onOpen(rows[activeIndex]!),
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      move();
    }
  };

  const onFocus = () => {
    if (activeIndex < 0 && rows.length > 0) moveTo(0);
    else if (activeIndex >= 0 && !activeRendered) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  };

  return (
    // The frame is the panel's grid item; the scroll box inside it can then be laid out on its own.
    <div className="feed-table__frame">
      <div className="feed-table__scroll" ref={scrollRef}>
        <table
          className="feed-table"
          role="grid"
          aria-label={label}
          aria-rowcount={rows.length + 1}
          aria-activedescendant={activeIndex >= 0 && activeRendered ? rowId(rows[activeIndex]!.hitId) : undefined}
          tabIndex={0}
          onKeyDown={onKeyDown}
          onFocus={onFocus}
          data-testid="feed-grid"
        >
          <colgroup>
            {COLUMNS.map((c) => (
              <col key={c} className={`feed-table__col feed-table__col--${c.toLowerCase().replace(/\W+/g, '-')}`} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              {COLUMNS.map((c) => (
                <th key={c} scope="col" role="columnheader">
                  {c === 'Time' ? `Time (${zoneName(zone)})` : c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {paddingTop > 0 ? (
              <tr aria-hidden="true" className="feed-table__spacer" style={{ height: paddingTop }}>
                <td colSpan={COLUMNS.length} />
              </tr>
            ) : null}
            {/* Rows are keyed by position: when hits arrive (up to 60 times a second) each row shows
              the hit now at its place, and the DOM keeps its rows instead of replacing them all
              (bench/suites/browser.ts). */}
            {items.map((item) => {
              const hit = rows[item.index]!;
              return (
                <tr
                  key={item.index}
                  id={rowId(hit.hitId)}
                  aria-rowindex={item.index + 2}
                  className="feed-table__row"
                  data-active={item.index === activeIndex || undefined}
                  data-bot={hit.bot || undefined}
                  onClick={() => {
                    setActiveId(hit.hitId);
                    onOpen(hit);
                  }}
                >
                  <HitCells hit={hit} zone={zone} currency={currency} />
                </tr>
              );
            })}
            {paddingBottom > 0 ? (
              <tr aria-hidden="true" className="feed-table__spacer" style={{ height: paddingBottom }}>
                <td colSpan={COLUMNS.length} />
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function HitCells({ hit, zone, currency }: { hit: HitSummary; zone: TimeZoneMode; currency: string | undefined }) {
  const page = hit.pageName ?? hit.pageURL ?? '';
  const place = formatPlace(hit.geoCity, hit.geoCountry);
  const placeInFull = formatPlace(hit.geoCity, hit.geoCountry, 'name');
  const agent = formatAgent(hit.browser, hit.operatingSystem);
  const events = hit.events?.join(', ') ?? '';
  return (
    <>
      <td role="gridcell" className="feed-table__num">
        {formatTime(hit.arrivedAt, zone)}
      </td>
      <td role="gridcell" title={hit.pageURL ?? page}>
        {page}
      </td>
      <td role="gridcell" title={placeInFull}>
        {place}
      </td>
      <td role="gridcell" title={agent}>
        {agent}
      </td>
      <td role="gridcell" title={events}>
        {events}
      </td>
      <td role="gridcell" className="feed-table__num">
        {hit.revenue === undefined ? '' : formatMoney(hit.revenue, hit.currency ?? currency)}
      </td>
      <td role="gridcell">{hit.bot ? 'Bot' : ''}</td>
      <td role="gridcell" className="feed-table__num">
        {hit.shard}
      </td>
      <td role="gridcell" className="feed-table__id" title={hit.hitId}>
        {hit.hitId}
      </td>
    </>
  );
}
