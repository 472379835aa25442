import { describe, expect, it } from 'vitest';
import { gapLabelLayout, HORIZONTAL_LABEL_PX, VERTICAL_LABEL_PX } from './gap-label.ts';

describe('gapLabelLayout', () => {
  it('writes the label across a wide gap, vertically in a narrow one', () => {
    expect(gapLabelLayout(400, 140)).toBe('horizontal');
    expect(gapLabelLayout(HORIZONTAL_LABEL_PX, 140)).toBe('horizontal');
    expect(gapLabelLayout(60, 140)).toBe('vertical');
    expect(gapLabelLayout(VERTICAL_LABEL_PX, 140)).toBe('vertical');
  });

  it('draws no label where it would not fit inside its gap, so labels never overlap', () => {
    // A 15-min window 420 px wide: a 10-s gap is 4.7 px; its label used to spill over its neighbours.
    expect(gapLabelLayout(4.7, 140)).toBe('none');
    expect(gapLabelLayout(VERTICAL_LABEL_PX - 1, 140)).toBe('none');
    expect(gapLabelLayout(60, 40)).toBe('none');
  });
});
