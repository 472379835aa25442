import { ExportButtons } from '../../../lib/export-buttons.tsx';
import type { CompareView } from '../utils/history-series.ts';
import { compareLabel, compareMissing, type CompareKey } from '../utils/windows.ts';

/** Colour of the period compared with: muted, dashed. */
export const COMPARE_STROKE = 'var(--color-muted, #6b7280)';
export const COMPARE_DASH = '5 4';

/** "Compare with": which period, and what arrived of it (undefined while it loads). */
export interface CompareOverlay {
  key: CompareKey;
  view: CompareView | undefined;
}

export interface LegendEntry {
  label: string;
  /** A line (`dash` for dashed), or a band. */
  kind: 'line' | 'dash' | 'band';
  colour: string;
}

function Swatch({ kind, colour }: Pick<LegendEntry, 'kind' | 'colour'>) {
  return (
    <svg className="traffic-legend__swatch" viewBox="0 0 24 10" aria-hidden="true" focusable="false">
      {kind === 'band' ? (
        <rect x="0" y="1" width="24" height="8" fill={colour} fillOpacity={0.25} />
      ) : (
        <line
          x1="0"
          y1="5"
          x2="24"
          y2="5"
          stroke={colour}
          strokeWidth={2}
          strokeDasharray={kind === 'dash' ? '4 3' : undefined}
        />
      )}
    </svg>
  );
}

/**
 * The legend of a chart, in HTML (so it reads as text), with the period compared with: its entry
 * once it has data, "No data for yesterday at this time." when it has none (never a zero line).
 */
export function ChartLegend({
  entries,
  compare,
  testId,
}: {
  entries: readonly LegendEntry[];
  compare?: CompareOverlay | undefined;
  testId?: string;
}) {
  const all = [...entries];
  let missing: string | undefined;
  let loading = false;
  if (compare) {
    if (compare.view === undefined) loading = true;
    else if (compare.view.hasData) all.push({ label: compareLabel(compare.key), kind: 'dash', colour: COMPARE_STROKE });
    else missing = compareMissing(compare.key);
  }
  if (all.length === 0 && !missing && !loading) return null;
  return (
    <span className="traffic-legend-wrap" data-testid={testId}>
      {all.length > 0 ? (
        <ul className="traffic-legend" aria-label="Legend">
          {all.map((e) => (
            <li
              key={e.label}
              className="traffic-legend__item"
              data-testid={e.kind === 'dash' ? 'compare-legend' : undefined}
            >
              <Swatch kind={e.kind} colour={e.colour} />
              {e.label}
            </li>
          ))}
        </ul>
      ) : null}
      {missing ? (
        <span className="traffic-legend__missing" data-testid="compare-missing">
          {missing}
        </span>
      ) : null}
      {loading ? (
        <span className="traffic-legend__missing">Loading {compare?.key === '7d' ? 'last week' : 'yesterday'}…</span>
      ) : null}
    </span>
  );
}

/** "Export CSV" beside a chart's title: exactly what the chart draws, built when pressed. */
export function ChartCsv({
  what,
  label,
  build,
  disabled,
}: {
  what: string;
  label: string;
  build: () => string;
  disabled?: boolean;
}) {
  return (
    <ExportButtons
      what={what}
      label={label}
      build={build}
      formats={CSV_ONLY}
      disabled={disabled}
      testId={`csv-${what}`}
    />
  );
}

const CSV_ONLY = ['csv'] as const;
