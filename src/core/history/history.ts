import {
  DEFAULT_HISTORY_POINTS,
  HISTORY_TOP_CHARS,
  HISTORY_TOP_KEYS,
  LIVE_WINDOW_S,
  SECONDS_KEPT_S,
  type HistoryBucket,
  type HistoryResponse,
  type MinuteTop,
  type Traffic,
  type Stats,
  type Top,
} from '../../contract/index.ts';
import { MINUTE_TOP_LISTS, keepTop, minuteTopFrom, topOf, type StatsCollector } from '../stats/stats.ts';
import { BucketBuilder, bucketize, stepFor } from './buckets.ts';
import type { HistoryStore } from './history-store.ts';

/** Forgetting what is past the retention runs this often (seconds of the relay's clock). */
const PRUNE_EVERY_S = 600;
/** Keys kept per list in an hour's top lists. */
const HOUR_TOP_KEYS = 2 * HISTORY_TOP_KEYS;

/**
 * The relay's history (docs/api.md, "History"): each closed second and each minute (its sums and
 * its top lists) go to the store; at start, what an earlier run left is put back into the live
 * figures (the last hour of seconds, the minutes' top lists, the outages); long windows are
 * answered from the store, downsampled by the relay so a day or a month arrives small.
 */
export class RelayHistory {
  private minute: BucketBuilder | undefined;
  private readonly pendingTops = new Map<number, MinuteTop>();
  private lastPrune = -Infinity;
  private restored = false;

  constructor(
    private readonly store: HistoryStore,
    private readonly stats: StatsCollector,
    private readonly nowMs: () => number,
  ) {
    stats.onMinute = (top) => {
      this.pendingTops.set(top.t, top);
      // A minute's top lists wait for its sums (the next closed second); never more than a few.
      if (this.pendingTops.size > 4) this.pendingTops.delete(this.pendingTops.keys().next().value!);
    };
  }

  /** Puts back what an earlier run recorded in the last hour. Call once, before the first tick. */
  restore(): void {
    if (this.restored) return;
    this.restored = true;
    const nowS = Math.floor(this.nowMs() / 1000);
    const fromS = nowS - LIVE_WINDOW_S;
    const seconds = this.store.seconds(fromS, nowS + 1);
    this.stats.restore(seconds, this.store.tops(fromS, nowS + 1));
    const lastSecond = seconds[seconds.length - 1];
    this.stats.adobe.restore(this.store.outages(fromS, nowS + 1), ((lastSecond?.t ?? nowS) + 1) * 1000);
    this.stats.adobe.restoreSeconds(this.store.traffic(fromS, nowS + 1));
    // The minute an earlier run was in when it stopped goes on with its seconds.
    if (lastSecond !== undefined) {
      const t = Math.floor(lastSecond.t / 60) * 60;
      if (t === Math.floor(nowS / 60) * 60) {
        this.minute = new BucketBuilder(t);
        for (const s of seconds) if (s.t >= t) this.minute.second(s);
      }
    }
    this.store.prune(nowS);
    this.lastPrune = nowS;
  }

  /** A second closed: kept, and the minute it ends (if it does) kept with its top lists. */
  second(stats: Stats): void {
    this.store.addSecond(stats);
    const t = Math.floor(stats.t / 60) * 60;
    if (this.minute !== undefined && this.minute.t !== t) this.closeMinute();
    this.minute ??= new BucketBuilder(t);
    this.minute.second(stats);
    if (stats.t - this.lastPrune >= PRUNE_EVERY_S) {
      this.lastPrune = stats.t;
      this.store.prune(stats.t);
    }
  }

  /** The traffic on Adobe's clock changed (the `traffic` event): its seconds and outages kept as they are now. */
  traffic(traffic: Traffic): void {
    this.store.putTraffic(traffic.seconds);
    if (traffic.outages) this.store.putOutages(traffic.outages);
  }

  private closeMinute(): void {
    const minute = this.minute?.build();
    this.minute = undefined;
    if (minute === undefined) return;
    const top = this.pendingTops.get(minute.t);
    this.pendingTops.delete(minute.t);
    this.store.addMinute(minute, top);
    // The hour's last minute: its sums and top lists summed once, so a month is read as 720 hours.
    const hour = minute.t - (minute.t % 3600);
    if (minute.t + 60 !== hour + 3600) return;
    const sums = new BucketBuilder(hour);
    for (const m of this.store.minutes(hour, hour + 3600)) sums.merge(m);
    const built = sums.build();
    if (built) this.store.addHour(built);
    this.store.addHourTop(sumTops(this.store.tops(hour, hour + 3600), hour, HOUR_TOP_KEYS, 2));
  }

  /**
   * `[fromS, toS)` as the store's hour records where it has them (whole hours only) and its
   * minute records elsewhere (the edges, and an hour the relay was not running at the end of).
   */
  private byHours<T extends { t: number }>(
    fromS: number,
    toS: number,
    hours: (fromS: number, toS: number) => T[],
    minutes: (fromS: number, toS: number) => T[],
  ): T[] {
    const firstHour = Math.ceil(fromS / 3600) * 3600;
    const lastHour = Math.floor(toS / 3600) * 3600;
    const out: T[] = [];
    let covered = fromS;
    for (const hour of firstHour < lastHour ? hours(firstHour, lastHour) : []) {
      if (covered < hour.t) out.push(...minutes(covered, hour.t));
      out.push(hour);
      covered = hour.t + 3600;
    }
    if (covered < toS) out.push(...minutes(covered, toS));
    return out;
  }

