import { ADOBE_LAG_BAND_MS, type Alert, type AlertRule, type AlertSeverity, type Shard } from '../../contract/index.ts';
import type { AlertBook } from './alert-book.ts';

/**
 * The relay's alert rules (docs/alerts.md), judged once a second from what the relay already
 * knows: the shards' states, the lag of the second just closed, and the site's traffic on Adobe's
 * clock. Each alert fires once, stays firing while its condition holds and resolves once; the
 * `AlertBook` keeps them across a restart, and a restored alert resolves by its rule's own "it is
 * over" condition (a shard streaming again, a minute of lag back in the band, traffic back), never
 * because a restarted relay has not yet seen enough to fire it again.
 */

export interface AlertRuleSettings {
  /** `stream_down`: no shard streaming for this long (`ALERT_DOWN_AFTER_S`, 120). */
  downAfterS: number;
  /** `lag_high`: the per-second p95 lag above this (`ALERT_LAG_P95_S`, 300: Adobe's band). */
  lagP95S: number;
  /** `lag_high`: … for this long (`ALERT_LAG_FOR_S`, 300). */
  lagForS: number;
  /** `traffic_drop`: the last window's rate below this share of the baseline (`ALERT_TRAFFIC_DROP_RATIO`, 0.3). */
  trafficDropRatio: number;
  /** `traffic_drop`: the window judged (`ALERT_TRAFFIC_WINDOW_S`, 300). */
  trafficWindowS: number;
}

export const DEFAULT_ALERT_RULES: AlertRuleSettings = {
  downAfterS: 120,
  lagP95S: ADOBE_LAG_BAND_MS.max / 1000,
  lagForS: 300,
  trafficDropRatio: 0.3,
  trafficWindowS: 300,
};

/** `lag_high` resolves after this long of seconds within the band. */
export const LAG_CLEAR_MS = 60_000;
/** Without a lag sample for this long, the lag rule starts over (no data is not "still late"). */
const LAG_GAP_MS = 60_000;
/**
 * `traffic_drop` leaves out the newest seconds on Adobe's clock: hits arrive 20 s to 5 min after
 * Adobe received them, so those seconds are still filling.
 */
export const TRAFFIC_SETTLE_S = 120;
/** Seconds the relay keeps of Adobe's clock (its traffic ring): the baseline is what is left of them. */
const ADOBE_CLOCK_KEPT_S = 3600;
/** Below this baseline (hits/s) a drop is noise: `traffic_drop` does not judge. */
export const TRAFFIC_MIN_BASELINE_PER_S = 1;
/** `traffic_drop` resolves once the rate is back above this multiple of the firing threshold. */
export const TRAFFIC_CLEAR_FACTOR = 1.5;

const SEVERITY: Record<AlertRule, AlertSeverity> = {
  stream_down: 'critical',
  shard_failed: 'critical',
  lag_high: 'warning',
  traffic_drop: 'warning',
};

export interface AlertObservation {
  now: number;
  /** The shards as the status shows them (Problems already cleaned of secrets). */
  shards: readonly Pick<Shard, 'shard' | 'state' | 'problem' | 'retryAt'>[];
  /** The p95 lag of the second just closed (ms), when it had hits. */
  lagP95Ms?: number;
  /** Distinct hits Adobe received in `[fromS, toS)` (epoch seconds), on Adobe's clock. */
  adobeHits(fromS: number, toS: number): number;
}

export class AlertRules {
  private lastStreamingAt: number;
  /** Since when no shard has been streaming (undefined while one is). */
  private downSince: number | undefined;
  /** Since when some shard has been streaming without a break (while `downSince` is undefined). */
  private upSince = 0;
  private lagAboveSince: number | undefined;
  private lagBelowSince: number | undefined;
  private lastLagAt = -Infinity;
  private lastLagMs = 0;

  constructor(
    private readonly settings: AlertRuleSettings,
    private readonly book: AlertBook,
    startedAt: number,
    /** An alert fired or resolved: send it. */
    private readonly onChange: (alert: Alert) => void,
    /** Applied to an alert's texts before it is kept or sent (secrets, redacted fields). */
    private readonly clean: (text: string) => string = (text) => text,
  ) {
    this.lastStreamingAt = startedAt;
    this.downSince = startedAt;
  }

  evaluate(o: AlertObservation): void {
    const { now } = o;
    const streaming = o.shards.some((s) => s.state === 'streaming');
    if (streaming) {
      if (this.downSince !== undefined) this.upSince = now;
      this.lastStreamingAt = now;
      this.downSince = undefined;
    } else this.downSince ??= now;
    this.streamDown(o, streaming);
    this.shardFailed(o);
    this.lagHigh(o);
    this.trafficDrop(o);
  }

  private streamDown(o: AlertObservation, streaming: boolean): void {
    if (streaming) {
      this.resolve('stream_down', undefined, o.now);
      return;
    }
    if (this.book.get('stream_down') || o.now - this.lastStreamingAt < this.settings.downAfterS * 1000) return;
    const states = o.shards
      .map((s) => `shard ${s.shard} ${s.state}${s.problem ? ` (${s.problem.code})` : ''}`)
      .join(', ');
    this.fire('stream_down', undefined, o.now, {
      summary: `No Livestream data: no shard has been streaming for ${minutes(o.now - this.lastStreamingAt)}`,
      description: `No upstream connection has streamed hits since ${utc(this.lastStreamingAt)} (${states}). The relay keeps retrying within Adobe's rules (never sooner than the cooldown); the dashboard shows each shard's error and its recommended action.`,
    });
  }

