import { afterEach, describe, expect, it } from 'vitest';
import { stringifyRecord } from '../contract/index.ts';
import { FEED_MIN_GAP_MS } from './hub/feed.ts';
import type { RelayCore } from './relay-core.ts';
import { startCore } from './testing/core-harness.ts';

/**
 * The feed's batch policy (issue 16, latency wins): an idle relay sends what one read brought at
 * once, in one batch; under load, batches leave at most every FEED_MIN_GAP_MS.
 */

const running: RelayCore[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((core) => core.stop()));
});

let id = 0;
function lines(n: number): string {
  let text = '';
  for (let i = 0; i < n; i++) {
    id++;
    text += `${stringifyRecord({ hitIdHigh: String(id), hitIdLow: '1', pageName: 'home' })}\r\n`;
  }
  return text;
}

async function streaming() {
  const started = startCore([[{ kind: 'open' }]]);
  running.push(started.core);
  await started.clock.advance(1_000);
  expect(started.core.status().shards[0]!.state).toBe('streaming');
  return { ...started, body: started.bodies[0]![0]! };
}

describe('feed batches', () => {
  it('leave at once when the relay is idle, one batch for what one read brought', async () => {
    const { clock, body, batches } = await streaming();
    await clock.advance(1_000);
    body.write(lines(3));
    // Nothing waits for an interval: the batch leaves on the next turn, at the same instant.
    const at = clock.now();
    await clock.advance(0);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.at).toBe(at);
    expect(batches[0]!.seqs).toHaveLength(3);
  });

  it(`are at least ${FEED_MIN_GAP_MS} ms apart under load, every hit in exactly one`, async () => {
    const { clock, body, batches } = await streaming();
    for (let i = 0; i < 100; i++) {
      body.write(lines(5));
      await clock.advance(2);
    }
    await clock.advance(FEED_MIN_GAP_MS);
    const gaps = batches.slice(1).map((b, i) => b.at - batches[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(FEED_MIN_GAP_MS);
    // 200 ms of hits every 2 ms: about one batch per gap, not one per read.
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(200 / FEED_MIN_GAP_MS) + 1);
    const seqs = batches.flatMap((b) => b.seqs);
    expect(seqs).toHaveLength(500);
    expect(new Set(seqs).size).toBe(500);
  });

  it('send nothing while nothing arrives (no timer ticking for an empty feed)', async () => {
    const { clock, batches } = await streaming();
    await clock.advance(10_000);
    expect(batches).toHaveLength(0);
  });
});
