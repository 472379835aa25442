import { createDirectTransport } from './direct-transport.ts';
import type { HostMessage, TabMessage } from './messages.ts';
import type { StreamTransport, TransportSink } from './transport.ts';

/**
 * Every tab talks to one SharedWorker that holds the SSE connection (see `sse-worker.ts`). If the
 * worker cannot be created or its script fails to load, this tab connects by itself instead.
 */
export function createSharedWorkerTransport(): StreamTransport {
  let port: MessagePort | undefined;
  let fallback: StreamTransport | undefined;
  const send = (message: TabMessage) => port?.postMessage(message);
  const bye = () => send({ type: 'bye' });

  const fallBack = (sink: TransportSink) => {
    port?.close();
    port = undefined;
    fallback = createDirectTransport();
    fallback.start(sink);
  };

  return {
    kind: 'shared-worker',
    start(sink: TransportSink) {
      let worker: SharedWorker;
      try {
        worker = new SharedWorker(new URL('./sse-worker.ts', import.meta.url), {
          type: 'module',
          name: 'livestream-monitor-sse',
        });
      } catch {
        fallBack(sink);
        return;
      }
      worker.onerror = () => {
        if (!fallback) fallBack(sink);
      };
      port = worker.port;
      port.onmessage = (message: MessageEvent<HostMessage>) => {
        if (message.data.type === 'event') sink.event(message.data.event);
        else sink.link(message.data.link);
      };
      port.start();
      send({ type: 'join' });
      addEventListener('pagehide', bye);
    },
    stop() {
      removeEventListener('pagehide', bye);
      bye();
      port?.close();
      port = undefined;
      fallback?.stop();
      fallback = undefined;
    },
    retryNow() {
      if (fallback) fallback.retryNow();
      else send({ type: 'retry-now' });
    },
  };
}
