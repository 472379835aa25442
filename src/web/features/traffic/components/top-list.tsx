import { memo } from 'react';
import type { Count } from '../../../../contract/index.ts';
import { formatCount } from '../../../lib/format.ts';
import { formatPercent } from '../utils/format.ts';
import { rankCounts } from '../utils/shares.ts';

export interface TopListProps {
  title: string;
  /** Undefined: the relay has not sent top lists for this window yet. */
  counts: readonly Count[] | undefined;
  /** The window's hits, for shares. */
  total: number;
  limit?: number;
  testId?: string;
  /** How a key is shown (a country code as its name); the raw key stays in the tooltip. */
  formatKey?: ((key: string) => string) | undefined;
  /** Makes each entry a button that shows its hits in the feed (the relay's "(other)" excepted). */
  onPick?: ((key: string) => void) | undefined;
  /** The entry the feed is filtered by, marked as pressed. */
  pickedKey?: string | undefined;
}

/** The bucket the relay counts keys beyond its bounds in: not one value, so not a filter. */
const OTHER_KEY = '(other)';

/**
 * A ranked bar list: labels stay readable at any length, and the list is its own text
 * alternative (an ordered list of label, count and share), unlike an SVG bar chart.
 */
export const TopList = memo(function TopList({
  title,
  counts,
  total,
  limit = 8,
  testId,
  formatKey,
  onPick,
  pickedKey,
}: TopListProps) {
  const rows = counts ? rankCounts(counts, total, limit) : [];
  return (
    <figure className="traffic-top" data-testid={testId}>
      <figcaption className="traffic-chart__title">{title}</figcaption>
      {rows.length === 0 ? (
        <p className="traffic-top__empty">{counts ? 'None in this window.' : 'Waiting for the relay…'}</p>
      ) : (
        <ol className="traffic-top__list">
          {rows.map((row) => (
            <li key={row.key} className="traffic-top__row">
              <span className="traffic-top__bar" style={{ inlineSize: `${(row.relative * 100).toFixed(1)}%` }} />
              {onPick && row.key !== OTHER_KEY ? (
                <button
                  type="button"
                  className="traffic-top__key traffic-top__pick"
                  title={`${row.key}: show these hits in the live feed`}
                  aria-pressed={pickedKey === row.key}
                  onClick={() => onPick(row.key)}
                >
                  {label(row.key, formatKey)}
                </button>
              ) : (
                <span className="traffic-top__key" title={row.key}>
                  {label(row.key, formatKey)}
                </span>
              )}{' '}
              <span className="traffic-top__count">
                {formatCount(row.count)}
                {row.share === null ? null : <span className="traffic-top__share"> ({formatPercent(row.share)})</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
    </figure>
  );
});

function label(key: string, formatKey: ((key: string) => string) | undefined): string {
  if (!key) return '(none)';
  return formatKey ? formatKey(key) : key;
}
