import { createDirectTransport } from './direct-transport.ts';
import { createLeaderTransport } from './leader-transport.ts';
import { createSharedWorkerTransport } from './shared-worker-transport.ts';
import type { StreamTransport } from './transport.ts';

/**
 * One SSE connection per browser: a SharedWorker where there is one, else a leader tab elected
 * with Web Locks over a BroadcastChannel, else this tab alone. Mock mode always stays in the tab:
 * MSW's service worker answers requests made by pages, not by a SharedWorker.
 */
export function chooseTransport(): StreamTransport {
  if (import.meta.env.MODE === 'demo') return createDirectTransport();
  if (typeof SharedWorker === 'function') return createSharedWorkerTransport();
  if (typeof BroadcastChannel === 'function' && typeof navigator !== 'undefined' && 'locks' in navigator) {
    return createLeaderTransport();
  }
  return createDirectTransport();
}
