import {
  HISTORY_TOP_CHARS,
  HISTORY_TOP_KEYS,
  type HistoryMinute,
  type MinuteTop,
  type Outage,
  type Stats,
  type TrafficSecond,
} from '../../contract/index.ts';
import { BucketBuilder } from '../../core/history/buckets.ts';
import type { HistoryStore } from '../../core/history/history-store.ts';
import { sumTops } from '../../core/history/history.ts';
import { describeOutage } from '../../core/stats/adobe-clock.ts';
import { createRandom, type Random } from './random.ts';
import { CATEGORIES, PRODUCTS } from './site-catalog.ts';

/**
 * A history as the relay would have recorded it, written into any `HistoryStore` (the benchmark
 * fills the SQLite store with it, the mock host its memory store): per-second `Stats` for the last
 * `secondHours`, a `HistoryMinute` per minute for `minuteDays`, the minutes' top lists for the last
 * `topDays` (and each hour's, summed from them by `sumTops` as the relay does), the outages, and
 * the site's traffic on Adobe's clock for the seconds (a recovered gap filled by its backlog).
 * Traffic follows a daily cycle (the night trough about a fifth of the evening peak, UTC), weekends
 * are lower, days and minutes are noisy, there is one traffic spike (a newsletter lands) and two or
 * three outages: short ones whose backlog came back (`recovered`), one longer than Adobe's resume
 * window (`probably-lost`).
 *
 * A minute that has its seconds is summed from them by `BucketBuilder` (the relay's own code path);
 * an older minute is summed from per-second hit counts drawn the same way, its other counts drawn
 * for the minute at once (sums of Poisson counts are Poisson). Deterministic for a seed.
 */
export interface FillHistoryOptions {
  /** Epoch seconds: the history ends here (exclusive). Minutes are written for whole minutes only. */
  nowS: number;
  /** Days of per-minute aggregates. Default 30. */
  minuteDays?: number;
  /** Hours of per-second `Stats`. Default 25. */
  secondHours?: number;
  /** Days of per-minute top lists (the bulk of a store). Default 30. */
  topDays?: number;
  /** Mean hits per second of a weekday. Default 50. */
  baseHitsPerS?: number;
  seed?: number;
}

const DAY_S = 86_400;
const HOUR_S = 3600;
const OTHER = '(other)';
/** Keys per list of an hour's top lists (`RelayHistory`'s `HOUR_TOP_KEYS`; twice the characters too). */
const HOUR_TOP_KEYS = 2 * HISTORY_TOP_KEYS;

/** Traffic by UTC hour relative to the evening peak: 0.2 before dawn, a lunchtime shoulder. */
const HOURLY = [
  0.42, 0.32, 0.25, 0.21, 0.2, 0.22, 0.3, 0.45, 0.62, 0.74, 0.8, 0.84, 0.88, 0.85, 0.82, 0.82, 0.85, 0.9, 0.96, 1, 0.98,
  0.9, 0.75, 0.58,
];
const HOURLY_MEAN = HOURLY.reduce((a, b) => a + b, 0) / HOURLY.length;
/** Saturdays and Sundays (UTC) see this share of a weekday's traffic. */
const WEEKEND = 0.72;

/** Shares of a second's hits (of its traffic hits, for those the lists count). */
const SHARE = {
  excluded: 0.004,
  duplicates: 0.0012,
  malformed: 0.0002,
  bots: 0.03,
  errorPages: 0.008,
  purchases: 0.0035,
  truncated: 0.0005,
  timestamped: 0.01,
  lagBelowBand: 0.015,
  lagAboveBand: 0.004,
  /** Event names per traffic hit, in the top lists (at most one each, so the list sums stay under the hits). */
  events: 0.7,
} as const;
/** Compressed bytes per hit (gzip of Livestream's JSON lines). */
const BYTES_PER_HIT = 400;
/** Lag (relay arrival − `receivedTimeGMT`) of a second: p50 and p95 around these. */
const LAG_P50_MS = 30_000;
const LAG_P95_MS = 90_000;
/** Mean revenue of a purchase, USD. */
const ORDER_USD = 110;

