import { createLiveStore } from '../lib/live-store/index.ts';
import { RelayClock } from '../lib/relay-clock.ts';
import { FakeTransport, manualScheduler } from './fake-transport.ts';
import { hitFixture, T0 } from './fixtures.ts';
import { testQueryClient } from './render.tsx';

/**
 * A started live store on a fake transport, frames flushed by hand, its own query client and
 * relay clock, and a local clock at `T0` that only `advance(ms)` moves.
 */
export function liveStoreHarness(feedLimit = 5000) {
  const transport = new FakeTransport();
  const frames = manualScheduler();
  const queryClient = testQueryClient();
  const clock = new RelayClock();
  let now = T0;
  transport.now = () => now;
  const store = createLiveStore({
    transport,
    queryClient,
    scheduler: frames.scheduler,
    feedLimit,
    clock,
    now: () => now,
  });
  let notifications = 0;
  store.subscribe(() => notifications++);
  store.start();
  return {
    transport,
    frames,
    queryClient,
    clock,
    store,
    notifications: () => notifications,
    advance: (ms: number) => (now += ms),
  };
}

/** `count` hit summaries with consecutive seqs from `from`. */
export const hits = (from: number, count: number) => Array.from({ length: count }, (_, i) => hitFixture(from + i));
