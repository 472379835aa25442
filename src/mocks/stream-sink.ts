import type { Subscription, SubscriberSink } from '../core/hub/broadcaster.ts';
import type { RelayCore } from '../core/relay-core.ts';

/**
 * The mock host's side of the SSE stream, as the Node host's `ServerResponse` adapter is the
 * relay's: a `ReadableStream` (the body of MSW's streamed response) handed to the core's
 * broadcaster as a `SubscriberSink`. Back-pressure is the stream's own queue: `unsent` is what
 * waits in it, `blocked` is `desiredSize <= 0`, and each `pull` (the reader took some) is the
 * broadcaster's `drain`; a cancelled body closes the subscription. The same path serves the
 * browser (service worker) and Node (`setupServer`).
 */

/**
 * Bytes the stream's queue holds before it asks to wait. Larger than a socket's buffer: the host
 * plays a jump of the page's clock (a sleeping tab, a test's fast-forward) in one go, with no
 * real time in between for the page to read, so the seconds of traffic a jump produces must fit
 * without the reader counting as blocked — or the broadcaster would evict it for being blocked
 * for virtual seconds it never had. The broadcaster's byte bound (4 MiB) still holds.
 */
const HIGH_WATER_MARK = 2 * 1024 * 1024;

export interface SubscriberStream {
  /** The response body. */
  readonly body: ReadableStream<Uint8Array>;
  /** True once the reader went away or the stream was ended or broken. */
  readonly closed: boolean;
  /** Breaks the stream: the reader sees a network error (the browser's link to the relay went down). */
  fail(reason: string): void;
  /** Ends it cleanly. */
  end(): void;
}

export function subscribeStream(
  core: RelayCore,
  lastEventId: string | undefined,
  onClose?: (stream: SubscriberStream) => void,
): SubscriberStream {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  // Set once `core.subscribe` returns; the sink may be written to (and closed) before that.
  const link: { subscription?: Subscription } = {};
  let closed = false;
  const finish = () => {
    if (closed) return;
    closed = true;
    link.subscription?.close();
    onClose?.(stream);
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        controller = c;
      },
      pull: () => link.subscription?.drain(),
      cancel: finish,
    },
    { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
  const queued = () => HIGH_WATER_MARK - (controller?.desiredSize ?? HIGH_WATER_MARK);
  const sink: SubscriberSink = {
    write: (bytes) => {
      if (closed) return;
      try {
        controller!.enqueue(bytes);
      } catch {
        finish();
      }
    },
    get unsent() {
      return closed ? 0 : Math.max(0, queued());
    },
    get blocked() {
      return !closed && (controller?.desiredSize ?? 0) <= 0;
    },
    get closed() {
      return closed;
    },
    destroy: () => stream.fail('the relay dropped a subscriber that could not keep up'),
    end: () => stream.end(),
  };
  const stream: SubscriberStream = {
    body,
    get closed() {
      return closed;
    },
    fail(reason) {
      if (closed) return;
      controller?.error(new TypeError(reason));
      finish();
    },
    end() {
      if (closed) return;
      try {
        controller?.close();
      } catch {
        // Already errored: nothing left to end.
      }
      finish();
    },
  };
  link.subscription = core.subscribe(sink, lastEventId);
  if (closed) link.subscription.close();
  return stream;
}