/** The spike: up to `SPIKE_FACTOR`× in two minutes, decaying over the next half hour. */
const SPIKE_FACTOR = 3.6;
const SPIKE_RISE_S = 120;
const SPIKE_DECAY_S = 600;
const SPIKE_S = 2400;

interface PlannedOutage {
  id: string;
  fromS: number;
  toS: number;
  verdict: 'recovered' | 'probably-lost';
  /** Seconds at the end of the gap whose hits arrive after it (all of a recovered gap). */
  returnS: number;
  lateHits: number;
  fromMs: number;
}

interface TopList {
  names: readonly string[];
  weights: readonly number[];
}

function zipf(names: readonly string[], s: number): TopList {
  return { names, weights: names.map((_, i) => 1 / (i + 1) ** s) };
}

const PAGES = zipf(
  [
    'home',
    'search results',
    ...CATEGORIES.map((c) => `category:${c}`),
    'cart',
    ...PRODUCTS.map((p) => `product:${p.name}`),
    'checkout:shipping',
    'checkout:confirmation',
    'account:sign-in',
    'account:orders',
    'help:returns',
    'store-locator',
    'journal:how-to-pitch-a-tent',
    'journal:layering-for-winter',
  ],
  0.95,
);
const COUNTRIES = zipf(
  [
    'usa',
    'deu',
    'gbr',
    'can',
    'fra',
    'jpn',
    'aus',
    'che',
    'nld',
    'swe',
    'bra',
    'esp',
    'ita',
    'pol',
    'aut',
    'mex',
    'kor',
    'nor',
    'dnk',
    'bel',
    'irl',
    'fin',
    'nzl',
    'ind',
    'cze',
    'prt',
    'sgp',
    'chl',
    'zaf',
    'isl',
    'arg',
    'tur',
  ],
  1.15,
);
const BROWSERS = zipf(
  [
    'Google Chrome 124.0',
    'Apple Safari 17.4',
    'Microsoft Edge 124.0',
    'Mozilla Firefox 125.0',
    'Samsung Internet 24.0',
    'Google Chrome 123.0',
    'Apple Safari 17.3',
    'Opera 109.0',
    'Other',
  ],
  1.2,
);
const DEVICES = zipf(
  [
    'Windows PC',
    'Apple iPhone',
    'Apple Mac',
    'Samsung Galaxy S23',
    'Apple iPad',
    'Google Pixel 8',
    'Linux PC',
    'Other',
  ],
  1.1,
);
const EVENTS = zipf(
  [
    'productViews',
    'event3',
    'cartViews',
    'event1',
    'cartAdditions',
    'checkouts',
    'carts',
    'event2',
    'purchase',
    'revenue',
    'event5',
    'cartRemovals',
    'event12',
  ],
  0.9,
);
const ERROR_PAGES = zipf(
  ['404:/p/tn-3p-old', '404:/p/summer-sale-2022', '404:/p/jk-2019-shell', '404:/p/bp-30-classic'],
  0.8,
);

const roundCents = (v: number): number => Math.round(v * 100) / 100;

/** Relative traffic at `t` (epoch s): the daily cycle (weekday mean 1) and the weekend. */
function cycle(t: number): number {
  const hours = (t % DAY_S) / HOUR_S;
  const i = Math.floor(hours);
  const from = HOURLY[i]!;
  const to = HOURLY[(i + 1) % 24]!;
  const day = (Math.floor(t / DAY_S) + 4) % 7; // 1970-01-01 was a Thursday: 0 is Sunday
  return ((from + (to - from) * (hours - i)) / HOURLY_MEAN) * (day === 0 || day === 6 ? WEEKEND : 1);
}

/** Standard normal deviates, sorted (a quantile table): a draw is one index, fast enough for millions. */
const NORMAL = ((): Float64Array => {
  const n = 4096;
  const table = new Float64Array(n);
  const random = createRandom(0x5eed);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - random.next()));
    const a = 2 * Math.PI * random.next();
    table[i] = r * Math.cos(a);
    table[i + 1] = r * Math.sin(a);
  }
  return table.sort();
})();

class Draw {
  constructor(readonly random: Random) {}

  next(): number {
    return this.random.next();
  }

  gauss(): number {
    return NORMAL[this.random.uint32() >>> 20]!;
  }

