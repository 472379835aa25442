import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisServer, startRedis, type TestRedis } from '../testing/redis-server.ts';
import { clusterKeys } from './keys.ts';
import { HitPublisher, type PublisherOptions } from './publisher.ts';
import { connectRedis, whenReady } from './redis-client.ts';

/**
 * Socket-level, issue 15: publishing to `PUBLISH_STREAM_KEY` against a real Redis. One script
 * call per batch checks the fence, de-duplicates across shards and relays, gives one gap-free
 * `seq`, and appends the line exactly as received; a holder whose lease is no longer its own
 * publishes nothing; a Redis that lost its data gets the epoch and the seq floor back.
 */

const tool = redisServer();
if (!tool.path) console.warn(`skipping the Redis publisher tests: ${tool.reason}`);

let redis: TestRedis;
let n = 0;
const clients: Redis[] = [];

beforeAll(async () => {
  if (tool.path) redis = await startRedis();
}, 20_000);
afterAll(async () => {
  await redis?.stop();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

async function client(): Promise<Redis> {
  const made = connectRedis(redis.url, { name: `t${clients.length}`, commandTimeoutMs: 1000 });
  clients.push(made);
  await whenReady(made, 5000);
  return made;
}

const LINE = (high: string, low: string, extra = '') =>
  `{"hitIdHigh":${high},"hitIdLow":${low},"pageName":"Home","x":{"deep":[1,2,{"y":"é"}]}${extra}}`;

interface Harness {
  publisher: HitPublisher;
  results: { shard: number; seqs: number[] }[];
  dropped: { shard: number; hits: number; why: string }[];
}

function publisher(
  on: Redis,
  streamKey: string,
  leases: Map<number, string>,
  extra: Partial<PublisherOptions> = {},
): Harness {
  const results: Harness['results'] = [];
  const dropped: Harness['dropped'] = [];
  const made = new HitPublisher(on, {
    streamKey,
    relayId: 'relay-t',
    maxLen: 1000,
    dedupCapacity: 1000,
    epoch: 'epoch-1',
    seqFloor: () => 0,
    leaseValue: (shard) => leases.get(shard),
    onPublished: (shard, seqs) => results.push({ shard, seqs: [...seqs] }),
    onDropped: (shard, hits, why) => dropped.push({ shard, hits, why }),
    ...extra,
  });
  return { publisher: made, results, dropped };
}

describe.skipIf(!tool.path)('publishing hits to Redis', () => {
  it('appends each distinct hit once, across shards, with one gap-free seq and the line as received', async () => {
    const key = `p${++n}`;
    const keys = clusterKeys(key);
    const on = await client();
    await on.set(keys.lease(0), 'relay-t:1');
    await on.set(keys.lease(1), 'relay-t:1');
    const leases = new Map([
      [0, 'relay-t:1'],
      [1, 'relay-t:1'],
    ]);
    const { publisher: pub, results } = publisher(on, key, leases);
    const big = '18446744073709551615';
    pub.push(0, `${big}-1`, LINE(big, '1'), 1000);
    pub.push(0, '2-2', LINE('2', '2'), 1001);
    pub.push(1, `${big}-1`, LINE(big, '1', ',"resent":true'), 1002); // the same hit on another shard
    pub.push(1, '3-3', LINE('3', '3'), 1003);
    await pub.flush();
    expect(results.flatMap((r) => r.seqs).sort()).toEqual([0, 1, 2, 3]);
    expect(pub.counters).toMatchObject({ published: 3, duplicates: 1, dropped: 0 });

    // Another program reads the stream: the contract's fields, exact digits, `<seq>-0` ids.
    const other = await client();
    const entries = await other.xrange(key, '-', '+');
    expect(entries.map(([id]) => id)).toEqual(['1-0', '2-0', '3-0']);
    const first = Object.fromEntries(
      entries[0]![1].reduce<[string, string][]>((pairs, value, i, all) => {
        if (i % 2 === 0) pairs.push([value, all[i + 1]!]);
        return pairs;
      }, []),
    );
    expect(first).toEqual({
      hit: LINE(big, '1'),
      hitId: `${big}-1`,
      shard: '0',
      arrivedAt: '1000',
      relay: 'relay-t',
    });
    expect(await other.get(keys.epoch)).toBe('epoch-1');
    expect(await other.get(keys.seq)).toBe('3');
  });

  it('gives one gap-free seq to shards held by different relays, de-duplicating across them', async () => {
    const key = `p${++n}`;
    const keys = clusterKeys(key);
    const setup = await client();
    await setup.set(keys.lease(0), 'relay-a:1');
    await setup.set(keys.lease(1), 'relay-b:1');
    // Two relays, each with its own connection to Redis, each holding one shard.
    const a = publisher(await client(), key, new Map([[0, 'relay-a:1']]), { relayId: 'relay-a' });
    const b = publisher(await client(), key, new Map([[1, 'relay-b:1']]), { relayId: 'relay-b' });
    for (let i = 1; i <= 300; i++) {
      a.publisher.push(0, `${i}-0`, LINE(String(i), '0'), i);
      b.publisher.push(1, `${i}-1`, LINE(String(i), '1'), i);
      // Every tenth hit reaches both shards (Adobe resending across shards): one of them keeps it.
      if (i % 10 === 0) b.publisher.push(1, `${i}-0`, LINE(String(i), '0'), i);
    }
    await Promise.all([a.publisher.flush(), b.publisher.flush()]);
    const entries = await setup.xrange(key, '-', '+');
    expect(entries).toHaveLength(600);
    expect(entries.map(([id]) => Number(id.split('-')[0]))).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    const ids = entries.map(([, fields]) => fields[fields.indexOf('hitId') + 1]);
    expect(new Set(ids).size).toBe(600);
    const relaysSeen = new Set(entries.map(([, fields]) => fields[fields.indexOf('relay') + 1]));
    expect(relaysSeen).toEqual(new Set(['relay-a', 'relay-b']));
    expect(a.publisher.counters.duplicates + b.publisher.counters.duplicates).toBe(30);
  });

  it('publishes nothing once the lease is no longer exactly its own (fencing)', async () => {
    const key = `p${++n}`;
    const keys = clusterKeys(key);
    const on = await client();
    await on.set(keys.lease(0), 'relay-other:2'); // taken over meanwhile
    const { publisher: pub, dropped } = publisher(on, key, new Map([[0, 'relay-t:1']]));
    pub.push(0, '1-1', LINE('1', '1'), 1);
    pub.push(0, '2-2', LINE('2', '2'), 2);
    await pub.flush();
    expect(await on.xlen(key)).toBe(0);
    expect(dropped.reduce((sum, d) => sum + d.hits, 0)).toBe(2);
    expect(dropped[0]!.why).toMatch(/fence/);

    // A lease gone here (lost before the batch left) sends nothing at all.
    const local = publisher(on, key, new Map());
    local.publisher.push(0, '3-3', LINE('3', '3'), 3);
    await local.publisher.flush();
    expect(await on.xlen(key)).toBe(0);
    expect(local.dropped[0]!.why).toMatch(/lease was lost/);
  });

  it('after Redis lost its data, the epoch and the seq go on from what the relay knew', async () => {
    const key = `p${++n}`;
    const keys = clusterKeys(key);
    const on = await client();
    await on.set(keys.lease(0), 'relay-t:1');
    const { publisher: pub } = publisher(on, key, new Map([[0, 'relay-t:1']]), { seqFloor: () => 41 });
    pub.push(0, '7-7', LINE('7', '7'), 1);
    await pub.flush();
    expect((await on.xrange(key, '-', '+')).map(([id]) => id)).toEqual(['42-0']);
    expect(await on.get(keys.epoch)).toBe('epoch-1');
  });

  it('never numbers below the stream when the seq key is gone', async () => {
    const key = `p${++n}`;
    const keys = clusterKeys(key);
    const on = await client();
    await on.set(keys.lease(0), 'relay-t:1');
    await on.xadd(key, '7-0', 'hit', '{}', 'hitId', '0-0', 'shard', '0', 'arrivedAt', '0');
    const { publisher: pub, results } = publisher(on, key, new Map([[0, 'relay-t:1']]));
    pub.push(0, '8-8', LINE('8', '8'), 1);
    await pub.flush();
    expect(results.flatMap((r) => r.seqs)).toEqual([8]);
    expect((await on.xrange(key, '-', '+')).map(([id]) => id)).toEqual(['7-0', '8-0']);
    // Another program appends an entry of its own (a time-based id): publishing goes on after it.
    const foreign = await on.xadd(key, '*', 'note', 'not a hit');
    pub.push(0, '9-9', LINE('9', '9'), 2);
    await pub.flush();
    expect(results.flatMap((r) => r.seqs)).toEqual([8, Number(foreign!.split('-')[0]) + 1]);
  });

  it('keeps the de-duplication window bounded: the oldest ids are forgotten first', async () => {
    const key = `p${++n}`;
    const keys = clusterKeys(key);
    const on = await client();
    await on.set(keys.lease(0), 'relay-t:1');
    const { publisher: pub } = publisher(on, key, new Map([[0, 'relay-t:1']]), { dedupCapacity: 10 });
    for (let i = 1; i <= 50; i++) pub.push(0, `${i}-${i}`, LINE(String(i), String(i)), i);
    await pub.flush();
    expect(await on.zcard(keys.seen)).toBeLessThanOrEqual(11);
    expect(await on.zscore(keys.seen, '50-50')).toBe('50');
    expect(await on.zscore(keys.seen, '1-1')).toBeNull();
  });
});
