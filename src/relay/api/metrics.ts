import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Node process's own metrics (heap, event loop lag, CPU, file descriptors), prefixed
 * `livestream_monitor_`, appended to the relay's (src/core/metrics.ts) at `GET /metrics`.
 */
export function createProcessMetrics(host: { historyBytes?: () => number | undefined } = {}): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'livestream_monitor_' });
  const historyBytes = host.historyBytes;
  if (historyBytes) {
    new Gauge({
      name: 'livestream_history_bytes',
      help: 'Bytes of the history in DATA_DIR (history.sqlite and its write-ahead log).',
      registers: [registry],
      collect() {
        const bytes = historyBytes();
        if (bytes !== undefined) this.set(bytes);
      },
    });
  }
  return registry;
}