  /** A Poisson count of mean `lambda` (a normal one from 12 on). */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 12) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.random.next();
      while (p > limit) {
        k++;
        p *= this.random.next();
      }
      return k;
    }
    const k = Math.round(lambda + Math.sqrt(lambda) * this.gauss());
    return k > 0 ? k : 0;
  }

  /** About `n × p` of `n`, never more than `n`. */
  part(n: number, p: number): number {
    return Math.min(n, this.poisson(n * p));
  }

  revenue(purchases: number): number {
    let sum = 0;
    for (let i = 0; i < purchases; i++) sum += ORDER_USD * Math.exp(0.6 * this.gauss() - 0.18);
    return roundCents(sum);
  }
}

/** What one second of the model holds before it is written out (scratch, reused). */
interface Core {
  hits: number;
  /** The site's hits of this second as Adobe received them (its traffic on Adobe's clock): 0 where lost. */
  site: number;
  outage: boolean;
  /** Backlog hits that arrived this second (part of `hits`), and how late the oldest was. */
  late: number;
  lateLagMs: number;
  lagP50Ms: number;
  lagP95Ms: number;
}

/** Writes the history ending at `options.nowS` into `store` (see `FillHistoryOptions`). */
export function fillHistory(store: HistoryStore, options: FillHistoryOptions): void {
  new HistoryFill(store, options).run();
}

class HistoryFill {
  private readonly d: Draw;
  private readonly nowS: number;
  private readonly base: number;
  /** First minute written, first second written, first minute with top lists, end of the minutes. */
  private readonly minuteFrom: number;
  private readonly secondFrom: number;
  private readonly topFrom: number;
  private readonly minuteEnd: number;
  private readonly spikeFrom: number;
  private readonly outages: PlannedOutage[] = [];
  private nextOutage = 0;
  private outageFromS = Infinity;
  private outageToS = Infinity;
  private backlog = 0;
  private backlogLeft = 0;
  private backlogLagMs = 0;
  private noise = 0;
  private readonly dayNoise = new Map<number, number>();
  /** The current hour's top lists so far. */
  private hourTops: MinuteTop[] = [];
  private hourSums = new BucketBuilder(0);
  private readonly core: Core = { hits: 0, site: 0, outage: false, late: 0, lateLagMs: 0, lagP50Ms: 0, lagP95Ms: 0 };
  /** Scratch of `list`: counts and the order of a list's names. */
  private readonly shares = new Float64Array(64);
  private readonly counts = new Int32Array(64);
  private readonly order = new Int32Array(64);

  constructor(
    private readonly store: HistoryStore,
    options: FillHistoryOptions,
  ) {
    this.d = new Draw(createRandom(options.seed ?? 14));
    this.nowS = Math.floor(options.nowS);
    this.base = options.baseHitsPerS ?? 50;
    this.minuteEnd = Math.floor(this.nowS / 60) * 60;
    this.minuteFrom = this.minuteEnd - Math.round((options.minuteDays ?? 30) * DAY_S);
    this.secondFrom = Math.ceil((this.nowS - (options.secondHours ?? 25) * HOUR_S) / 60) * 60;
    this.topFrom = this.minuteEnd - Math.round((options.topDays ?? 30) * DAY_S);
    const from = Math.min(this.minuteFrom, this.secondFrom);
    const rnd = () => this.d.next();
    // The spike 5–17 h ago: in a day's window as in a month's.
    this.spikeFrom = Math.max(from, this.nowS - Math.round((5 + 12 * rnd()) * HOUR_S));
    const plan: [agoS: number, gapS: number, verdict: PlannedOutage['verdict']][] = [
      [Math.round((16 + 4 * rnd()) * DAY_S), 120 + Math.round(120 * rnd()), 'recovered'],
      [Math.round((3 + 2 * rnd()) * DAY_S), 660 + Math.round(420 * rnd()), 'probably-lost'],
      [Math.round((9 + 3 * rnd()) * HOUR_S), 35 + Math.round(20 * rnd()), 'recovered'],
    ];
    for (const [agoS, gapS, verdict] of plan) {
      const fromS = this.nowS - agoS;
      // Whole, with its backlog, before the end; never before the first second recorded.
      if (fromS < from + 60 || fromS + gapS + 180 > this.nowS) continue;
      this.outages.push({
        id: `fill.o${this.outages.length + 1}`,
        fromS,
        toS: fromS + gapS,
        verdict,
        returnS: verdict === 'recovered' ? gapS : 30,
        lateHits: 0,
        fromMs: fromS * 1000 - Math.floor(1000 * rnd()),
      });
    }
  }

