import type { Alert, AlertWebhookBody } from '../../contract/index.ts';
import type { Clock, TimerHandle } from '../clock.ts';

/**
 * Sends alerts where the team already looks: every URL of `ALERT_WEBHOOK_URLS` gets the
 * contract's JSON body when an alert fires and when it resolves (in order, per URL), retried with
 * backoff for `retryForMs` (6 minutes) when the receiver fails; with `ALERTMANAGER_URL`, the
 * firing alerts are pushed to Alertmanager's v2 API at once and again every `resendMs` (it
 * expects that), resolved ones with their end time for 15 minutes, so routing, grouping and
 * silences are Alertmanager's.
 *
 * A body holds the Alert only (texts the relay wrote from its own state, Problems already
 * cleaned of secrets), never a credential. Webhook URLs are secrets themselves (a Slack URL
 * carries its token): logs name their origin only, and a redirect is never followed.
 */

export type AlertFetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface AlertDeliveryLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface AlertDeliveryOptions {
  webhookUrls: readonly string[];
  alertmanagerUrl?: string;
  clock: Clock;
  fetch?: AlertFetch;
  log?: AlertDeliveryLog;
  /** Labels every Alertmanager alert carries (`service`, `stream`). */
  labels?: Record<string, string>;
  /** Where an alert links to (the dashboard), for Alertmanager's `generatorURL`. */
  generatorUrl?: string;
  /** A webhook body is retried this long after its first attempt. Default 6 minutes. */
  retryForMs?: number;
  /** One request gives up after this long. Default 10 s. */
  timeoutMs?: number;
  /** Alertmanager's re-send interval. Default 60 s. */
  resendMs?: number;
}

export const WEBHOOK_RETRY_FOR_MS = 6 * 60_000;
export const DELIVERY_TIMEOUT_MS = 10_000;
export const ALERTMANAGER_RESEND_MS = 60_000;
/** Resolved alerts are re-sent to Alertmanager this long (as Prometheus does). */
export const ALERTMANAGER_RESOLVED_MS = 15 * 60_000;
/** First retry after this; doubled each time up to `MAX_BACKOFF_MS`. */
export const FIRST_BACKOFF_MS = 2_000;
export const MAX_BACKOFF_MS = 60_000;
/** Bodies waiting for one URL at most: the oldest goes first (a receiver down for days). */
export const MAX_QUEUED_BODIES = 200;

/** One human line: `[FIRING] critical stream_down: No Livestream data: …`. */
export function alertText(alert: Alert): string {
  const shard = alert.shard === undefined ? '' : ` (shard ${alert.shard})`;
  return `[${alert.state.toUpperCase()}] ${alert.severity} ${alert.rule}${shard}: ${alert.summary}`;
}

export function webhookBody(alert: Alert): AlertWebhookBody {
  return { version: '1', status: alert.state, alerts: [alert], text: alertText(alert) };
}

/** What logs may say of a URL: its origin, never its path, query or credentials. */
export function urlForLogs(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
}

export interface DeliveryCounters {
  /** Bodies a receiver accepted (2xx). */
  delivered: number;
  /** Failed attempts (each retry counts). */
  failedAttempts: number;
  /** Bodies given up after `retryForMs`, or dropped from a full queue. */
  givenUp: number;
}

interface Pending {
  body: string;
  firstAt: number;
  attempt: number;
}

class WebhookTarget {
  private readonly queue: Pending[] = [];
  private busy = false;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private failing = false;

  constructor(
    readonly url: string,
    private readonly delivery: AlertDelivery,
  ) {}

  push(body: string): void {
    if (this.stopped) return;
    if (this.queue.length >= MAX_QUEUED_BODIES) {
      this.queue.shift();
      this.delivery.counters.givenUp++;
    }
    this.queue.push({ body, firstAt: this.delivery.clock.now(), attempt: 0 });
    this.kick();
  }

  get pending(): number {
    return this.queue.length;
  }

  stop(): void {
    this.stopped = true;
    this.delivery.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private kick(): void {
    if (this.busy || this.timer !== undefined || this.stopped || this.queue.length === 0) return;
    const item = this.queue[0]!;
    this.busy = true;
    void this.delivery.post(this.url, item.body, {}).then((failure) => {
      this.busy = false;
      if (this.stopped) return;
      const { clock, counters, log } = this.delivery;
      if (failure === undefined) {
        this.queue.shift();
        counters.delivered++;
        if (this.failing) log.info('alert webhook delivers again', { url: urlForLogs(this.url) });
        this.failing = false;
        this.kick();
        return;
      }
      counters.failedAttempts++;
      item.attempt++;
      if (!this.failing) log.warn('alert webhook failed; retrying', { url: urlForLogs(this.url), failure });
      this.failing = true;
      const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (item.attempt - 1));
      if (clock.now() + backoff - item.firstAt > this.delivery.retryForMs) {
        this.queue.shift();
        counters.givenUp++;
        log.warn('alert webhook given up', { url: urlForLogs(this.url), failure, attempts: item.attempt });
        this.kick();
        return;
      }
      this.timer = clock.setTimeout(() => {
        this.timer = undefined;
        this.kick();
      }, backoff);
    });
  }
}

