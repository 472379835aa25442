import type { ServerResponse } from 'node:http';
import { SSE_HEADERS, type Broadcaster, type SubscriberSink } from '../../core/hub/broadcaster.ts';

/**
 * The Node host's side of the SSE stream: takes over an HTTP response (headers, no Nagle delay)
 * and hands it to the core's broadcaster as a sink, reporting back-pressure (`writableLength`,
 * `writableNeedDrain`, `drain`) and the end of the connection. A closed broadcaster (the relay
 * is stopping) answers 503 with `Retry-After`.
 */
export function subscribeResponse(
  hub: Broadcaster,
  res: ServerResponse,
  lastEventId: string | undefined,
  hello: (lastEventId: string | null) => unknown,
): void {
  if (hub.isClosed) {
    res.writeHead(503, { 'retry-after': '2' }).end();
    return;
  }
  res.writeHead(200, SSE_HEADERS);
  res.socket?.setNoDelay(true);
  const sink: SubscriberSink = {
    write: (bytes) => {
      res.write(bytes);
    },
    get unsent() {
      return res.writableLength;
    },
    get blocked() {
      return res.writableNeedDrain;
    },
    get closed() {
      return res.destroyed || res.writableEnded;
    },
    destroy: () => res.destroy(),
    end: () => res.end(),
  };
  const subscription = hub.subscribe(sink, lastEventId, hello);
  res.on('drain', () => subscription.drain());
  res.on('close', () => subscription.close());
  res.on('error', () => subscription.close());
}
