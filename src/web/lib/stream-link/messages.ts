import type { LinkState, RawEvent } from './transport.ts';

/**
 * What tabs and the link host (`link-host.ts`, in the SharedWorker or the leader tab) post to each
 * other: the host sends every event and link state; a tab joins, asks to retry now, or says bye.
 */
export type HostMessage = { type: 'event'; event: RawEvent } | { type: 'link'; link: LinkState };
export type TabMessage = { type: 'join' } | { type: 'retry-now' } | { type: 'bye' };
