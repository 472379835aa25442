/**
 * The browser's link to the relay's SSE stream (`/api/stream`), one connection per browser.
 *
 * - `relay-link.ts`: `RelayLink` reads the stream with `fetch` (`sse-parser.ts`), reconnects with
 *   `backoff.ts` and resumes with `?lastEventId=`.
 * - Where it runs, behind the `StreamTransport` interface (`transport.ts`): a SharedWorker
 *   (`shared-worker-transport.ts` + `sse-worker.ts`), a leader tab elected with Web Locks
 *   (`leader-transport.ts`), or this tab alone (`direct-transport.ts`); `choose-transport.ts`
 *   picks one. The first two share a `LinkHost` (`link-host.ts`) and talk to tabs in
 *   `messages.ts`.
 *
 * The rest of the SPA uses only what is exported here.
 */
export { chooseTransport } from './choose-transport.ts';
export type { LinkState, LinkStateName, RawEvent, StreamTransport, TransportSink } from './transport.ts';
