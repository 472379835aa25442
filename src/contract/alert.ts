import { z } from 'zod';

/**
 * Alerts (docs/api.md, "Alerts"; CONTRACT.md §3): what the relay raises on its own so nobody has
 * to watch the page, sent to `ALERT_WEBHOOK_URLS`, to Alertmanager (`ALERTMANAGER_URL`), to
 * browsers (`alert` event) and listed by `GET /api/alerts`. An alert fires once, stays firing
 * while its condition holds and resolves once. The rule set may grow: schemas accept any word.
 */
export const ALERT_RULES = ['stream_down', 'shard_failed', 'lag_high', 'traffic_drop'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export const ALERT_STATES = ['firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_SEVERITIES = ['critical', 'warning'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** How long resolved alerts stay in `GET /api/alerts` and the dashboard's history. */
export const ALERT_HISTORY_MS = 24 * 60 * 60 * 1000;

export const AlertSchema = z.looseObject({
  /** Stable for one firing: the same id when it resolves. */
  id: z.string().min(1),
  rule: z.string().min(1),
  state: z.enum(ALERT_STATES),
  severity: z.enum(ALERT_SEVERITIES),
  /** Epoch ms, relay clock. */
  startsAt: z.number(),
  /** Set once resolved. */
  endsAt: z.number().optional(),
  /** One line: what is wrong. */
  summary: z.string().min(1),
  /** What it means and what to do. */
  description: z.string(),
  /** The shard, for a rule about one (`shard_failed`). */
  shard: z.int().nonnegative().optional(),
});
export type Alert = z.output<typeof AlertSchema>;

export const AlertsResponseSchema = z.looseObject({ alerts: z.array(AlertSchema) });
export type AlertsResponse = z.output<typeof AlertsResponseSchema>;

/** What each URL of `ALERT_WEBHOOK_URLS` receives (a JSON POST), when an alert fires and when it resolves. */
export const AlertWebhookBodySchema = z.looseObject({
  version: z.literal('1'),
  status: z.enum(ALERT_STATES),
  alerts: z.array(AlertSchema),
  /** One human line: a Slack or Teams incoming webhook shows it as it is. */
  text: z.string().min(1),
});
export type AlertWebhookBody = z.output<typeof AlertWebhookBodySchema>;
