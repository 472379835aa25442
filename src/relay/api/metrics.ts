import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { SHARD_STATES } from '../../contract/index.ts';
import type { Relay } from '../relay.ts';

/**
 * `GET /metrics` in Prometheus text format. Values are read from the relay when scraped
 * (collect callbacks), so the hot path never touches a metric object.
 */
export function createMetrics(relay: Relay): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'livestream_monitor_' });

  const counter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  counter('livestream_hits_total', 'Distinct hits received from Livestream.', () => relay.counters().hits);
  counter('livestream_duplicates_total', 'Duplicate hits dropped (same hit id).', () => relay.counters().duplicates);
  counter(
    'livestream_malformed_records_total',
    'Records that were not JSON objects.',
    () => relay.counters().malformed,
  );
  counter(
    'livestream_reconnects_total',
    'Upstream connection attempts beyond the first, all shards.',
    () => relay.counters().reconnects,
  );
  counter('livestream_upstream_bytes_total', 'Compressed bytes read from Livestream.', () => relay.counters().bytes);
  counter(
    'livestream_sse_evicted_total',
    'SSE subscribers dropped for not keeping up.',
    () => relay.counters().evicted,
  );
  counter('livestream_token_requests_total', 'Access token requests made.', () => relay.counters().tokenRequests);

  new Gauge({
    name: 'livestream_sse_clients',
    help: 'Browsers connected to the SSE stream.',
    registers: [registry],
    collect() {
      this.set(relay.hub.clients);
    },
  });
  new Gauge({
    name: 'livestream_shard_state',
    help: 'Current state of each upstream shard (1 for the current state).',
    labelNames: ['shard', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const shard of relay.upstream.shards()) {
        for (const state of SHARD_STATES)
          this.set({ shard: String(shard.shard), state }, shard.state === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'livestream_shard_retry_at_seconds',
    help: 'When a waiting shard will try again (epoch seconds); 0 when not waiting.',
    labelNames: ['shard'],
    registers: [registry],
    collect() {
      this.reset();
      for (const shard of relay.upstream.shards())
        this.set({ shard: String(shard.shard) }, shard.retryAt ? shard.retryAt / 1000 : 0);
    },
  });
  new Gauge({
    name: 'livestream_replay_buffer_bytes',
    help: 'Bytes held for Last-Event-ID replay.',
    registers: [registry],
    collect() {
      this.set(relay.hub.bufferStats.bytes);
    },
  });
  return registry;
}
