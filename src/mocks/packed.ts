/**
 * Arrays of flat records as columns (one typed array per number field), so a worker can hand a
 * hundred thousand of them over without the page deserialising as many objects: the buffers are
 * transferred, and the page builds a record only when it is read (`PackedList`). Fields that are
 * neither numbers, booleans nor strings (arrays, objects) are left out.
 */
export interface Packed {
  length: number;
  numbers: Record<string, Float64Array>;
  booleans: Record<string, Uint8Array>;
  strings: Record<string, (string | null)[]>;
}

const ABSENT = 2;

export function pack(list: readonly object[]): Packed {
  const packed: Packed = { length: list.length, numbers: {}, booleans: {}, strings: {} };
  list.forEach((record, i) => {
    for (const [key, value] of Object.entries(record)) {
      if (typeof value === 'number') {
        (packed.numbers[key] ??= new Float64Array(list.length).fill(Number.NaN))[i] = value;
      } else if (typeof value === 'boolean') {
        (packed.booleans[key] ??= new Uint8Array(list.length).fill(ABSENT))[i] = value ? 1 : 0;
      } else if (typeof value === 'string') {
        (packed.strings[key] ??= new Array<string | null>(list.length).fill(null))[i] = value;
      }
    }
  });
  return packed;
}

/** The buffers to transfer with `postMessage`. */
export function transferables(packed: Packed): ArrayBuffer[] {
  return [...Object.values(packed.numbers), ...Object.values(packed.booleans)].map((a) => a.buffer as ArrayBuffer);
}

/** Records sorted by `t`, read by span. */
export interface TimeList<T extends { t: number }> {
  /** The records with `fromS <= t < toS`, oldest first. */
  span(fromS: number, toS: number): T[];
}

/** Index of the first `t >= value` in an ascending column. */
function lowerBound(length: number, t: (i: number) => number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t(mid) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Packed records (sorted by `t`), each built the first time it is read and kept. */
export class PackedList<T extends { t: number }> implements TimeList<T> {
  private readonly built: (T | undefined)[];
  private readonly numbers: [string, Float64Array][];
  private readonly booleans: [string, Uint8Array][];
  private readonly strings: [string, (string | null)[]][];
  private readonly times: Float64Array;

  constructor(private readonly packed: Packed) {
    this.built = new Array<T | undefined>(packed.length);
    this.numbers = Object.entries(packed.numbers);
    this.booleans = Object.entries(packed.booleans);
    this.strings = Object.entries(packed.strings);
    this.times = packed.numbers.t ?? new Float64Array(0);
  }

  span(fromS: number, toS: number): T[] {
    const t = (i: number) => this.times[i]!;
    const n = Math.min(this.packed.length, this.times.length);
    const out: T[] = [];
    for (let i = lowerBound(n, t, fromS); i < n && t(i) < toS; i++) out.push((this.built[i] ??= this.build(i)));
    return out;
  }

  private build(i: number): T {
    const record: Record<string, unknown> = {};
    for (const [key, column] of this.numbers) {
      const v = column[i]!;
      if (!Number.isNaN(v)) record[key] = v;
    }
    for (const [key, column] of this.booleans) if (column[i] !== ABSENT) record[key] = column[i] === 1;
    for (const [key, column] of this.strings) if (column[i] !== null) record[key] = column[i];
    return record as T;
  }
}

/** A plain sorted array as a `TimeList`. */
export class ArrayList<T extends { t: number }> implements TimeList<T> {
  constructor(private readonly list: readonly T[]) {}

  span(fromS: number, toS: number): T[] {
    const t = (i: number) => this.list[i]!.t;
    const out: T[] = [];
    for (let i = lowerBound(this.list.length, t, fromS); i < this.list.length && t(i) < toS; i++)
      out.push(this.list[i]!);
    return out;
  }
}
