import { beforeEach, describe, expect, it } from 'vitest';
import type { StatsResponse, Status } from '../../../contract/index.ts';
import { problemFixture, shardFixture, statsFixture, statusFixture, T0 } from '../../test/fixtures.ts';
import { liveStoreHarness } from '../../test/live-store-harness.ts';
import { queryKeys } from '../query-keys.ts';
import type { ProblemsData } from './cache-bridge.ts';

// Driven through the live store, as on the page: SSE events in, TanStack Query cache out.
describe('cache bridge', () => {
  let t: ReturnType<typeof liveStoreHarness>;
  beforeEach(() => {
    t = liveStoreHarness();
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

  it('replaces a problem sent again with the same id (resolved, acknowledged) in its place, never a duplicate', () => {
    const lost = problemFixture({ code: 'connection_lost', at: T0 - 60_000 });
    const newer = problemFixture({ code: 'too_many_connections', at: T0 });
    t.queryClient.setQueryData<ProblemsData>(queryKeys.problems(200), { problems: [newer, lost] });
    t.transport.emit('problem', { ...lost, resolvedAt: T0 + 1_000 });
    t.transport.emit('problem', { ...lost, acknowledgedAt: T0 + 2_000 });
    // An older copy (sent before it was resolved) arriving late changes nothing.
    t.transport.emit('problem', lost);
    const problems = t.queryClient.getQueryData<ProblemsData>(queryKeys.problems(200))?.problems;
    expect(problems?.map((p) => [p.id, p.resolvedAt, p.acknowledgedAt])).toEqual([
      [newer.id, undefined, undefined],
      [lost.id, T0 + 1_000, T0 + 2_000],
    ]);
  });

  it('keeps a resolution that arrived while a REST answer still saying "active" was in flight', async () => {
    const lost = problemFixture({ code: 'connection_lost' });
    let answer: (value: ProblemsData) => void = () => undefined;
    const loading = t.queryClient.fetchQuery({
      queryKey: queryKeys.problems(200),
      queryFn: () => new Promise<ProblemsData>((resolve) => (answer = resolve)),
    });
    t.transport.emit('problem', { ...lost, resolvedAt: T0 });
    answer({ problems: [lost] });
    await loading;
    const problems = t.queryClient.getQueryData<ProblemsData>(queryKeys.problems(200))?.problems;
    expect(problems?.map((p) => [p.id, p.resolvedAt])).toEqual([[lost.id, T0]]);
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

  it('keeps the status totals live from counters events, and a late status answer does not undo them', async () => {
    t.queryClient.setQueryData(
      queryKeys.status(),
      statusFixture({ shards: [shardFixture({ hits: 100 }), shardFixture({ shard: 1, hits: 50 })] }),
    );
    const live = {
      at: T0 + 2_000,
      counters: { hits: 2_000, duplicates: 4, malformed: 5, reconnects: 2, bytes: 900_000 },
      clients: 3,
      shardHits: [1_200, 800],
    };
    t.transport.emit('counters', live);
    const status = t.queryClient.getQueryData<Status>(queryKeys.status());
    expect(status?.counters).toEqual(live.counters);
    expect(status?.clients).toBe(3);
    expect(status?.shards.map((s) => s.hits)).toEqual([1_200, 800]);

    // A status answer written before the last counters event (relay.now older) keeps the live totals.
    let answer: (value: Status) => void = () => undefined;
    const loading = t.queryClient.fetchQuery({
      queryKey: queryKeys.status(),
      queryFn: () => new Promise<Status>((resolve) => (answer = resolve)),
    });
    answer(statusFixture({ relay: { now: T0 + 1_000 }, shards: [shardFixture({ hits: 900 })] }));
    await loading;
    const merged = t.queryClient.getQueryData<Status>(queryKeys.status());
    expect(merged?.counters.reconnects).toBe(2);
    expect(merged?.shards[0]?.hits).toBe(1_200);
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
});
