import type { Problem } from '../../../contract/index.ts';

/**
 * The browser's own link to the relay's SSE stream.
 * - `connecting`: a request is on its way (attempt = failures so far).
 * - `open`: the stream answered 200 and is being read.
 * - `retrying`: it failed; the next attempt is at `retryAt` (local clock, epoch ms).
 * - `unauthorized`: the relay wants the dashboard password; no retry until signed in.
 * - `stopped`: the store was stopped.
 */
export type LinkStateName = 'connecting' | 'open' | 'retrying' | 'unauthorized' | 'stopped';

export interface LinkState {
  state: LinkStateName;
  /** When this state began (local clock, epoch ms). */
  since: number;
  /** Consecutive failed attempts; 0 once a stream has stayed open. */
  attempt: number;
  /** While `retrying`: when the next attempt starts (local clock, epoch ms). */
  retryAt?: number;
  /** Arrival of the last SSE event of any kind (local clock, epoch ms). */
  lastEventAt?: number;
  /** Why the last attempt failed. */
  problem?: Problem;
}

/** One SSE event as read off the wire; the tab parses `data` with the contract schemas. */
export interface RawEvent {
  name: string;
  data: string;
  id?: string;
  /** Local clock at receipt (epoch ms): skew is `relay.now − receivedAt`. */
  receivedAt: number;
}

export interface TransportSink {
  event(event: RawEvent): void;
  link(state: LinkState): void;
}

/**
 * Where the SSE connection lives: a SharedWorker shared by every tab, the tab elected leader, or
 * this tab alone. The live store only sees this interface, so it is tested with a fake.
 */
export interface StreamTransport {
  readonly kind: 'shared-worker' | 'leader' | 'direct' | 'fake';
  start(sink: TransportSink): void;
  stop(): void;
  /** Cancels a pending retry (or leaves `unauthorized`) and connects now. */
  retryNow(): void;
}
