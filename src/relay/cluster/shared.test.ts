import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem, Status } from '../../contract/index.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { startTestRelay, type TestRelay } from '../testing/relay-harness.ts';
import { redisServer, startRedis, type TestRedis } from '../testing/redis-server.ts';
import { until } from '../testing/until.ts';
import { connectRedis, whenReady } from './redis-client.ts';

/**
 * Socket-level, issue 15: what every relay on one stream shows the same. Two relays (in this
 * process) share a Redis and read one simulator: a Problem raised by the holder (malformed records)
 * is listed by the other with the same id, and the holder's bytes and malformed records are
 * counted there too; acknowledged on the other, it is acknowledged on the
 * holder; the shard the other stands by for shows the holder's view; exactly one relay sends
 * the alerts, and the other takes over when it stops.
 */

const tool = redisServer();
if (!tool.path) console.warn(`skipping the shared-state cluster test: ${tool.reason}`);

let redis: TestRedis | undefined;
let sim: Simulator | undefined;
const relays: TestRelay[] = [];

beforeAll(async () => {
  if (!tool.path) return;
  redis = await startRedis();
  sim = await startSimulator({ port: 0, rate: 40, churnWindowS: 0, rhythm: false });
  const env = {
    LIVESTREAM_URL: sim.streamUrl,
    ADOBE_CLIENT_ID: sim.clientId,
    ADOBE_CLIENT_SECRET: sim.clientSecret,
    ADOBE_IMS_TOKEN_URL: sim.tokenUrl,
    REDIS_URL: redis.url,
    RECONNECT_COOLDOWN_S: '1',
    REDIS_LEASE_TTL_S: '2',
  };
  relays.push(await startTestRelay(env), await startTestRelay(env));
}, 30_000);

afterAll(async () => {
  for (const relay of relays) await relay.close().catch(() => undefined);
  await sim?.close();
  await redis?.stop();
}, 30_000);

const status = async (relay: TestRelay) => (await (await fetch(`${relay.url}/api/status`)).json()) as Status;
const problems = async (relay: TestRelay) =>
  ((await (await fetch(`${relay.url}/api/problems`)).json()) as { problems: Problem[] }).problems;

describe.skipIf(!tool.path)('relays sharing one stream show the same', () => {
  it('Problems, their acknowledgement, the holder’s view of the shard, and one alert sender', async () => {
    const holder = await until('a holder streaming', async () => {
      for (const relay of relays) {
        const body = await status(relay);
        if (body.relay.cluster?.holds.includes(0) && body.shards[0]?.state === 'streaming') return relay;
      }
      return undefined;
    });
    const other = relays.find((r) => r !== holder)!;
    // The relay standing by shows the holder's view, not its own wait for the lease.
    await until(
      'the holder’s view on the other relay',
      async () => (await status(other)).shards[0]?.state === 'streaming',
    );
    expect((await status(other)).relay.cluster?.holds).toEqual([]);

    // The holder reads malformed records: its Problem reaches the other relay, same id.
    await fetch(`${sim!.controlUrl}/malformed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"count":3}',
    });
    const raised = await until('malformed_record on the holder', async () =>
      (await problems(holder)).find((p) => p.code === 'malformed_record'),
    );
    const copy = await until('the Problem on the other relay', async () =>
      (await problems(other)).find((p) => p.id === raised.id),
    );
    expect(copy).toMatchObject({ code: 'malformed_record', shard: 0, action: raised.action });
    // What only the holder reads (bytes, malformed records) is counted on the other relay too.
    await until('the holder’s counts on the other relay', async () => {
      const { counters } = await status(other);
      return counters.malformed >= 3 && counters.bytes > 0;
    });
    expect((await status(holder)).counters.malformed).toBe((await status(other)).counters.malformed);

    // Acknowledged on the other relay: acknowledged on the holder.
    const ack = await fetch(`${other.url}/api/problems/${raised.id}/ack`, { method: 'POST' });
    expect(ack.status).toBe(200);
    await until('the acknowledgement on the holder', async () =>
      (await problems(holder)).find((p) => p.id === raised.id && p.acknowledgedAt !== undefined),
    );

    // Another program writes to the stream: a record over the size bound, an entry naming no
    // shard of ours. Neither is served; the first is a malformed record, as from Adobe.
    const writer = connectRedis(redis!.url, { name: 'other-program' });
    await whenReady(writer, 5000);
    const huge = `{"hitIdHigh":1,"hitIdLow":2,"pageName":"${'A'.repeat(300_000)}"}`;
    await writer.xadd('livestream:hits', '*', 'hit', huge, 'hitId', '1-2', 'shard', '0', 'arrivedAt', '1');
    await writer.xadd('livestream:hits', '*', 'hit', '{"hitIdHigh":3,"hitIdLow":4}', 'hitId', '3-4', 'shard', '99');
    writer.disconnect();
    await until('the oversized record reported', async () =>
      (await problems(other)).find((p) => p.code === 'malformed_record' && /longer than/.test(p.details ?? '')),
    );
    expect((await fetch(`${other.url}/api/hits/3-4`)).status).toBe(404);
    expect((await fetch(`${other.url}/healthz`)).status).toBe(200);

    // Exactly one relay sends the alerts; when it stops, the other does.
    const senders = () => relays.filter((r) => r.relay.cluster?.hooks.deliversAlerts());
    await until('one alert sender', () => senders().length === 1);
    const sender = senders()[0]!;
    const remaining = relays.find((r) => r !== sender)!;
    await sender.close();
    relays.splice(relays.indexOf(sender), 1);
    await until('the other relay sends the alerts', () => remaining.relay.cluster?.hooks.deliversAlerts(), 10_000);
  }, 60_000);
});
