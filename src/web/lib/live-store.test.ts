import { beforeEach, describe, expect, it } from 'vitest';
import type { StatsResponse, Status } from '../../contract/index.ts';
import { FakeTransport, manualScheduler } from '../test/fake-transport.ts';
import {
  hitFixture,
  problemFixture,
  shardFixture,
  statsFixture,
  statusFixture,
  T0,
  topFixture,
} from '../test/fixtures.ts';
import { testQueryClient } from '../test/render.tsx';
import type { ProblemsData } from './cache-bridge.ts';
import { LiveStore } from './live-store.ts';
import { queryKeys } from './query-keys.ts';
import { RelayClock } from './relay-clock.ts';

function setup(feedLimit = 5000) {
  const transport = new FakeTransport();
  const frames = manualScheduler();
  const queryClient = testQueryClient();
  const clock = new RelayClock();
  let now = T0;
  transport.now = () => now;
  const store = new LiveStore({
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

const hits = (from: number, count: number) => Array.from({ length: count }, (_, i) => hitFixture(from + i));

describe('live store', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it('batches a burst of hits events into one update per frame', () => {
    for (let i = 0; i < 100; i++) t.transport.emit('hits', { hits: hits(i * 10 + 1, 10) }, `run1.${i * 10 + 10}`);
    expect(t.notifications()).toBe(0);
    expect(t.frames.requests).toBe(1);
    t.frames.flush();
    expect(t.notifications()).toBe(1);
    const snap = t.store.getSnapshot();
    expect(snap.feed).toHaveLength(1000);
    expect(snap.feed.at(-1)?.seq).toBe(1000);
    expect(snap.counts).toMatchObject({ received: 1000, shown: 1000 });
  });

  it('keeps the feed bounded, in arrival order', () => {
    const small = setup(50);
    small.transport.emit('hits', { hits: hits(1, 30) });
    small.frames.flush();
    small.transport.emit('hits', { hits: hits(31, 40) });
    small.frames.flush();
    const { feed, counts } = small.store.getSnapshot();
    expect(feed).toHaveLength(50);
    expect(feed[0]?.seq).toBe(21);
    expect(feed.at(-1)?.seq).toBe(70);
    expect(counts.shown).toBe(70);
  });

  it('counts sampled hits as received and the kept ones as shown', () => {
    t.transport.emit('hits', { hits: hits(1, 10), sampled: { kept: 10, total: 250 } });
    t.frames.flush();
    expect(t.store.getSnapshot().counts).toMatchObject({ received: 250, shown: 10 });
    expect(t.store.getSnapshot().sampled).toEqual({ kept: 10, total: 250 });
    t.transport.emit('hits', { hits: hits(11, 5) });
    t.frames.flush();
    expect(t.store.getSnapshot().sampled).toBeUndefined();
  });

  it('freezes feed and top while paused, counts what arrives, and catches up on resume', () => {
    t.transport.emit('hits', { hits: hits(1, 5) });
    t.transport.emit('top', { windows: [topFixture(60)] });
    t.transport.emit('stats', statsFixture(T0 / 1000));
    t.frames.flush();
    t.store.setPaused(true);
    const paused = t.store.getSnapshot();
    expect(paused.paused).toBe(true);
    expect(paused.chartsFrozenAtT).toBe(T0 / 1000);

    t.transport.emit('hits', { hits: hits(6, 7) });
    t.transport.emit('hits', { hits: hits(13, 3), sampled: { kept: 3, total: 30 } });
    t.transport.emit('top', { windows: [topFixture(300)] });
    t.frames.flush();
    const during = t.store.getSnapshot();
    expect(during.feed).toBe(paused.feed);
    expect(during.top).toBe(paused.top);
    expect(during.arrivedWhilePaused).toBe(37);

    t.store.togglePause();
    const resumed = t.store.getSnapshot();
    expect(resumed.paused).toBe(false);
    expect(resumed.feed.at(-1)?.seq).toBe(15);
    expect(resumed.top?.[0]?.window).toBe(300);
    expect(resumed.arrivedWhilePaused).toBe(0);
    expect(resumed.chartsFrozenAtT).toBeUndefined();
  });

  it('drops the feed on reset and accepts the restarted sequence', () => {
    t.transport.emit('hits', { hits: hits(100, 5) });
    t.frames.flush();
    t.transport.emit('reset', { reason: 'too-old', missed: 12 });
    t.transport.emit('hits', { hits: hits(1, 2) });
    t.frames.flush();
    const snap = t.store.getSnapshot();
    expect(snap.feed.map((h) => h.seq)).toEqual([1, 2]);
    expect(snap.lastReset).toMatchObject({ reason: 'too-old', missed: 12 });
  });

  it('ignores replayed hits it already has', () => {
    t.transport.emit('hits', { hits: hits(1, 5) });
    t.transport.emit('hits', { hits: hits(3, 5) });
    t.frames.flush();
    expect(t.store.getSnapshot().feed.map((h) => h.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('counts and ignores malformed events without crashing', () => {
    t.transport.emit('hits', '{not json');
    t.transport.emit('hits', { hits: [{ seq: 'x' }] });
    t.transport.emit('problem', { code: 'missing everything' });
    t.transport.emit('something-new', { a: 1 });
    t.transport.emit('hits', { hits: hits(1, 1) });
    t.frames.flush();
    expect(t.store.getSnapshot().counts).toMatchObject({ malformed: 3, ignored: 1, shown: 1 });
  });

  it('puts a problem event into the cached problems list without a refetch', () => {
    const older = problemFixture({ code: 'connection_lost' });
    t.queryClient.setQueryData<ProblemsData>(queryKeys.problems(200), { problems: [older] });
    const fresh = problemFixture({ code: 'too_many_connections' });
    t.transport.emit('problem', fresh);
    const data = t.queryClient.getQueryData<ProblemsData>(queryKeys.problems(200));
    expect(data?.problems.map((p) => p.id)).toEqual([fresh.id, older.id]);
  });

  it('keeps live stats and problems that arrived while the REST answer was in flight', async () => {
    const t0 = T0 / 1000;
    let answer: (value: StatsResponse) => void = () => undefined;
    const fetching = t.queryClient.fetchQuery({
      queryKey: queryKeys.stats(3600),
      queryFn: () => new Promise<StatsResponse>((resolve) => (answer = resolve)),
    });
    // The stream delivers second t0 while the request (answered with data up to t0 - 1) is out.
    t.transport.emit('stats', statsFixture(t0));
    answer({ series: [statsFixture(t0 - 2), statsFixture(t0 - 1)] });
    await fetching;
    expect(t.queryClient.getQueryData<StatsResponse>(queryKeys.stats(3600))?.series.map((s) => s.t)).toEqual([
      t0 - 2,
      t0 - 1,
      t0,
    ]);

    const late = problemFixture({ code: 'stream_stalled' });
    let problems: (value: ProblemsData) => void = () => undefined;
    const loading = t.queryClient.fetchQuery({
      queryKey: queryKeys.problems(200),
      queryFn: () => new Promise<ProblemsData>((resolve) => (problems = resolve)),
    });
    t.transport.emit('problem', late);
    const older = problemFixture({ code: 'connection_lost' });
    problems({ problems: [older] });
    await loading;
    expect(t.queryClient.getQueryData<ProblemsData>(queryKeys.problems(200))?.problems.map((p) => p.id)).toEqual([
      late.id,
      older.id,
    ]);
  });

  it('does not let a late status answer undo a newer shard state from the stream', async () => {
    let answer: (value: Status) => void = () => undefined;
    const loading = t.queryClient.fetchQuery({
      queryKey: queryKeys.status(),
      queryFn: () => new Promise<Status>((resolve) => (answer = resolve)),
    });
    t.transport.emit('state', shardFixture({ state: 'waiting', since: T0 + 5_000, retryAt: T0 + 65_000 }));
    answer(statusFixture({ shards: [shardFixture({ state: 'connecting', since: T0 })] }));
    await loading;
    const shard = t.queryClient.getQueryData<Status>(queryKeys.status())?.shards[0];
    expect(shard).toMatchObject({ state: 'waiting', retryAt: T0 + 65_000 });
  });

  it('updates the shard in the cached status from a state event', () => {
    t.queryClient.setQueryData(
      queryKeys.status(),
      statusFixture({ shards: [shardFixture(), shardFixture({ shard: 1 })] }),
    );
    t.transport.emit('state', shardFixture({ shard: 1, state: 'waiting', retryAt: T0 + 60_000 }));
    const status = t.queryClient.getQueryData<Status>(queryKeys.status());
    expect(status?.shards.map((s) => s.state)).toEqual(['streaming', 'waiting']);
  });

  it('appends stats to every cached history, trimmed to its window', () => {
    const t0 = T0 / 1000;
    t.queryClient.setQueryData<StatsResponse>(queryKeys.stats(300), {
      series: [statsFixture(t0 - 300), statsFixture(t0 - 1)],
    });
    t.transport.emit('stats', statsFixture(t0));
    const series = t.queryClient.getQueryData<StatsResponse>(queryKeys.stats(300))?.series;
    expect(series?.map((s) => s.t)).toEqual([t0 - 1, t0]);
    t.frames.flush();
    expect(t.store.getSnapshot().latestStats?.t).toBe(t0);
  });

  it('writes hello into the status cache and measures clock skew at receipt', () => {
    t.advance(5_000);
    // The relay's clock says T0 while ours says T0 + 5 s: the relay is 5 s behind.
    t.transport.emit('hello', { status: statusFixture({ relay: { now: T0 } }), lastEventId: null });
    expect(t.clock.skewMs).toBe(-5_000);
    expect(t.queryClient.getQueryData<Status>(queryKeys.status())?.relay.runId).toBe('run1');
  });

  it('starts the feed afresh when hello names another relay run', () => {
    t.transport.emit('hello', { status: statusFixture(), lastEventId: null });
    t.transport.emit('hits', { hits: hits(500, 3) });
    t.frames.flush();
    t.transport.emit('hello', { status: statusFixture({ relay: { runId: 'run2' } }), lastEventId: null });
    t.transport.emit('hits', { hits: hits(1, 1) });
    t.frames.flush();
    expect(t.store.getSnapshot().feed.map((h) => h.seq)).toEqual([1]);
    expect(t.store.getSnapshot().lastReset?.reason).toBe('other-run');
  });

  it('publishes link states, and lastEventAt at most once a second', () => {
    t.transport.link({ state: 'open' });
    t.frames.flush();
    expect(t.store.getSnapshot().link.state).toBe('open');
    t.transport.emit('stats', statsFixture(1));
    t.frames.flush();
    const first = t.store.getSnapshot().link;
    expect(first.lastEventAt).toBe(T0);
    t.advance(300);
    t.transport.emit('stats', statsFixture(2));
    t.frames.flush();
    expect(t.store.getSnapshot().link).toBe(first);
    t.advance(800);
    t.transport.emit('stats', statsFixture(3));
    t.frames.flush();
    expect(t.store.getSnapshot().link.lastEventAt).toBe(T0 + 1100);
  });

  it('stops the transport on stop', () => {
    t.store.stop();
    expect(t.transport.stopped).toBe(1);
    t.store.retryLinkNow();
    expect(t.transport.retries).toBe(1);
  });
});
