import { beforeEach, describe, expect, it } from 'vitest';
import type { Status } from '../../../contract/index.ts';
import { statsFixture, statusFixture, T0, topFixture } from '../../test/fixtures.ts';
import { hits, liveStoreHarness } from '../../test/live-store-harness.ts';
import { queryKeys } from '../query-keys.ts';

describe('live store', () => {
  let t: ReturnType<typeof liveStoreHarness>;
  beforeEach(() => {
    t = liveStoreHarness();
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
    const small = liveStoreHarness(50);
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
  });

  it('tells the sampling over the last 2 s, so the marker neither blinks nor jumps batch by batch', () => {
    // Under load the relay sends most batches sampled and a few whole (they fit its allowance).
    let seq = 1;
    const batch = (kept: number, total?: number) => {
      t.transport.emit('hits', { hits: hits(seq, kept), ...(total ? { sampled: { kept, total } } : {}) });
      seq += kept;
      t.advance(20);
      t.frames.flush();
      return t.store.getSnapshot().sampled;
    };
    expect(batch(20, 100)).toEqual({ kept: 20, total: 100 });
    // A whole batch in between: still sampled, the ratio over both.
    expect(batch(3)).toEqual({ kept: 23, total: 103 });
    expect(batch(20, 100)).toEqual({ kept: 43, total: 203 });
    // Whole batches only, for 2 s: the marker goes.
    for (let i = 0; i < 99; i++) expect(batch(1)).toBeDefined();
    expect(batch(1)).toBeUndefined();
    // A reset forgets the sampling with the feed.
    batch(5, 50);
    t.transport.emit('reset', { reason: 'replay_gap' });
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
