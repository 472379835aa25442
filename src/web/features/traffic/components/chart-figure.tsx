import type { ReactNode } from 'react';

export interface ChartFigureProps {
  title: string;
  /** The text alternative: the figures the plot shows, in words. Visible, and read by screen readers. */
  summary: string;
  /** Extra sentences (gaps) under the summary. */
  note?: string | undefined;
  testId?: string;
  children: ReactNode;
}

/**
 * A chart with its caption. The plot itself is hidden from assistive technology (it adds
 * nothing the caption does not say, and Recharts' keyboard layer is turned off so nothing
 * focusable hides inside it).
 */
export function ChartFigure({ title, summary, note, testId, children }: ChartFigureProps) {
  return (
    <figure className="traffic-chart" data-testid={testId}>
      <figcaption className="traffic-chart__caption">
        <span className="traffic-chart__title">{title}</span>
        <span className="traffic-chart__summary">{summary}</span>
        {note ? <span className="traffic-chart__note">{note}</span> : null}
      </figcaption>
      <div className="traffic-chart__plot" aria-hidden="true">
        {children}
      </div>
    </figure>
  );
}
