/**
 * SharedWorker entry: one SSE connection to the relay for every tab of this origin, so tabs never
 * exhaust the browser's six HTTP/1.1 connections per origin. Started by `shared-worker-transport.ts`.
 */
import { LinkHost } from './link-host.ts';
import type { HostMessage, TabMessage } from './messages.ts';

interface SharedWorkerScope {
  onconnect: ((event: MessageEvent) => void) | null;
}

/** A tab reloading, or React's development double mount, leaves and joins at once: don't churn. */
const IDLE_GRACE_MS = 2_000;

const ports = new Set<MessagePort>();
let idleTimer: ReturnType<typeof setTimeout> | undefined;
const host = new LinkHost((message: HostMessage) => {
  for (const port of ports) port.postMessage(message);
});

(self as unknown as SharedWorkerScope).onconnect = (event: MessageEvent) => {
  const port = event.ports[0];
  if (!port) return;
  port.onmessage = (message: MessageEvent<TabMessage>) => {
    switch (message.data.type) {
      case 'join':
        clearTimeout(idleTimer);
        ports.add(port);
        for (const catchUp of host.catchUp()) port.postMessage(catchUp);
        host.start();
        break;
      case 'retry-now':
        host.retryNow();
        break;
      case 'bye':
        ports.delete(port);
        port.close();
        if (ports.size === 0) {
          clearTimeout(idleTimer);
          idleTimer = setTimeout(() => {
            if (ports.size === 0) host.stop();
          }, IDLE_GRACE_MS);
        }
        break;
    }
  };
  port.start();
};
