import { LIVE_WINDOW_S, type Outage, type Traffic, type TrafficSecond } from '../../contract/index.ts';

/**
 * The site's traffic on Adobe's clock, and what became of each outage.
 *
 * Livestream resends what a consumer missed when it reconnects within a few minutes, at full
 * speed: counted when they arrive, those hits make a spike of thousands of hits/s after every
 * outage and leave a hole before it. Counted in the second of their `receivedTimeGMT` instead,
 * they fill the hole they belong to, and the chart shows the site's real traffic. The arrival
 * rate stays in `Stats.hits` (the relay's health).
 *
 * - Seconds are kept for `LIVE_WINDOW_S` (a ring of counts, a few KB); a hit whose second
 *   is older than that, or more than `FUTURE_S` ahead of the relay's clock, is not placed (it
 *   still counts everywhere else).
 * - `flush()` gives the seconds that changed since the last flush (at most the ring), so the
 *   `traffic` event carries absolute counts, never deltas: a browser that missed one loses
 *   nothing the next REST answer does not restore.
 * - Outages are per shard, from when it stopped streaming (or stalled first) to the next
 *   `streaming`. The hits of that shard that Adobe received during the gap all arrive after it
 *   (the backlog, and the gap's last hits with their usual delay): `lateHits` counts those that
 *   arrive within `SETTLE_MS` of the resume. A shard that resumed more than `RESUME_WINDOW_MS`
 *   after it stopped is `probably-lost` (Adobe resumes from the point of disconnection only
 *   within a few minutes); otherwise it is `recovering` for `SETTLE_MS`, then `recovered`. The
 *   last `MAX_OUTAGES` outages of the last hour are kept.
 */

/** Adobe resumes from the point of disconnection when the consumer is back within a few minutes. */
export const RESUME_WINDOW_MS = 5 * 60_000;
/**
 * How long after a resume the gap's hits are still expected to be arriving: the backlog comes at
 * once, the gap's last hits with Livestream's usual delay (up to 5 minutes, mostly under one).
 */
export const SETTLE_MS = 2 * 60_000;
/** Outages kept (the last hour's, at most this many). */
export const MAX_OUTAGES = 50;
/** A `receivedTimeGMT` this far ahead of the relay's clock is a clock problem, not a second to fill. */
const FUTURE_S = 60;

interface OutageRecord {
  id: string;
  shard: number;
  from: number;
  to?: number;
  lateHits: number;
  verdict: Outage['verdict'];
}

/** "4-minute", "40-second", "2-hour": the gap's length as an adjective. */
function gapWords(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 90) return `${s}-second`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min}-minute`;
  return `${Math.round(min / 60)}-hour`;
}

export function describeOutage(outage: { from: number; to?: number; lateHits: number; verdict: string }): string {
  if (outage.to === undefined)
    return `ongoing: hits of this gap can still come back if the stream resumes within Adobe's few-minute window (the relay allows ${RESUME_WINDOW_MS / 60_000} min)`;
  const gap = gapWords(outage.to - outage.from);
  const late = `${outage.lateHits.toLocaleString('en-US')} ${outage.lateHits === 1 ? 'hit' : 'hits'}`;
  switch (outage.verdict) {
    case 'probably-lost':
      return `probably lost: resumed after more than Adobe's few-minute window (${gap} gap; ${late} arrived late)`;
    case 'recovering':
      return `recovering: ${late} of the ${gap} gap arrived late so far`;
    default:
      return outage.lateHits > 0
        ? `recovered: ${late} of the ${gap} gap arrived late`
        : `recovered: nothing came back for the ${gap} gap (the site sent nothing then)`;
  }
}

export class AdobeClock {
  private readonly counts = new Uint32Array(LIVE_WINDOW_S);
  /** The second each slot of `counts` holds (-1: none). */
  private readonly seconds = new Float64Array(LIVE_WINDOW_S).fill(-1);
  private readonly changed = new Set<number>();
  private readonly outages: OutageRecord[] = [];
  /** Each shard's open outage, and its last outage that may still receive backlog. */
  private readonly open = new Map<number, OutageRecord>();
  private readonly settling = new Map<number, OutageRecord>();
  /** When each shard went `stalled`, until it streams again or its outage opens. */
  private readonly stalledAt = new Map<number, number>();
  private outagesChanged = false;
  private nextId = 1;
  /** Hits whose second could not be placed (too old or too far ahead). */
  unplaced = 0;

  /** `idPrefix` keeps outage ids unique across runs (the history keeps them by id). */
  constructor(
    private readonly now: () => number,
    private readonly idPrefix = 'o',
  ) {}

  /**
   * Outages an earlier run recorded (the history store), so the chart keeps them and their
   * verdicts after a restart. One still open then is closed where that run's record ends (its
   * `to` unknown: the relay was not running) as `probably-lost` unless it already had a verdict.
   */
  restore(outages: readonly Outage[], endedAt: number): void {
    for (const o of outages) {
      if (this.outages.some((kept) => kept.id === o.id)) continue;
      const to = o.to ?? Math.max(o.from, endedAt);
      const verdict = o.to === undefined ? 'probably-lost' : o.verdict === 'recovering' ? 'recovered' : o.verdict;
      this.outages.push({ id: o.id, shard: o.shard, from: o.from, to, lateHits: o.lateHits, verdict });
    }
    this.outages.sort((a, b) => a.from - b.from);
    this.trim(this.now());
    this.outagesChanged = true;
  }