  run(): void {
    this.aim();
    const from = Math.min(this.minuteFrom, this.secondFrom);
    this.hourSums = new BucketBuilder(from - (from % HOUR_S));
    for (let t = from; t < this.nowS; t += 60) {
      this.noise = 0.95 * this.noise + 0.02 * this.d.gauss();
      const rate = this.base * this.day(t) * Math.exp(this.noise);
      const clients = Math.max(1, Math.round(1 + 5 * cycle(t) * (0.8 + 0.4 * this.d.next())));
      const whole = t + 60 <= this.nowS && t >= this.minuteFrom;
      let minute: HistoryMinute | undefined;
      if (t >= this.secondFrom) {
        const builder = new BucketBuilder(t);
        const traffic: TrafficSecond[] = [];
        for (let s = t; s < t + 60 && s < this.nowS; s++) {
          const stats = this.second(s, rate, clients);
          // On Adobe's clock: the last seconds are still arriving (Livestream's lag, 20 s and more).
          const age = this.nowS - s;
          const arrived = age >= 90 ? 1 : age <= 20 ? 0 : (age - 20) / 70;
          traffic.push({ t: s, hits: Math.round(this.core.site * arrived) });
          this.store.addSecond(stats);
          builder.second(stats);
        }
        minute = builder.build();
        this.store.putTraffic(traffic);
      } else {
        minute = this.minute(t, rate, clients);
      }
      if (whole && minute !== undefined) {
        const top = t >= this.topFrom ? this.top(t, minute) : undefined;
        this.store.addMinute(minute, top);
        this.hourSums.merge(minute);
        if (top) this.hourTops.push(top);
      }
      // The hour's last minute: its sums and top lists summed, as the relay does when an hour ends.
      if ((t + 60) % HOUR_S === 0 && t + 60 <= this.nowS) {
        const hour = this.hourSums.build();
        if (hour) this.store.addHour(hour);
        if (this.hourTops.length > 0) this.store.addHourTop(sumTops(this.hourTops, t + 60 - HOUR_S, HOUR_TOP_KEYS, 2));
        this.hourTops = [];
        this.hourSums = new BucketBuilder(t + 60);
      }
    }
    this.store.putOutages(
      this.outages.map((o): Outage => {
        const toMs = o.toS * 1000 + Math.floor(1000 * this.d.next());
        const outage = { id: o.id, shard: 0, from: o.fromMs, to: toMs, lateHits: o.lateHits, verdict: o.verdict };
        return { ...outage, summary: describeOutage(outage) };
      }),
    );
  }

  /** The day's level: its own noise (±5 %), the cycle. */
  private day(t: number): number {
    const day = Math.floor(t / DAY_S);
    let level = this.dayNoise.get(day);
    if (level === undefined) {
      level = Math.exp(0.05 * this.d.gauss());
      this.dayNoise.set(day, level);
    }
    return level * cycle(t);
  }

