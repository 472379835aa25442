import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Node process's own metrics (heap, event loop lag, CPU, file descriptors), prefixed
 * `livestream_monitor_`, appended to the relay's (src/core/metrics.ts) at `GET /metrics`.
 */
export function createProcessMetrics(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'livestream_monitor_' });
  return registry;
}
