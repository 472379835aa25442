import { ALERT_RULES, SHARD_STATES } from '../contract/index.ts';
import type { RelayCore } from './relay-core.ts';

/**
 * The relay's own metrics in Prometheus' text format, read from the core when scraped (the hot
 * path never touches a metric object). Both hosts serve them at `GET /metrics`; the Node host
 * appends its process metrics (prom-client's defaults).
 */

interface Sample {
  labels?: Record<string, string>;
  value: number;
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: Sample[];
}

function families(core: RelayCore): Family[] {
  const counters = core.counters();
  const shards = core.upstream.shards();
  const lagP95 = core.recentLagP95Ms();
  const firing = core.alerts().filter((a) => a.state === 'firing');
  const delivery = core.alertDelivery();
  const counter = (name: string, help: string, value: number): Family => ({
    name,
    help,
    type: 'counter',
    samples: [{ value }],
  });
  return [
    counter('livestream_hits_total', 'Distinct hits received from Livestream.', counters.hits),
    counter('livestream_duplicates_total', 'Duplicate hits dropped (same hit id).', counters.duplicates),
    counter('livestream_malformed_records_total', 'Records that were not JSON objects.', counters.malformed),
    counter(
      'livestream_excluded_hits_total',
      'Distinct hits Adobe excluded from reporting (exclude.value "yes"): not traffic.',
      count(counters.excluded),
    ),
    counter(
      'livestream_truncated_hits_total',
      'Distinct hits Adobe sent incomplete (truncated).',
      count(counters.truncated),
    ),
    counter(
      'livestream_hits_lag_beyond_band_total',
      "Distinct hits that reached the relay more than 5 minutes after Adobe received them (beyond Adobe's 20 s to 5 min band).",
      count(counters.lagAboveBand),
    ),
    counter(
      'livestream_reconnects_total',
      'Upstream connection attempts beyond the first, all shards.',
      counters.reconnects,
    ),
    counter('livestream_upstream_bytes_total', 'Compressed bytes read from Livestream.', counters.bytes),
    counter('livestream_sse_evicted_total', 'SSE subscribers dropped for not keeping up.', counters.evicted),
    counter('livestream_token_requests_total', 'Access token requests made.', counters.tokenRequests),
    {
      name: 'livestream_sse_clients',
      help: 'Browsers connected to the SSE stream.',
      type: 'gauge',
      samples: [{ value: core.hub.clients }],
    },
    {
      name: 'livestream_shard_state',
      help: 'Current state of each upstream shard (1 for the current state).',
      type: 'gauge',
      samples: shards.flatMap((shard) =>
        SHARD_STATES.map((state) => ({
          labels: { shard: String(shard.shard), state },
          value: shard.state === state ? 1 : 0,
        })),
      ),
    },
    {
      name: 'livestream_shard_retry_at_seconds',
      help: 'When a waiting shard will try again (epoch seconds); 0 when not waiting.',
      type: 'gauge',
      samples: shards.map((shard) => ({
        labels: { shard: String(shard.shard) },
        value: shard.retryAt ? shard.retryAt / 1000 : 0,
      })),
    },
    {
      name: 'livestream_lag_p95_seconds',
      help: '95th percentile of the delay from Adobe receiving a hit to the relay receiving it, over the newest second that had hits (absent when none had in the last minute).',
      type: 'gauge',
      samples: lagP95 === undefined ? [] : [{ value: lagP95 / 1000 }],
    },
    {
      name: 'livestream_alerts_firing',
      help: "The relay's own alerts firing now, by rule.",
      type: 'gauge',
      samples: ALERT_RULES.map((rule) => ({
        labels: { rule },
        value: firing.filter((a) => a.rule === rule).length,
      })),
    },
    counter(
      'livestream_alert_deliveries_total',
      'Alert bodies a webhook or Alertmanager accepted.',
      delivery.delivered,
    ),
    counter(
      'livestream_alert_delivery_failures_total',
      'Failed alert delivery attempts (each retry counts).',
      delivery.failedAttempts,
    ),
    counter(
      'livestream_alert_deliveries_given_up_total',
      'Alert bodies a webhook never accepted within the retry time (or dropped from a full queue).',
      delivery.givenUp,
    ),
    {
      name: 'livestream_replay_buffer_bytes',
      help: 'Bytes held for Last-Event-ID replay.',
      type: 'gauge',
      samples: [{ value: core.hub.bufferStats.bytes }],
    },
  ];
}

/** A counter the core may not have (an older host's counters): 0 then. */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** The text exposition format (version 0.0.4), one family after the other. */
export function metricsText(core: RelayCore): string {
  const lines: string[] = [];
  for (const family of families(core)) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const { labels, value } of family.samples) {
      const labelText = labels
        ? `{${Object.entries(labels)
            .map(([key, label]) => `${key}="${escapeLabel(label)}"`)
            .join(',')}}`
        : '';
      lines.push(`${family.name}${labelText} ${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