export class AlertDelivery {
  readonly counters: DeliveryCounters = { delivered: 0, failedAttempts: 0, givenUp: 0 };
  readonly clock: Clock;
  readonly log: AlertDeliveryLog;
  readonly retryForMs: number;
  private readonly fetchImpl: AlertFetch;
  private readonly targets: WebhookTarget[];
  private readonly alertmanager: { url: string; authorization?: string } | undefined;
  private amTimer: TimerHandle | undefined;
  private amBusy = false;
  private amAgain = false;
  private stopped = false;
  /** What Alertmanager should know: firing alerts, and resolved ones for 15 minutes. */
  private readonly forAlertmanager = new Map<string, Alert>();

  constructor(private readonly options: AlertDeliveryOptions) {
    this.clock = options.clock;
    this.log = options.log ?? { info: () => undefined, warn: () => undefined };
    this.retryForMs = options.retryForMs ?? WEBHOOK_RETRY_FOR_MS;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.targets = options.webhookUrls.map((url) => new WebhookTarget(url, this));
    this.alertmanager = options.alertmanagerUrl ? alertmanagerTarget(options.alertmanagerUrl) : undefined;
  }

  /** Webhook bodies waiting (all URLs). */
  get pending(): number {
    return this.targets.reduce((n, t) => n + t.pending, 0);
  }

  /** Alerts that are firing now (after a restart): Alertmanager hears of them again, webhooks do not. */
  restore(firing: readonly Alert[]): void {
    for (const alert of firing) this.forAlertmanager.set(alert.id, alert);
    this.pushAlertmanager();
  }

  /** An alert fired or resolved. */
  notify(alert: Alert): void {
    if (this.stopped) return;
    const body = JSON.stringify(webhookBody(alert));
    for (const target of this.targets) target.push(body);
    this.forAlertmanager.set(alert.id, alert);
    this.pushAlertmanager();
  }

  stop(): void {
    this.stopped = true;
    for (const target of this.targets) target.stop();
    this.clock.clearTimeout(this.amTimer);
  }

  /** One POST; undefined when the receiver took it (2xx), else why not. Never throws. */
  async post(url: string, body: string, headers: Record<string, string>): Promise<string | undefined> {
    try {
      const response = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DELIVERY_TIMEOUT_MS),
      });
      // The answer is not read: release it.
      void response.body
        ?.getReader()
        .cancel()
        .catch(() => undefined);
      return response.status >= 200 && response.status < 300 ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      return name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : 'not reachable';
    }
  }

  /** Sends Alertmanager what it should know now, then again after `resendMs`. */
  private pushAlertmanager(): void {
    const am = this.alertmanager;
    if (!am || this.stopped) return;
    if (this.amBusy) {
      this.amAgain = true;
      return;
    }
    this.clock.clearTimeout(this.amTimer);
    this.amTimer = undefined;
    const now = this.clock.now();
    const resendMs = this.options.resendMs ?? ALERTMANAGER_RESEND_MS;
    for (const [id, alert] of this.forAlertmanager) {
      if (alert.state === 'resolved' && now - (alert.endsAt ?? now) > ALERTMANAGER_RESOLVED_MS)
        this.forAlertmanager.delete(id);
    }
    const alerts = [...this.forAlertmanager.values()].map((alert) =>
      toAlertmanager(alert, now, resendMs, this.options.labels ?? {}, this.options.generatorUrl),
    );
    const schedule = () => {
      if (this.stopped || this.forAlertmanager.size === 0) return;
      this.amTimer = this.clock.setTimeout(() => this.pushAlertmanager(), resendMs);
    };
    if (alerts.length === 0) return;
    this.amBusy = true;
    void this.post(
      `${am.url}/api/v2/alerts`,
      JSON.stringify(alerts),
      am.authorization ? { authorization: am.authorization } : {},
    ).then((failure) => {
      this.amBusy = false;
      if (failure === undefined) this.counters.delivered++;
      else {
        this.counters.failedAttempts++;
        this.log.warn('Alertmanager did not take the alerts; sent again within a minute', {
          url: urlForLogs(am.url),
          failure,
        });
      }
      if (this.amAgain) {
        this.amAgain = false;
        this.pushAlertmanager();
      } else schedule();
    });
  }
}

/** Alertmanager's URL without credentials (fetch refuses them in a URL), and its Basic header. */
function alertmanagerTarget(raw: string): { url: string; authorization?: string } {
  const url = new URL(raw);
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const base = url.toString().replace(/\/+$/, '');
  return user || password ? { url: base, authorization: `Basic ${btoa(`${user}:${password}`)}` } : { url: base };
}

/** One alert as Alertmanager's v2 API takes it (`postableAlert`). */
export function toAlertmanager(
  alert: Alert,
  now: number,
  resendMs: number,
  labels: Record<string, string>,
  generatorUrl?: string,
): Record<string, unknown> {
  // A firing alert ends unless re-sent in time: four re-send intervals, as Prometheus does.
  const endsAt = alert.state === 'resolved' ? (alert.endsAt ?? now) : now + 4 * resendMs;
  return {
    labels: {
      alertname: alert.rule,
      rule: alert.rule,
      severity: alert.severity,
      ...labels,
      ...(alert.shard === undefined ? {} : { shard: String(alert.shard) }),
    },
    annotations: { summary: alert.summary, description: alert.description },
    startsAt: new Date(alert.startsAt).toISOString(),
    endsAt: new Date(endsAt).toISOString(),
    ...(generatorUrl ? { generatorURL: generatorUrl } : {}),
  };
}