  /**
   * `GET /api/stats`'s body: the last `windowS` seconds, the stored ones before `live` (the live
   * hour) as the store keeps their JSON (a day is 86,400 of them: not parsed and serialized again).
   */
  seriesJson(windowS: number, live: Stats[]): string {
    const liveJson = live.slice(-windowS).map((s) => JSON.stringify(s));
    let older: string[] = [];
    if (windowS > live.length) {
      const nowS = Math.floor(this.nowMs() / 1000);
      const firstLive = live[0]?.t ?? nowS;
      older = this.store.secondsJson(nowS - windowS, firstLive);
      older = older.slice(Math.max(0, older.length + liveJson.length - windowS));
    }
    return `{"series":[${[...older, ...liveJson].join(',')}]}`;
  }

  /**
   * `GET /api/history`: `windowS` ending at `endS` (exclusive) in at most `points` buckets, from
   * the seconds when the step is under a minute and they are still kept, else from the minutes.
   */
  query(windowS: number, points: number = DEFAULT_HISTORY_POINTS, endS?: number): HistoryResponse {
    const nowS = Math.floor(this.nowMs() / 1000);
    const end = Math.min(endS ?? nowS, nowS);
    const secondsAvailable = end - windowS >= nowS - SECONDS_KEPT_S;
    const step = stepFor(windowS, points, secondsAvailable);
    const from = Math.floor((end - windowS) / step) * step;
    let buckets: HistoryBucket[];
    if (step < 60) {
      buckets = bucketize(this.store.seconds(from, end), from, step, (b, s) => b.second(s));
    } else {
      // Steps of whole hours read the hours' sums: a month is 720 records, not 43,200.
      const minutes =
        step % 3600 === 0
          ? this.byHours(
              from,
              end,
              (f, t) => this.store.hours(f, t),
              (f, t) => this.store.minutes(f, t),
            )
          : this.store.minutes(from, end);
      const current = this.minute?.build();
      if (current !== undefined && current.t >= from && current.t < end) minutes.push({ ...current });
      buckets = bucketize(minutes, from, step, (b, m) => b.merge(m));
    }
    return {
      window: windowS,
      end,
      step,
      resolution: step < 60 ? 'second' : 'minute',
      buckets,
      outages: this.store.outages(from, end),
    };
  }

  /**
   * `GET /api/top` for a window longer than the live hour: the stored top lists and sums added up,
   * whole hours from their hour's records (summed when the hour ended), the rest from its minutes'.
   */
  top(windowS: number): Top {
    const now = this.nowMs();
    const nowS = Math.floor(now / 1000);
    const fromS = nowS - windowS;
    const parts = this.byHours(
      fromS,
      nowS,
      (f, t) => this.store.hourTops(f, t),
      (f, t) => this.store.tops(f, t),
    );
    const sum = sumTops(parts, fromS, Infinity, Infinity);
    const figures = new BucketBuilder(fromS);
    const spans = this.byHours(
      fromS,
      nowS,
      (f, t) => this.store.hours(f, t),
      (f, t) => this.store.minutes(f, t),
    );
    for (const span of spans) figures.merge(span);
    const totals = figures.build();
    const top: Top = {
      window: windowS,
      at: now,
      hits: sum.hits,
      pages: topOf(new Map(sum.pages), undefined),
      countries: topOf(new Map(sum.countries), undefined),
      browsers: topOf(new Map(sum.browsers), undefined),
      devices: topOf(new Map(sum.devices), undefined),
      events: topOf(new Map(sum.events), undefined),
      revenue: totals?.revenue ?? 0,
      bots: sum.bots,
      errorPages: topOf(new Map(sum.errorPages), undefined),
    };
    if (totals?.purchases !== undefined) top.purchases = totals.purchases;
    if (totals?.excluded !== undefined) top.excluded = totals.excluded;
    if (totals?.lagP50Ms !== undefined) top.lagP50Ms = totals.lagP50Ms;
    if (totals?.lagP95Ms !== undefined) top.lagP95Ms = totals.lagP95Ms;
    return top;
  }

  /** Writes what the store still buffers (before stopping). */
  flush(): void {
    this.store.flush();
  }
}

/**
 * Top lists summed, as one `MinuteTop` starting at `t`: each list keeps its `keys` most counted
 * keys within `charScale` × `HISTORY_TOP_CHARS` characters, the rest in "(other)" (Infinity keeps all).
 */
export function sumTops(tops: readonly MinuteTop[], t: number, keys: number, charScale: number): MinuteTop {
  const sums = MINUTE_TOP_LISTS.map(() => new Map<string, number>());
  let hits = 0;
  let bots = 0;
  for (const top of tops) {
    hits += top.hits;
    bots += top.bots;
    MINUTE_TOP_LISTS.forEach((list, d) => {
      const sum = sums[d]!;
      for (const [key, count] of top[list]) sum.set(key, (sum.get(key) ?? 0) + count);
    });
  }
  const lists = sums.map((sum, d) => keepTop(sum, keys, charScale * HISTORY_TOP_CHARS[d]!));
  return minuteTopFrom(t, hits, bots, lists);
}
