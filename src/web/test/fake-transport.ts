import type { LinkState, RawEvent, StreamTransport, TransportSink } from '../lib/stream-link/index.ts';

/** A transport driven by the test: push events and link states by hand. */
export class FakeTransport implements StreamTransport {
  readonly kind = 'fake' as const;
  sink: TransportSink | undefined;
  started = 0;
  stopped = 0;
  retries = 0;
  now: () => number = () => Date.now();

  start(sink: TransportSink): void {
    this.sink = sink;
    this.started++;
  }

  stop(): void {
    this.sink = undefined;
    this.stopped++;
  }

  retryNow(): void {
    this.retries++;
  }

  /** Sends an event whose data is `data` serialized (or a raw string as is). */
  emit(name: string, data: unknown, id?: string): void {
    const event: RawEvent = {
      name,
      data: typeof data === 'string' ? data : JSON.stringify(data),
      receivedAt: this.now(),
    };
    if (id !== undefined) event.id = id;
    this.sink?.event(event);
  }

  link(state: Partial<LinkState> & Pick<LinkState, 'state'>): void {
    this.sink?.link({ since: this.now(), attempt: 0, ...state });
  }
}

/** A flush scheduler the test runs by hand: `flush()` runs what the store asked for. */
export function manualScheduler() {
  const queue: (() => void)[] = [];
  return {
    scheduler: (flush: () => void) => {
      queue.push(flush);
      return () => {
        const i = queue.indexOf(flush);
        if (i >= 0) queue.splice(i, 1);
      };
    },
    get requests() {
      return queue.length;
    },
    flush() {
      for (const run of queue.splice(0)) run();
    },
  };
}
