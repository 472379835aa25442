/**
 * Where a shaded gap's label goes, from the gap's size on screen. A label is drawn only inside
 * its own gap, so the labels of neighbouring gaps can never run into each other (or into the
 * data either side); a gap too narrow for any label keeps its shading, and the chart's caption
 * lists every gap in words.
 */

/** Width the one-line label ("no data: reconnect wait", 11 px) needs, with a little air. */
export const HORIZONTAL_LABEL_PX = 150;
/** Width the label needs written vertically on two lines (10 px), with a little air. */
export const VERTICAL_LABEL_PX = 28;
/** Height the vertical label needs (its longest line, "reconnect wait", at 10 px). */
export const VERTICAL_LABEL_LENGTH_PX = 84;

export type GapLabelLayout = 'horizontal' | 'vertical' | 'none';

/** The label for a gap `widthPx` wide in a plot `heightPx` high. */
export function gapLabelLayout(widthPx: number, heightPx: number): GapLabelLayout {
  if (widthPx >= HORIZONTAL_LABEL_PX) return 'horizontal';
  if (widthPx >= VERTICAL_LABEL_PX && heightPx >= VERTICAL_LABEL_LENGTH_PX) return 'vertical';
  return 'none';
}
