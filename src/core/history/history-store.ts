import {
  MINUTES_KEPT_S,
  SECONDS_KEPT_S,
  type HistoryBucket,
  type HistoryMinute,
  type MinuteTop,
  type Outage,
  type Stats,
  type TrafficSecond,
} from '../../contract/index.ts';

/**
 * Where the relay's history is kept (docs/api.md, "History"): per-second `Stats` for
 * `SECONDS_KEPT_S`, per-minute aggregates and top lists for `MINUTES_KEPT_S`, the outages as long.
 * Aggregates only, never a hit. Spans are `[fromS, toS)` in epoch seconds, answers oldest first.
 *
 * The Node host keeps it in SQLite in `DATA_DIR` (src/relay/store/sqlite-history-store.ts), written
 * in batches off the hot path; the mock host in memory. A store never throws at the core: one that
 * cannot read answers with what it has, one that cannot write keeps the rest in memory and says so
 * through the host's write hooks (Problem `state_not_persisted`).
 */
export interface HistoryStore {
  seconds(fromS: number, toS: number): Stats[];
  /** The same seconds as JSON texts (`/api/stats` sends a day of them without parsing each). */
  secondsJson(fromS: number, toS: number): string[];
  minutes(fromS: number, toS: number): HistoryMinute[];
  /** Hours' sums (a `HistoryBucket` of an hour, `t` its start), summed from its minutes when it ended. */
  hours(fromS: number, toS: number): HistoryBucket[];
  tops(fromS: number, toS: number): MinuteTop[];
  /** Hours' top lists (a `MinuteTop` of an hour, `t` its start), summed from its minutes when it ended. */
  hourTops(fromS: number, toS: number): MinuteTop[];
  /** Outages that overlap `[fromS, toS)` (an open one overlaps everything after its start). */
  outages(fromS: number, toS: number): Outage[];
  /** The site's traffic on Adobe's clock (`/api/traffic`'s seconds), kept as long as the seconds. */
  traffic(fromS: number, toS: number): TrafficSecond[];
  addSecond(stats: Stats): void;
  /** Seconds on Adobe's clock as they are now (late hits fill earlier ones): each replaces the kept one. */
  putTraffic(seconds: readonly TrafficSecond[]): void;
  addMinute(minute: HistoryMinute, top: MinuteTop | undefined): void;
  addHourTop(top: MinuteTop): void;
  addHour(hour: HistoryBucket): void;
  /** Outages as they are now: one with a known `id` replaces the kept one. */
  putOutages(outages: readonly Outage[]): void;
  /** Forgets what is older than the retention, `nowS` being now. */
  prune(nowS: number): void;
  /** Writes what is still buffered (a host that batches), e.g. before stopping. */
  flush(): void;
  close(): void;
}

export interface MemoryHistoryOptions {
  /** How long per-second Stats are kept. Default `SECONDS_KEPT_S`. */
  secondsKeptS?: number;
  /** How long minutes' top lists are kept: they are the bulk. Default `MINUTES_KEPT_S`. */
  topsKeptS?: number;
}

/** Entries sorted by `t`, oldest first: the ones in `[fromS, toS)`. */
function span<T extends { t: number }>(list: readonly T[], fromS: number, toS: number): T[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.t < fromS) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo; i < list.length && list[i]!.t < toS; i++) out.push(list[i]!);
  return out;
}

/** Adds in time order; an entry for a `t` already kept replaces it, an older one is put in its place. */
function insert<T extends { t: number }>(list: T[], entry: T): void {
  const last = list[list.length - 1];
  if (last === undefined || last.t < entry.t) {
    list.push(entry);
    return;
  }
  let i = list.length - 1;
  while (i >= 0 && list[i]!.t > entry.t) i--;
  if (i >= 0 && list[i]!.t === entry.t) list[i] = entry;
  else list.splice(i + 1, 0, entry);
}

function dropBefore<T extends { t: number }>(list: T[], t: number): void {
  let n = 0;
  while (n < list.length && list[n]!.t < t) n++;
  if (n > 0) list.splice(0, n);
}

export function overlaps(outage: Outage, fromS: number, toS: number): boolean {
  return outage.from < toS * 1000 && (outage.to === undefined || outage.to >= fromS * 1000);
}

/** The history in memory (the mock host; the Node host's store when `DATA_DIR` cannot be used). */
export class MemoryHistoryStore implements HistoryStore {
  protected readonly kept = {
    seconds: [] as Stats[],
    minutes: [] as HistoryMinute[],
    tops: [] as MinuteTop[],
    hourTops: [] as MinuteTop[],
    hours: [] as HistoryBucket[],
    traffic: [] as TrafficSecond[],
    outages: new Map<string, Outage>(),
  };
  private readonly secondsKeptS: number;
  private readonly topsKeptS: number;

  constructor(options: MemoryHistoryOptions = {}) {
    this.secondsKeptS = options.secondsKeptS ?? SECONDS_KEPT_S;
    this.topsKeptS = options.topsKeptS ?? MINUTES_KEPT_S;
  }

  seconds(fromS: number, toS: number): Stats[] {
    return span(this.kept.seconds, fromS, toS);
  }

  secondsJson(fromS: number, toS: number): string[] {
    return this.seconds(fromS, toS).map((s) => JSON.stringify(s));
  }

  minutes(fromS: number, toS: number): HistoryMinute[] {
    return span(this.kept.minutes, fromS, toS);
  }

  tops(fromS: number, toS: number): MinuteTop[] {
    return span(this.kept.tops, fromS, toS);
  }

  hours(fromS: number, toS: number): HistoryBucket[] {
    return span(this.kept.hours, fromS, toS);
  }

  hourTops(fromS: number, toS: number): MinuteTop[] {
    return span(this.kept.hourTops, fromS, toS);
  }

  traffic(fromS: number, toS: number): TrafficSecond[] {
    return span(this.kept.traffic, fromS, toS);
  }

  outages(fromS: number, toS: number): Outage[] {
    return [...this.kept.outages.values()].filter((o) => overlaps(o, fromS, toS)).sort((a, b) => a.from - b.from);
  }

  addSecond(stats: Stats): void {
    insert(this.kept.seconds, stats);
  }

  addMinute(minute: HistoryMinute, top: MinuteTop | undefined): void {
    insert(this.kept.minutes, minute);
    if (top) insert(this.kept.tops, top);
  }

  putTraffic(seconds: readonly TrafficSecond[]): void {
    for (const second of seconds) insert(this.kept.traffic, { t: second.t, hits: second.hits });
  }

  addHourTop(top: MinuteTop): void {
    insert(this.kept.hourTops, top);
  }

  addHour(hour: HistoryBucket): void {
    insert(this.kept.hours, hour);
  }

  putOutages(outages: readonly Outage[]): void {
    for (const outage of outages) this.kept.outages.set(outage.id, outage);
  }

  prune(nowS: number): void {
    dropBefore(this.kept.seconds, nowS - this.secondsKeptS);
    dropBefore(this.kept.traffic, nowS - this.secondsKeptS);
    dropBefore(this.kept.minutes, nowS - MINUTES_KEPT_S);
    dropBefore(this.kept.tops, nowS - this.topsKeptS);
    dropBefore(this.kept.hourTops, nowS - MINUTES_KEPT_S);
    dropBefore(this.kept.hours, nowS - MINUTES_KEPT_S);
    for (const [id, outage] of this.kept.outages) {
      if (outage.to !== undefined && outage.to < (nowS - MINUTES_KEPT_S) * 1000) this.kept.outages.delete(id);
    }
  }

  flush(): void {}

  close(): void {}
}