  /**
   * Second `s` at `rate` hits/s (before the spike): hits, outage and backlog into `core`, and its
   * lag when `lag` (a minute without seconds draws its lag for the minute at once).
   */
  private step(s: number, rate: number, lag: boolean): Core {
    const c = this.core;
    const d = this.d;
    const since = s - this.spikeFrom;
    if (since >= 0 && since < SPIKE_S) {
      const rise = since < SPIKE_RISE_S ? since / SPIKE_RISE_S : Math.exp(-(since - SPIKE_RISE_S) / SPIKE_DECAY_S);
      rate *= 1 + (SPIKE_FACTOR - 1) * rise;
    }
    const would = d.poisson(rate);
    if (s >= this.outageToS) {
      // The gap is over: what Adobe kept of it arrives over the next seconds.
      const o = this.outages[this.nextOutage]!;
      this.backlog = o.lateHits;
      this.backlogLeft = Math.min(60, Math.max(10, Math.round((o.toS - o.fromS) / 3)));
      this.backlogLagMs = (o.returnS + 30) * 1000;
      this.nextOutage++;
      this.aim();
    }
    if (lag) {
      c.lagP50Ms = Math.round(LAG_P50_MS * Math.exp(0.08 * d.gauss()));
      c.lagP95Ms = Math.max(c.lagP50Ms + 1000, Math.round(LAG_P95_MS * Math.exp(0.12 * d.gauss())));
    }
    c.late = 0;
    if (s >= this.outageFromS) {
      const o = this.outages[this.nextOutage]!;
      // A recovered gap's hits all come back; of a longer one only its last seconds' (the rest is lost).
      const back = s >= o.toS - o.returnS;
      if (back) o.lateHits += would;
      c.site = back ? would : 0;
      c.hits = 0;
      c.outage = true;
      return c;
    }
    c.outage = false;
    c.hits = would;
    c.site = would;
    if (this.backlogLeft > 0) {
      const late = Math.round(this.backlog / this.backlogLeft);
      this.backlog -= late;
      this.backlogLeft--;
      c.late = late;
      c.lateLagMs = this.backlogLagMs;
      c.hits += late;
      // Most of the second's hits are the backlog: its lag is theirs.
      if (late * 2 > would) c.lagP50Ms = Math.max(c.lagP50Ms, Math.round(this.backlogLagMs / 2));
      if (late * 20 > would) c.lagP95Ms = Math.max(c.lagP95Ms, this.backlogLagMs);
    }
    return c;
  }

  /** The next planned outage's span (none: never). */
  private aim(): void {
    const o = this.outages[this.nextOutage];
    this.outageFromS = o?.fromS ?? Infinity;
    this.outageToS = o?.toS ?? Infinity;
  }

  /** A full second as the relay's `StatsCollector.tick` writes it. */
  private second(s: number, rate: number, clients: number): Stats {
    const c = this.step(s, rate, true);
    const d = this.d;
    const hits = c.hits;
    const excluded = d.part(hits, SHARE.excluded);
    const traffic = hits - excluded;
    const purchases = d.part(traffic, SHARE.purchases);
    const revenue = d.revenue(purchases);
    const stats: Stats = {
      t: s,
      hits,
      duplicates: d.part(hits, SHARE.duplicates),
      malformed: d.poisson(hits * SHARE.malformed),
      bytes: Math.round(hits * BYTES_PER_HIT * (0.95 + 0.1 * d.next())),
      clients,
      byShard: [hits],
      outage: c.outage,
      bots: d.part(traffic, SHARE.bots),
      errorPages: d.part(traffic, SHARE.errorPages),
      revenue,
      currency: 'USD',
    };
    if (revenue > 0) stats.revenueByCurrency = { USD: revenue };
    stats.purchases = purchases;
    stats.excluded = excluded;
    stats.truncated = d.part(hits, SHARE.truncated);
    stats.timestamped = d.part(hits, SHARE.timestamped);
    stats.lagged = hits;
    stats.lagBelowBand = d.part(hits - c.late, SHARE.lagBelowBand);
    stats.lagAboveBand = d.part(hits - c.late, SHARE.lagAboveBand) + (c.lateLagMs > 300_000 ? c.late : 0);
    if (c.outage) stats.outageState = 'waiting';
    else {
      stats.lagP50Ms = c.lagP50Ms;
      stats.lagP95Ms = c.lagP95Ms;
    }
    return stats;
  }

