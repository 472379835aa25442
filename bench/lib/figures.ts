/**
 * What a suite reports: figures (one value per run or per time slice), each with an optional
 * target, and the suite's notes and profile summaries. Pass/fail is decided on the median over
 * runs unless a figure says otherwise (`judge`), or on `overall` when the figure has one (a value
 * over the whole measuring window, e.g. a p99 over every hit rather than over slices).
 */

export type Comparison = '<' | '<=' | '>=' | '>' | '==';

export interface Target {
  op: Comparison;
  value: number;
  /** Which summary the target is checked against. Default `median` (`overall` when present). */
  judge?: 'median' | 'worst';
}

export interface Figure {
  name: string;
  unit: string;
  /** One value per run (or per slice of one run). */
  values: number[];
  /** The value over the whole window, when the values are slices of one run. */
  overall?: number;
  target?: Target;
  /** How the values were obtained, in a few words. */
  note?: string;
  decimals?: number;
}

export interface SuiteResult {
  suite: string;
  title: string;
  /** Exact command that reproduces this suite alone. */
  command: string;
  startedAt: string;
  durationS: number;
  figures: Figure[];
  notes: string[];
  /** Markdown blocks: profile summaries and the changes they suggest. */
  profiles: string[];
  /** Set when the suite could not finish; what it measured so far is kept. */
  error?: string;
  /** Git commit the suite ran at (filled in by the runner). */
  commit?: string;
}

export interface Summary {
  min: number;
  median: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { min: NaN, median: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

function compare(value: number, op: Comparison, bound: number): boolean {
  switch (op) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>=':
      return value >= bound;
    case '>':
      return value > bound;
    case '==':
      return value === bound;
  }
}

/** The value a target is checked against. */
export function judged(figure: Figure): number | undefined {
  const target = figure.target;
  if (!target) return undefined;
  if (figure.overall !== undefined && target.judge !== 'worst') return figure.overall;
  const s = summarize(figure.values);
  if (target.judge === 'worst') {
    const worst = target.op === '<' || target.op === '<=' ? s.max : target.op === '==' ? NaN : s.min;
    if (target.op === '==') return figure.values.every((v) => v === target.value) ? target.value : s.max;
    return figure.overall !== undefined
      ? target.op === '<' || target.op === '<='
        ? Math.max(worst, figure.overall)
        : Math.min(worst, figure.overall)
      : worst;
  }
  return s.median;
}

export function passes(figure: Figure): boolean | undefined {
  const target = figure.target;
  if (!target) return undefined;
  const value = judged(figure);
  if (value === undefined || Number.isNaN(value)) return false;
  return compare(value, target.op, target.value);
}

export function format(value: number | undefined, decimals = 1): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function describeTarget(figure: Figure): string {
  const t = figure.target;
  if (!t) return '';
  const on =
    figure.overall !== undefined && t.judge !== 'worst' ? 'whole run' : t.judge === 'worst' ? 'worst' : 'median';
  return `${t.op} ${format(t.value, figure.decimals ?? 1)} ${figure.unit} (${on})`;
}

/** Convenience for building figures. */
export function figure(
  name: string,
  unit: string,
  values: number | number[],
  extra: Omit<Figure, 'name' | 'unit' | 'values'> = {},
): Figure {
  return { name, unit, values: Array.isArray(values) ? values : [values], ...extra };
}
