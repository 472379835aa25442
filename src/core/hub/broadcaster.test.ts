import { describe, expect, it } from 'vitest';
import type { HitSummary } from '../../contract/index.ts';
import { ManualClock } from '../clock.ts';
import { Broadcaster, type SubscriberSink } from './broadcaster.ts';

/** A sink that keeps what it is given, as text. */
function sink(): SubscriberSink & { text(): string } {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  return {
    write: (bytes) => chunks.push(decoder.decode(bytes)),
    unsent: 0,
    blocked: false,
    closed: false,
    destroy: () => undefined,
    end: () => undefined,
    text: () => chunks.join(''),
  };
}

const hit = (seq: number) => ({ seq, shard: 0, arrivedAt: 0, hitId: `${seq}-${seq}` }) as HitSummary;

function hitsEvents(text: string): { id: string; seqs: number[] }[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event: hits'))
    .map((block) => ({
      id: /^id: (.*)$/m.exec(block)![1]!,
      seqs: (JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { hits: HitSummary[] }).hits.map((h) => h.seq),
    }));
}

describe('Broadcaster replay', () => {
  it('replays from an id in the middle of an event without the hits up to it (a browser from another relay)', () => {
    const hub = new Broadcaster({ clock: new ManualClock(), runId: 'e1' });
    hub.publishBatch({ hits: [1, 2, 3, 4, 5].map(hit), firstSeq: 1, lastSeq: 5 });
    hub.publishBatch({ hits: [6, 7].map(hit), firstSeq: 6, lastSeq: 7 });
    // Another relay on the same stream cut its events at 3: the browser last saw e1.3.
    const moved = sink();
    hub.subscribe(moved, 'e1.3', () => ({}));
    expect(hitsEvents(moved.text())).toEqual([
      { id: 'e1.5', seqs: [4, 5] },
      { id: 'e1.7', seqs: [6, 7] },
    ]);
    // An id on this relay's own cut replays whole events, as before.
    const own = sink();
    hub.subscribe(own, 'e1.5', () => ({}));
    expect(hitsEvents(own.text())).toEqual([{ id: 'e1.7', seqs: [6, 7] }]);
    hub.close();
  });
});