  /** A minute without its seconds: hit counts drawn per second, the rest (and the lag) for the minute. */
  private minute(t: number, rate: number, clients: number): HistoryMinute | undefined {
    const d = this.d;
    const end = Math.min(t + 60, this.nowS);
    if (end <= t) return undefined;
    let hits = 0;
    let hitsMin = Infinity;
    let hitsMax = 0;
    let outageS = 0;
    let lateP50 = 0;
    let lateP95 = 0;
    for (let s = t; s < end; s++) {
      const c = this.step(s, rate, false);
      const h = c.hits;
      hits += h;
      if (h < hitsMin) hitsMin = h;
      if (h > hitsMax) hitsMax = h;
      if (c.outage) outageS++;
      else if (c.late > 0) {
        if (c.late * 2 > h - c.late) lateP50++;
        if (c.late * 20 > h - c.late) lateP95 = Math.max(lateP95, c.lateLagMs);
      }
    }
    const seconds = end - t;
    const excluded = d.part(hits, SHARE.excluded);
    const traffic = hits - excluded;
    const purchases = d.part(traffic, SHARE.purchases);
    const minute: HistoryMinute = {
      t,
      seconds,
      hits,
      hitsMin,
      hitsMax,
      duplicates: d.part(hits, SHARE.duplicates),
      malformed: d.poisson(hits * SHARE.malformed),
      bytes: Math.round(hits * BYTES_PER_HIT * (0.98 + 0.04 * d.next())),
      clients,
      outageS,
    };
    if (outageS < seconds) {
      // The median of the seconds' p50s, and the worst second's p95 (the largest of ~60 draws).
      const p50 = Math.round(LAG_P50_MS * Math.exp(0.013 * d.gauss()));
      minute.lagP50Ms = lateP50 * 2 > seconds - outageS ? Math.max(p50, this.backlogLagMs / 2) : p50;
      minute.lagP95Ms = Math.max(lateP95, Math.round(LAG_P95_MS * Math.exp(0.12 * (2.3 + 0.45 * d.gauss()))));
    }
    if (outageS > 0) minute.outageState = 'waiting';
    minute.bots = d.part(traffic, SHARE.bots);
    minute.errorPages = d.part(traffic, SHARE.errorPages);
    minute.revenue = d.revenue(purchases);
    minute.purchases = purchases;
    minute.excluded = excluded;
    return minute;
  }

  /** The minute's top lists: Zipf-like shares with noise, `HISTORY_TOP_KEYS` kept, the rest "(other)". */
  private top(t: number, minute: HistoryMinute): MinuteTop {
    const traffic = minute.hits - (minute.excluded ?? 0);
    return {
      t,
      hits: traffic,
      bots: minute.bots ?? 0,
      pages: this.list(PAGES, traffic, HISTORY_TOP_CHARS[0]),
      countries: this.list(COUNTRIES, traffic, HISTORY_TOP_CHARS[1]),
      browsers: this.list(BROWSERS, traffic, HISTORY_TOP_CHARS[2]),
      devices: this.list(DEVICES, traffic, HISTORY_TOP_CHARS[3]),
      events: this.list(EVENTS, Math.round(traffic * SHARE.events), HISTORY_TOP_CHARS[4]),
      errorPages: this.list(ERROR_PAGES, minute.errorPages ?? 0, HISTORY_TOP_CHARS[5]),
    };
  }

  private list(list: TopList, total: number, chars: number): [string, number][] {
    if (total <= 0) return [];
    const { names, weights } = list;
    const n = names.length;
    const shares = this.shares;
    const counts = this.counts;
    const order = this.order;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]! * (0.75 + 0.5 * this.d.next());
      shares[i] = w;
      sum += w;
    }
    // Counts, then the indices by count (ties by name): an insertion sort of a few dozen.
    for (let i = 0; i < n; i++) {
      const count = Math.floor((total * shares[i]!) / sum);
      counts[i] = count;
      let j = i;
      while (j > 0) {
        const prev = order[j - 1]!;
        const c = counts[prev]!;
        if (c > count || (c === count && names[prev]! < names[i]!)) break;
        order[j] = prev;
        j--;
      }
      order[j] = i;
    }
    // As the relay folds a minute (`keepTop`): `HISTORY_TOP_KEYS` keys within the list's characters.
    const pairs: [string, number][] = [];
    let other = 0;
    let used = 0;
    for (let i = 0; i < n; i++) {
      const k = order[i]!;
      const count = counts[k]!;
      const name = names[k]!;
      if (pairs.length < HISTORY_TOP_KEYS && used + name.length <= chars) {
        if (count > 0) pairs.push([name, count]);
        used += name.length;
      } else other += count;
    }
    if (other > 0) pairs.push([OTHER, other]);
    return pairs;
  }
}
