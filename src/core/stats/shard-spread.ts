/**
 * How hits and distinct visitors spread over the shards, over the same windows as the top lists.
 *
 * Livestream groups hits by visitor over the `maxConnections` connections ("a best effort is made
 * to evenly distribute hits"; one heavy visitor can skew a shard). Hits per shard are counts;
 * visitors are a HyperLogLog per shard (`HLL_REGISTERS` one-byte registers, standard error
 * 1.04/√1024 ≈ 3.3 %), fed with `visitorHashOf`'s 32-bit hash.
 *
 * Memory is fixed by the shard count, whatever the traffic: per shard, 1 KiB of registers for the
 * current second, the open 10-second slice and the 5 closed ones (the 60-second window covers the
 * last 51–60 s), the open minute and the 59 closed ones, and one union per longer window: 70 KiB
 * per shard, 560 KiB for 8 shards.
 */

/** Register-index bits of each HyperLogLog. */
export const HLL_BITS = 10;
export const HLL_REGISTERS = 1 << HLL_BITS;

const SLICE_S = 10;
/** Closed 10-second slices kept (with the open one: the last 51–60 s). */
const SLICES_KEPT = 5;
/** Closed minutes kept: the longest window's whole minutes. */
const MINUTES_KEPT = 59;

/** 2^−rank for every rank a register can hold. */
const INVERSE_POWERS = Float64Array.from({ length: 34 }, (_, rank) => 2 ** -rank);
const ALPHA = 0.7213 / (1 + 1.079 / HLL_REGISTERS);

/** Adds a 32-bit hash to the HyperLogLog whose registers start at `offset`. */
export function hllAdd(registers: Uint8Array, offset: number, hash: number): void {
  const index = hash >>> (32 - HLL_BITS);
  // The sentinel bit bounds the rank at 32 − HLL_BITS + 1 when the remaining bits are all zero.
  const rank = Math.clz32((hash << HLL_BITS) | (1 << (HLL_BITS - 1))) + 1;
  if (rank > registers[offset + index]!) registers[offset + index] = rank;
}

/** Distinct hashes added to the HyperLogLog at `offset` (linear counting while it is small). */
export function hllEstimate(registers: Uint8Array, offset: number): number {
  let sum = 0;
  let zeros = 0;
  for (let i = offset; i < offset + HLL_REGISTERS; i++) {
    const rank = registers[i]!;
    sum += INVERSE_POWERS[rank]!;
    if (rank === 0) zeros++;
  }
  if (zeros === HLL_REGISTERS) return 0;
  const raw = (ALPHA * HLL_REGISTERS * HLL_REGISTERS) / sum;
  return Math.round(raw <= 2.5 * HLL_REGISTERS && zeros > 0 ? HLL_REGISTERS * Math.log(HLL_REGISTERS / zeros) : raw);
}

/** Hits and registers of every shard over some span (a second, a slice, a minute, a union). */
class Span {
  readonly hits: Float64Array;
  readonly registers: Uint8Array;

  constructor(
    shards: number,
    /** The slice or minute it is (epoch seconds ÷ its length); -1 for others. */
    readonly index = -1,
  ) {
    this.hits = new Float64Array(shards);
    this.registers = new Uint8Array(shards * HLL_REGISTERS);
  }

  add(from: Span): void {
    for (let s = 0; s < this.hits.length; s++) this.hits[s]! += from.hits[s]!;
    const target = this.registers;
    const source = from.registers;
    for (let i = 0; i < target.length; i++) if (source[i]! > target[i]!) target[i] = source[i]!;
  }

  clear(): void {
    this.hits.fill(0);
    this.registers.fill(0);
  }
}

/** One shard's share of a window: its hits and distinct visitors (a type, so it fits the open `Top.shards`). */
export type ShardFigures = { hits: number; visitors: number };

export class ShardSpread {
  private readonly second: Span;
  private slice: Span | undefined;
  private readonly slices: Span[] = [];
  private minute: Span | undefined;
  private readonly minutes: Span[] = [];
  /** Per window longer than a minute: its whole closed minutes, united when a minute closes. */
  private readonly unions = new Map<number, Span>();
  private readonly scratch: Span;

  constructor(
    private readonly shards: number,
    windowsS: readonly number[],
  ) {
    this.second = new Span(shards);
    this.scratch = new Span(shards);
    for (const w of windowsS) if (w > 60) this.unions.set(w, new Span(shards));
  }

  /** A hit of the current second; `visitor` is its visitor's hash, when it has one. */
  hit(shard: number, visitor: number | undefined): void {
    if (!(shard >= 0 && shard < this.shards)) return;
    this.second.hits[shard]!++;
    if (visitor !== undefined) hllAdd(this.second.registers, shard * HLL_REGISTERS, visitor);
  }

  /** Second `t` (epoch seconds) closed: its hits join their slice and minute. */
  tick(t: number): void {
    const sliceIndex = Math.floor(t / SLICE_S);
    if (this.slice?.index !== sliceIndex) {
      if (this.slice) this.slices.push(this.slice);
      while (this.slices.length > 0 && this.slices[0]!.index <= sliceIndex - SLICES_KEPT - 1) this.slices.shift();
      this.slice = new Span(this.shards, sliceIndex);
    }
    this.slice.add(this.second);
    const minuteIndex = Math.floor(t / 60);
    if (this.minute?.index !== minuteIndex) {
      if (this.minute) this.minutes.push(this.minute);
      while (this.minutes.length > 0 && this.minutes[0]!.index <= minuteIndex - MINUTES_KEPT - 1) this.minutes.shift();
      this.minute = new Span(this.shards, minuteIndex);
      for (const [windowS, union] of this.unions) {
        union.clear();
        // Whole minutes from `minuteIndex − (window − 1)` on, as the top lists' windows.
        for (const closed of this.minutes) if (closed.index > minuteIndex - windowS / 60) union.add(closed);
      }
    }
    this.minute.add(this.second);
    this.second.clear();
  }

  /** Each shard's hits and visitors over a window of `TOP_WINDOWS_S`; undefined for another. */
  read(windowS: number): ShardFigures[] | undefined {
    const total = this.scratch;
    total.clear();
    if (windowS === 60) {
      for (const slice of this.slices) total.add(slice);
    } else {
      const union = this.unions.get(windowS);
      if (!union) return undefined;
      total.add(union);
    }
    if (windowS === 60 ? this.slice : this.minute) total.add((windowS === 60 ? this.slice : this.minute)!);
    const figures: ShardFigures[] = [];
    for (let s = 0; s < this.shards; s++) {
      figures.push({ hits: total.hits[s]!, visitors: hllEstimate(total.registers, s * HLL_REGISTERS) });
    }
    return figures;
  }
}