  private shardFailed(o: AlertObservation): void {
    for (const s of o.shards) {
      if (s.state === 'streaming') this.resolve('shard_failed', s.shard, o.now);
      if (s.state !== 'failed' || this.book.get('shard_failed', s.shard)) continue;
      const why = s.problem
        ? `${s.problem.message} (${s.problem.code}, action: ${s.problem.action})`
        : 'no reason given';
      this.fire('shard_failed', s.shard, o.now, {
        summary: `Livestream shard ${s.shard} failed: retrying cannot fix it`,
        description: `${why}. The relay will not retry this shard on its own; fix the cause, then reconnect it from the dashboard.`,
      });
    }
    // A shard the relay no longer runs (fewer connections configured) is no longer failed.
    for (const kept of this.book.firingAlerts()) {
      const { rule, shard } = kept.alert;
      if (rule === 'shard_failed' && shard !== undefined && !o.shards.some((s) => s.shard === shard)) {
        this.resolve('shard_failed', shard, o.now);
      }
    }
  }

  private lagHigh(o: AlertObservation): void {
    const { now } = o;
    const limitMs = this.settings.lagP95S * 1000;
    if (now - this.lastLagAt > LAG_GAP_MS) {
      this.lagAboveSince = undefined;
      this.lagBelowSince = undefined;
    }
    if (o.lagP95Ms !== undefined) {
      this.lastLagAt = now;
      this.lastLagMs = o.lagP95Ms;
      if (o.lagP95Ms > limitMs) {
        this.lagAboveSince ??= now;
        this.lagBelowSince = undefined;
      } else {
        this.lagBelowSince ??= now;
        this.lagAboveSince = undefined;
      }
    }
    // Seconds counted inclusively: the first one above (or within) counts as one.
    const firing = this.book.get('lag_high');
    if (firing && this.lagBelowSince !== undefined && now - this.lagBelowSince + 1000 >= LAG_CLEAR_MS) {
      this.resolve('lag_high', undefined, now);
    } else if (
      !firing &&
      this.lagAboveSince !== undefined &&
      now - this.lagAboveSince + 1000 >= this.settings.lagForS * 1000
    ) {
      this.fire('lag_high', undefined, now, {
        summary: `Hits arrive late: p95 lag ${minutes(this.lastLagMs)}, above ${minutes(limitMs)} for ${minutes(now - this.lagAboveSince + 1000)}`,
        description: `Adobe delivers a hit 20 s to 5 min after it received it; since ${utc(this.lagAboveSince)} the 95th percentile of that delay has stayed above ${minutes(limitMs)}. The live figures are behind by that much. The delay is upstream of the relay (Adobe's processing): check Adobe's status page; nothing to reconnect.`,
      });
    }
  }

  private trafficDrop(o: AlertObservation): void {
    const { now } = o;
    const { trafficWindowS: windowS, trafficDropRatio: ratio } = this.settings;
    const endS = Math.floor(now / 1000) - TRAFFIC_SETTLE_S;
    const startS = endS - windowS;
    const baseStartS = Math.floor(now / 1000) - ADOBE_CLOCK_KEPT_S + 1;
    // The stream must have been up through the window and its settling time: a stream that is
    // down is stream_down's to say, and a drop in traffic is not judged then.
    const upFor = this.downSince === undefined ? now - this.upSince : 0;
    if (upFor < (windowS + TRAFFIC_SETTLE_S) * 1000) return;
    const current = o.adobeHits(startS, endS) / windowS;
    const firing = this.book.get('traffic_drop');
    // The baseline: the rest of the hour the relay keeps, when it was up for all of it; else
    // the one a firing alert was measured against (a restarted relay).
    const measured =
      upFor >= ADOBE_CLOCK_KEPT_S * 1000 ? o.adobeHits(baseStartS, startS) / (startS - baseStartS) : undefined;
    const baseline = measured ?? firing?.baselinePerS;
    if (baseline === undefined || baseline < TRAFFIC_MIN_BASELINE_PER_S) return;
    if (firing) {
      if (current >= baseline * ratio * TRAFFIC_CLEAR_FACTOR) this.resolve('traffic_drop', undefined, now);
      return;
    }
    if (current >= baseline * ratio) return;
    const drop = Math.round((1 - current / baseline) * 100);
    this.fire(
      'traffic_drop',
      undefined,
      now,
      {
        summary: `Traffic down ${drop} %: ${rate(current)} hits/s against ${rate(baseline)} in the hour before`,
        description: `Hits Adobe received from ${utc(startS * 1000)} to ${utc(endS * 1000)} came to ${rate(current)} a second, ${drop} % below the ${rate(baseline)} a second of the ${Math.round((startS - baseStartS) / 60)} minutes before, while the stream was up: the relay receives what Adobe sends. The site may have lost its tracking (a release, a tag manager change, a consent banner) or its visitors.`,
      },
      baseline,
    );
  }

  private fire(
    rule: AlertRule,
    shard: number | undefined,
    at: number,
    text: { summary: string; description: string },
    baselinePerS?: number,
  ): void {
    const alert: Alert = {
      id: `${rule}${shard === undefined ? '' : `-${shard}`}-${at.toString(36)}`,
      rule,
      state: 'firing',
      severity: SEVERITY[rule],
      startsAt: at,
      summary: this.clean(text.summary),
      description: this.clean(text.description),
      ...(shard === undefined ? {} : { shard }),
    };
    this.book.fire({ alert, ...(baselinePerS === undefined ? {} : { baselinePerS }) });
    this.onChange(alert);
  }

  private resolve(rule: AlertRule, shard: number | undefined, at: number): void {
    const alert = this.book.resolve(rule, shard, at);
    if (alert) this.onChange(alert);
  }
}

function minutes(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${(m / 60).toFixed(1)} h`;
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

function rate(perS: number): string {
  return perS >= 10 ? String(Math.round(perS)) : perS.toFixed(1);
}
