import type { ReactNode } from 'react';

export interface ChartFigureProps {
  title: string;
  /** The text alternative: the figures the plot shows, in words. Visible, and read by screen readers. */
  summary: string;
  /** Extra sentences (gaps) under the summary. */
  note?: string | undefined;
  /** More of the caption after the note: a legend, the period compared with. */
  extra?: ReactNode;
  /** Buttons beside the title (the CSV export). */
  actions?: ReactNode;
  testId?: string;
  /**
   * `loading` until the data the plot draws has arrived and been drawn, then `ready`
   * (`data-state`, and `aria-busy` while loading). Absent: the chart draws what it has at once.
   */
  state?: 'loading' | 'ready' | undefined;
  className?: string | undefined;
  children: ReactNode;
}

/**
 * A chart with its caption. The plot itself is hidden from assistive technology (it adds
 * nothing the caption does not say, and Recharts' keyboard layer is turned off so nothing
 * focusable hides inside it).
 */
export function ChartFigure({
  title,
  summary,
  note,
  extra,
  actions,
  testId,
  state,
  className,
  children,
}: ChartFigureProps) {
  return (
    <figure
      className={className ? `traffic-chart ${className}` : 'traffic-chart'}
      data-testid={testId}
      data-state={state}
      aria-busy={state === undefined ? undefined : state === 'loading'}
    >
      <figcaption className="traffic-chart__caption">
        {actions ? (
          <span className="traffic-chart__head">
            <span className="traffic-chart__title">{title}</span>
            {actions}
          </span>
        ) : (
          <span className="traffic-chart__title">{title}</span>
        )}
        <span className="traffic-chart__summary">{summary}</span>
        {note ? <span className="traffic-chart__note">{note}</span> : null}
        {extra}
      </figcaption>
      <div className="traffic-chart__plot" aria-hidden="true">
        {children}
      </div>
    </figure>
  );
}
