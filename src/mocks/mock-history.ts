import { MemoryHistoryStore } from '../core/history/history-store.ts';
import { fillHistory, type FillHistoryOptions } from '../simulator/generator/history-fill.ts';
import {
  LIVE_WINDOW_S,
  type HistoryMinute,
  type MinuteTop,
  type Outage,
  type Stats,
  type TrafficSecond,
} from '../contract/index.ts';
import { ArrayList, type TimeList } from './packed.ts';

/** What the mock host fills its history with: `fillHistory`'s options (the end is the relay's start). */
export type HistoryFillOptions = FillHistoryOptions;

/**
 * The browser's fill: 30 days of minutes, 25 hours of seconds (so "compare with yesterday" has
 * seconds for the short windows too), top lists for a day only (they are the bulk; a longer
 * window's top lists then cover its last day).
 */
export const BROWSER_HISTORY: Omit<HistoryFillOptions, 'nowS'> = { minuteDays: 30, secondHours: 25, topDays: 1 };

/** A filled history: what an earlier run recorded, oldest first. */
export interface HistoryDump {
  seconds: TimeList<Stats>;
  minutes: TimeList<HistoryMinute>;
  tops: TimeList<MinuteTop>;
  hourTops: TimeList<MinuteTop>;
  traffic: TimeList<TrafficSecond>;
  outages: Outage[];
  /** Milliseconds the page's thread spent on it (a worker's answer read). */
  pageMs?: number;
}

/** Makes the history somewhere (a worker, in the browser) and hands it over. */
export type HistoryFiller = (options: HistoryFillOptions) => Promise<HistoryDump>;

/** A memory store that can give what it holds as plain data. */
export class DumpableHistoryStore extends MemoryHistoryStore {
  contents() {
    const { outages, ...lists } = this.kept;
    return { ...lists, outages: [...outages.values()] };
  }
}

/** Fills in this thread (Node tests): the same data, at once. */
export const fillHere: HistoryFiller = (options) => {
  const store = new DumpableHistoryStore({ topsKeptS: 86_400 });
  fillHistory(store, options);
  const { seconds, minutes, tops, hourTops, traffic, outages } = store.contents();
  return Promise.resolve({
    seconds: new ArrayList(seconds),
    minutes: new ArrayList(minutes),
    tops: new ArrayList(tops),
    hourTops: new ArrayList(hourTops),
    traffic: new ArrayList(traffic),
    outages,
  });
};

const NOTHING: HistoryDump = {
  seconds: new ArrayList<Stats>([]),
  minutes: new ArrayList<HistoryMinute>([]),
  tops: new ArrayList<MinuteTop>([]),
  hourTops: new ArrayList<MinuteTop>([]),
  traffic: new ArrayList<TrafficSecond>([]),
  outages: [],
};

/**
 * The mock host's history: what an earlier run of the relay recorded before this one started
 * (`fillHistory`, src/simulator/generator/history-fill.ts), in memory, read before what this run
 * records (in the store itself). It is made off the page's start (in a worker, in the browser: the
 * month takes a second or more to draw) and until it is in the history routes wait for it
 * (`loaded`, handlers.ts). The scenario's relay starts with the live figures its script expects:
 * the core's restore at creation (the last hour's seconds, top lists and outages) finds nothing,
 * and a read within the live hour sees this run only, so every scenario's live charts, top lists
 * and alerts are what they were without a history; the long windows and "compare with" see both.
 */
export class MockHistoryStore extends MemoryHistoryStore {
  /** Resolves once the earlier run's history is in (never rejects: a failed fill leaves it empty). */
  readonly loaded: Promise<void>;
  /** Milliseconds from the start of the fill to the history in. */
  loadMs: number | undefined;
  /** Milliseconds of that the page's thread spent (reading the worker's answer). */
  pageMs: number | undefined;
  private earlier = NOTHING;
  private readonly endS: number;

  /**
   * @param nowS the relay's clock, epoch s: a read that starts within the live hour (the core's
   *   live figures, `/api/stats` and `/api/traffic` up to an hour) sees only this run, whether the
   *   history is in yet or not, so the live charts never depend on when the worker answered.
   */
  constructor(
    filler: HistoryFiller,
    options: HistoryFillOptions,
    private readonly nowS: () => number,
  ) {
    super({ topsKeptS: 86_400 });
    this.endS = options.nowS;
    const started = performance.now();
    this.loaded = filler(options).then(
      (dump) => {
        this.earlier = dump;
        this.loadMs = performance.now() - started;
        this.pageMs = dump.pageMs ?? 0;
      },
      () => undefined,
    );
  }

  /** The earlier run's part of `[fromS, toS)` (it ends where this run starts), then this run's. */
  private both<T extends { t: number }>(list: TimeList<T>, fromS: number, toS: number, own: T[]): T[] {
    if (fromS >= this.endS || fromS >= this.nowS() - LIVE_WINDOW_S) return own;
    const earlier = list.span(fromS, Math.min(toS, this.endS));
    return earlier.length === 0 ? own : own.length === 0 ? earlier : [...earlier, ...own];
  }

  override seconds(fromS: number, toS: number): Stats[] {
    return this.both(this.earlier.seconds, fromS, toS, super.seconds(fromS, toS));
  }

  override minutes(fromS: number, toS: number): HistoryMinute[] {
    return this.both(this.earlier.minutes, fromS, toS, super.minutes(fromS, toS));
  }

  override tops(fromS: number, toS: number): MinuteTop[] {
    return this.both(this.earlier.tops, fromS, toS, super.tops(fromS, toS));
  }

  override hourTops(fromS: number, toS: number): MinuteTop[] {
    return this.both(this.earlier.hourTops, fromS, toS, super.hourTops(fromS, toS));
  }

  override traffic(fromS: number, toS: number): TrafficSecond[] {
    return this.both(this.earlier.traffic, fromS, toS, super.traffic(fromS, toS));
  }

  override outages(fromS: number, toS: number): Outage[] {
    const own = super.outages(fromS, toS);
    if (fromS >= this.nowS() - LIVE_WINDOW_S) return own;
    const earlier = this.earlier.outages.filter((o) => o.from < toS * 1000 && (o.to ?? Infinity) >= fromS * 1000);
    return earlier.length === 0 ? own : [...earlier, ...own].sort((a, b) => a.from - b.from);
  }
}