  /** Counts a distinct hit in its second on Adobe's clock; a backlog hit counts for its outage. */
  hit(shard: number, receivedTimeGMT: number | undefined): void {
    if (receivedTimeGMT === undefined) return;
    const nowS = Math.floor(this.now() / 1000);
    const t = Math.floor(receivedTimeGMT);
    const outage = this.settling.get(shard);
    if (outage?.to !== undefined && t * 1000 >= outage.from - 999 && t * 1000 < outage.to) {
      outage.lateHits++;
      this.outagesChanged = true;
    }
    if (t <= nowS - LIVE_WINDOW_S || t > nowS + FUTURE_S) {
      this.unplaced++;
      return;
    }
    const slot = t % LIVE_WINDOW_S;
    if (this.seconds[slot] !== t) {
      this.seconds[slot] = t;
      this.counts[slot] = 0;
    }
    this.counts[slot]!++;
    if (this.changed.size < LIVE_WINDOW_S) this.changed.add(t);
  }

  /**
   * A shard's state changed: an outage opens when it goes `waiting` or `failed` (from when it
   * stalled, if it did: no data came after that) and closes when it streams again.
   */
  shardState(shard: number, state: string): void {
    const at = this.now();
    if (state === 'stalled') {
      if (!this.stalledAt.has(shard)) this.stalledAt.set(shard, at);
      return;
    }
    const open = this.open.get(shard);
    if (state === 'streaming') {
      this.stalledAt.delete(shard);
      if (!open) return;
      this.open.delete(shard);
      open.to = at;
      open.verdict = at - open.from > RESUME_WINDOW_MS ? 'probably-lost' : 'recovering';
      this.settling.set(shard, open);
      this.outagesChanged = true;
    } else if ((state === 'waiting' || state === 'failed') && !open) {
      const from = this.stalledAt.get(shard) ?? at;
      this.stalledAt.delete(shard);
      const outage: OutageRecord = {
        id: `${this.idPrefix}${this.nextId++}`,
        shard,
        from,
        lateHits: 0,
        verdict: 'open',
      };
      this.open.set(shard, outage);
      this.outages.push(outage);
      this.outagesChanged = true;
      this.trim(at);
    }
  }

  /** Seconds an earlier run counted (the history store), put back as they were; newer counts win. */
  restoreSeconds(seconds: readonly TrafficSecond[]): void {
    const nowS = Math.floor(this.now() / 1000);
    for (const { t, hits } of seconds) {
      if (t <= nowS - LIVE_WINDOW_S || t > nowS + FUTURE_S) continue;
      const slot = t % LIVE_WINDOW_S;
      if (this.seconds[slot] === t) continue;
      this.seconds[slot] = t;
      this.counts[slot] = hits;
    }
  }

  /** Once a second: settles outages whose backlog has had time to arrive. */
  tick(): void {
    const at = this.now();
    for (const [shard, outage] of this.settling) {
      if (at - outage.to! < SETTLE_MS) continue;
      if (outage.verdict === 'recovering') outage.verdict = 'recovered';
      this.settling.delete(shard);
      this.outagesChanged = true;
    }
  }

  /** The seconds (and, when one changed, the outages) changed since the last flush; undefined if none. */
  flush(): Traffic | undefined {
    if (this.changed.size === 0 && !this.outagesChanged) return undefined;
    const seconds = [...this.changed].sort((a, b) => a - b).map((t) => ({ t, hits: this.count(t) }));
    this.changed.clear();
    const traffic: Traffic = { seconds };
    if (this.outagesChanged) traffic.outages = this.outageList();
    this.outagesChanged = false;
    return traffic;
  }

  /** The last `windowS` seconds up to now (zeros included), oldest first, and the outages. */
  series(windowS: number): Traffic {
    const nowS = Math.floor(this.now() / 1000);
    const span = Math.max(1, Math.min(Math.floor(windowS), LIVE_WINDOW_S));
    const seconds: TrafficSecond[] = [];
    for (let t = nowS - span + 1; t <= nowS; t++) seconds.push({ t, hits: this.count(t) });
    return { seconds, outages: this.outageList() };
  }

  /** Distinct hits Adobe received in `[fromS, toS)` (epoch seconds), as far as the last hour holds them. */
  hitsBetween(fromS: number, toS: number): number {
    let sum = 0;
    for (let t = Math.max(fromS, toS - LIVE_WINDOW_S); t < toS; t++) sum += this.count(t);
    return sum;
  }

  private count(t: number): number {
    const slot = t % LIVE_WINDOW_S;
    return this.seconds[slot] === t ? this.counts[slot]! : 0;
  }

  private outageList(): Outage[] {
    this.trim(this.now());
    return this.outages.map((o) => {
      const outage = { id: o.id, shard: o.shard, from: o.from, lateHits: o.lateHits, verdict: o.verdict };
      const full = o.to === undefined ? outage : { ...outage, to: o.to };
      return { ...full, summary: describeOutage(full) };
    });
  }

  /** Keeps the last `MAX_OUTAGES` outages that ended within the hour (open ones always). */
  private trim(at: number): void {
    const keep = this.outages.filter(
      (o) => o.to === undefined || at - o.to <= LIVE_WINDOW_S * 1000 || this.settling.get(o.shard) === o,
    );
    const excess = Math.max(0, keep.length - MAX_OUTAGES);
    this.outages.splice(0, this.outages.length, ...keep.slice(excess));
  }
}
