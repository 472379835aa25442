/// <reference lib="webworker" />
import { fillHistory } from '../simulator/generator/history-fill.ts';
import { DumpableHistoryStore, type HistoryFillOptions } from './mock-history.ts';
import { pack, transferables, type Packed } from './packed.ts';
import type { Outage } from '../contract/index.ts';

/** What the worker sends: the seconds and minutes as columns, the top lists as JSON. */
export interface PackedHistory {
  seconds: Packed;
  minutes: Packed;
  traffic: Packed;
  tops: string;
  hourTops: string;
  outages: Outage[];
}

/**
 * The demo's history made off the page's thread (`mock-history.ts`): `fillHistory` into a memory
 * store, sent back as columns (`packed.ts`): the page then builds its objects in one pass instead
 * of deserialising a hundred thousand of them.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<HistoryFillOptions>) => {
  const store = new DumpableHistoryStore({ topsKeptS: 86_400 });
  fillHistory(store, event.data);
  const dump = store.contents();
  const message: PackedHistory = {
    seconds: pack(dump.seconds),
    minutes: pack(dump.minutes),
    traffic: pack(dump.traffic),
    tops: JSON.stringify(dump.tops),
    hourTops: JSON.stringify(dump.hourTops),
    outages: dump.outages,
  };
  const columns = [message.seconds, message.minutes, message.traffic];
  scope.postMessage(message, columns.flatMap(transferables));
};
