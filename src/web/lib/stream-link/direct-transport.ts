import { RelayLink, type RelayLinkOptions } from './relay-link.ts';
import type { StreamTransport, TransportSink } from './transport.ts';

/** The connection lives in this tab: the fallback, and what mock mode uses (MSW serves tabs only). */
export function createDirectTransport(
  options: Partial<Omit<RelayLinkOptions, 'onEvent' | 'onLink'>> = {},
): StreamTransport {
  let link: RelayLink | undefined;
  return {
    kind: 'direct',
    start(sink: TransportSink) {
      link?.stop();
      link = new RelayLink({ ...options, onEvent: (event) => sink.event(event), onLink: (state) => sink.link(state) });
      link.start();
    },
    stop() {
      link?.stop();
      link = undefined;
    },
    retryNow() {
      link?.retryNow();
    },
  };
}
