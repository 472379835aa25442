import { LinkHost } from './link-host.ts';
import type { HostMessage, TabMessage } from './messages.ts';
import type { LinkState, StreamTransport, TransportSink } from './transport.ts';

const LOCK_NAME = 'livestream-monitor:sse-leader';
const CHANNEL_NAME = 'livestream-monitor:sse';

/**
 * Where SharedWorker is missing (Chrome on Android): the tabs elect a leader with a Web Lock; the
 * leader holds the SSE connection and rebroadcasts every event on a BroadcastChannel. When the
 * leader closes, its lock is released, the next tab takes over and resumes from the last event id
 * it had seen as a follower.
 */
export function createLeaderTransport(): StreamTransport {
  let channel: BroadcastChannel | undefined;
  let host: LinkHost | undefined;
  let abort: AbortController | undefined;
  let release: (() => void) | undefined;
  let lastEventId: string | undefined;

  const stop = () => {
    abort?.abort();
    release?.();
    host?.stop();
    channel?.close();
    channel = undefined;
    host = undefined;
    abort = undefined;
    release = undefined;
  };

  return {
    kind: 'leader',
    start(sink: TransportSink) {
      stop();
      const ch = new BroadcastChannel(CHANNEL_NAME);
      channel = ch;
      abort = new AbortController();
      const waiting: LinkState = { state: 'connecting', since: Date.now(), attempt: 0 };
      sink.link(waiting);

      ch.onmessage = (message: MessageEvent<HostMessage | TabMessage>) => {
        const data = message.data;
        if (host) {
          if (data.type === 'join') for (const m of host.catchUp()) ch.postMessage(m);
          else if (data.type === 'retry-now') host.retryNow();
          return;
        }
        if (data.type === 'event') {
          if (data.event.id) lastEventId = data.event.id;
          if (data.event.name === 'reset') lastEventId = undefined;
          sink.event(data.event);
        } else if (data.type === 'link') {
          sink.link(data.link);
        }
      };
      ch.postMessage({ type: 'join' } satisfies TabMessage);

      navigator.locks
        .request(LOCK_NAME, { signal: abort.signal }, () => {
          if (channel !== ch) return undefined;
          host = new LinkHost((message) => {
            if (message.type === 'event' && message.event.id) lastEventId = message.event.id;
            if (message.type === 'event') sink.event(message.event);
            else sink.link(message.link);
            ch.postMessage(message);
          });
          host.start(lastEventId);
          return new Promise<void>((resolve) => {
            release = resolve;
          });
        })
        .catch(() => {
          // aborted on stop
        });
    },
    stop,
    retryNow() {
      if (host) host.retryNow();
      else channel?.postMessage({ type: 'retry-now' } satisfies TabMessage);
    },
  };
}
