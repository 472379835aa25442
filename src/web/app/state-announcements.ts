import type { Shard } from '../../contract/index.ts';
import { formatDuration } from '../lib/format.ts';
import type { LinkState } from '../lib/stream-link/index.ts';

/** The countdown is announced when it starts, at this many seconds left, and on reconnect. */
export const ANNOUNCE_AT_S = 10;

interface ShardMemory {
  state: string;
  retryAt: number | undefined;
  announcedSoon: boolean;
}

/** What the announcer remembers between renders. */
export interface AnnouncementMemory {
  shards: Map<number, ShardMemory>;
  seenStatus: boolean;
  link: LinkState['state'] | undefined;
  linkLost: boolean;
}

export function createAnnouncementMemory(): AnnouncementMemory {
  return { shards: new Map(), seenStatus: false, link: undefined, linkLost: false };
}

export interface AnnouncementInput {
  shards: readonly Shard[] | undefined;
  link: LinkState;
  /** Relay clock now (skew-corrected), for shard countdowns. */
  relayNow: number;
  /** Local clock now, for the link's countdown. */
  localNow: number;
}

const seconds = (ms: number) => formatDuration(Math.ceil(Math.max(0, ms) / 1000));

function shardChange(shard: Shard, previous: string | undefined, relayNow: number): string | undefined {
  const name = `Shard ${shard.shard}`;
  switch (shard.state) {
    case 'waiting':
      return shard.retryAt !== undefined
        ? `${name} waiting: it reconnects by itself in ${seconds(shard.retryAt - relayNow)}.`
        : `${name} waiting.`;
    case 'connecting':
      return previous === 'waiting' || previous === 'failed' ? `${name} reconnecting now.` : `${name} connecting.`;
    case 'streaming':
      return previous === undefined ? `${name} streaming.` : `${name} streaming again.`;
    case 'stalled':
      return `${name} stalled: no data is arriving.`;
    case 'failed':
      return `${name} failed${shard.problem ? ` (${shard.problem.code})` : ''}: it will not reconnect by itself.`;
    default:
      return `${name} ${shard.state}.`;
  }
}

/**
 * The sentences to announce for this update, and the memory updated. Pure, so the rules (start of
 * a countdown, 10 s left, reconnect; never each second) are tested without a screen reader.
 */
export function nextAnnouncements(memory: AnnouncementMemory, input: AnnouncementInput): string[] {
  const out: string[] = [];
  const { link } = input;

  if (memory.link !== link.state) {
    if (link.state === 'open' && memory.linkLost) {
      out.push('Connection to the relay restored.');
      memory.linkLost = false;
    } else if (link.state === 'retrying' && !memory.linkLost) {
      out.push(
        `Connection to the relay lost; retrying${link.retryAt !== undefined ? ` in ${seconds(link.retryAt - input.localNow)}` : ''}.`,
      );
      memory.linkLost = true;
    } else if (link.state === 'unauthorized') {
      out.push('The relay needs the dashboard password: sign in to continue.');
      memory.linkLost = true;
    }
    memory.link = link.state;
  }

  if (input.shards) {
    const initial = !memory.seenStatus;
    memory.seenStatus = true;
    for (const shard of input.shards) {
      const before = memory.shards.get(shard.shard);
      const remaining = shard.retryAt !== undefined ? shard.retryAt - input.relayNow : undefined;
      const changed = !before || before.state !== shard.state || before.retryAt !== shard.retryAt;
      if (changed) {
        const sameState = before?.state === shard.state;
        if (initial ? shard.state === 'waiting' || shard.state === 'failed' : !sameState || shard.state === 'waiting') {
          const line = shardChange(shard, before?.state, input.relayNow);
          if (line) out.push(line);
        }
        memory.shards.set(shard.shard, {
          state: shard.state,
          retryAt: shard.retryAt,
          // A wait that starts under the mark was fully announced already.
          announcedSoon: remaining !== undefined && remaining <= ANNOUNCE_AT_S * 1000,
        });
        continue;
      }
      if (
        shard.state === 'waiting' &&
        remaining !== undefined &&
        remaining > 0 &&
        remaining <= ANNOUNCE_AT_S * 1000 &&
        !before.announcedSoon
      ) {
        out.push(`Shard ${shard.shard} reconnects in ${seconds(remaining)}.`);
        before.announcedSoon = true;
      }
    }
  }
  return out;
}
