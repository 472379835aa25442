import { toCsv } from '../../../lib/export-file.ts';

/** A column of a chart's CSV: its header says the unit. */
export interface SeriesColumn<P> {
  header: string;
  value: (point: P) => number | null | undefined;
}

/** Points and their columns, the point type erased (so series of several shapes go in one file). */
export interface CsvSet {
  points: readonly { t: number }[];
  headers: readonly string[];
  values: (point: { t: number }) => (number | null | undefined)[];
}

export function csvSet<P extends { t: number }>(points: readonly P[], columns: readonly SeriesColumn<P>[]): CsvSet {
  return {
    points,
    headers: columns.map((c) => c.header),
    values: (point) => columns.map((c) => c.value(point as P)),
  };
}

/** The two time columns every series export starts with. */
export const TIME_HEADERS = ['time (ISO 8601 UTC)', 'time (epoch s)'] as const;

const round = (v: number) => Math.round(v * 1000) / 1000;

/** Epoch seconds as ISO 8601 UTC to the second: `2026-11-30T21:48:00Z`. */
export function isoSecond(t: number): string {
  return new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * What a chart draws as CSV: one row per point, the time as ISO 8601 UTC and as epoch seconds,
 * then one column per series (empty where the chart draws a gap). Several sets with their own
 * times (the period compared with, on today's axis) are merged on time, oldest first.
 */
export function seriesCsv(sets: readonly CsvSet[]): string {
  const headers = [...TIME_HEADERS, ...sets.flatMap((s) => s.headers)];
  const width = headers.length - TIME_HEADERS.length;
  const rows = new Map<number, (number | null)[]>();
  let offset = 0;
  for (const set of sets) {
    for (const point of set.points) {
      let row = rows.get(point.t);
      if (row === undefined) rows.set(point.t, (row = new Array<number | null>(width).fill(null)));
      set.values(point).forEach((v, i) => {
        // A time with two points (a gap's break next to data): the value wins over the break.
        if (v !== null && v !== undefined && Number.isFinite(v)) row[offset + i] = round(v);
      });
    }
    offset += set.headers.length;
  }
  const times = [...rows.keys()].sort((a, b) => a - b);
  return toCsv(
    headers,
    times.map((t) => [isoSecond(t), t, ...rows.get(t)!]),
  );
}
