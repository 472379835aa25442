import { describe, expect, it } from 'vitest';
import { shardFixture, T0 } from '../test/fixtures.ts';
import type { LinkState } from '../lib/stream-link/index.ts';
import { createAnnouncementMemory, nextAnnouncements } from './state-announcements.ts';

const open: LinkState = { state: 'open', since: T0, attempt: 0 };

describe('state announcements', () => {
  it('announces a countdown when it starts, at 10 s, and on reconnect — never every second', () => {
    const memory = createAnnouncementMemory();
    const streaming = [shardFixture()];
    expect(nextAnnouncements(memory, { shards: streaming, link: open, relayNow: T0, localNow: T0 })).toEqual([]);

    const waiting = [shardFixture({ state: 'waiting', since: T0, retryAt: T0 + 60_000 })];
    expect(nextAnnouncements(memory, { shards: waiting, link: open, relayNow: T0, localNow: T0 })).toEqual([
      'Shard 0 waiting: it reconnects by itself in 60 s.',
    ]);
    const spoken: string[][] = [];
    for (let s = 1; s <= 60; s++) {
      spoken.push(nextAnnouncements(memory, { shards: waiting, link: open, relayNow: T0 + s * 1000, localNow: T0 }));
    }
    expect(spoken.flat()).toEqual(['Shard 0 reconnects in 10 s.']);

    const connecting = [shardFixture({ state: 'connecting', since: T0 + 60_000 })];
    expect(nextAnnouncements(memory, { shards: connecting, link: open, relayNow: T0 + 60_000, localNow: T0 })).toEqual([
      'Shard 0 reconnecting now.',
    ]);
    expect(nextAnnouncements(memory, { shards: streaming, link: open, relayNow: T0 + 61_000, localNow: T0 })).toEqual([
      'Shard 0 streaming again.',
    ]);
  });

  it('announces the relay link lost once and restored once', () => {
    const memory = createAnnouncementMemory();
    nextAnnouncements(memory, { shards: undefined, link: open, relayNow: T0, localNow: T0 });
    const lost = nextAnnouncements(memory, {
      shards: undefined,
      link: { state: 'retrying', since: T0, attempt: 1, retryAt: T0 + 2_000 },
      relayNow: T0,
      localNow: T0,
    });
    expect(lost).toEqual(['Connection to the relay lost; retrying in 2 s.']);
    expect(
      nextAnnouncements(memory, {
        shards: undefined,
        link: { state: 'connecting', since: T0, attempt: 1 },
        relayNow: T0,
        localNow: T0,
      }),
    ).toEqual([]);
    expect(
      nextAnnouncements(memory, {
        shards: undefined,
        link: { state: 'retrying', since: T0, attempt: 2, retryAt: T0 + 4_000 },
        relayNow: T0,
        localNow: T0,
      }),
    ).toEqual([]);
    expect(nextAnnouncements(memory, { shards: undefined, link: open, relayNow: T0, localNow: T0 })).toEqual([
      'Connection to the relay restored.',
    ]);
  });

  it('announces a shard already waiting when the page opens', () => {
    const memory = createAnnouncementMemory();
    const shards = [shardFixture(), shardFixture({ shard: 1, state: 'waiting', since: T0, retryAt: T0 + 30_000 })];
    expect(nextAnnouncements(memory, { shards, link: open, relayNow: T0, localNow: T0 })).toEqual([
      'Shard 1 waiting: it reconnects by itself in 30 s.',
    ]);
  });
});
