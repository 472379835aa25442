import { cpuShare, readProc, type ProcSample } from '../lib/children.ts';
import { figure, type SuiteResult } from '../lib/figures.ts';
import { Histogram } from '../lib/histogram.ts';
import { PoolControl } from '../lib/pool-control.ts';
import { sleep, startRelayProcess, waitForHits, type RelayProcess } from '../lib/relay-process.ts';
import { relayEnvFor, startSimProcess } from '../lib/sim-process.ts';
import type { Suite, SuiteContext } from '../lib/suite.ts';
import { redisServer, startRedis, type TestRedis } from '../../src/relay/testing/redis-server.ts';

/**
 * Several relays on Redis (issue 15): the simulator in its own process at a flat 1,000 hits/s,
 * 500 SSE clients in the client pool's process. First one relay alone (the embedded default,
 * every hit in process), then Debian's redis-server with two relays sharing it (`REDIS_URL`):
 * one holds the upstream connection and publishes each hit to the stream, both read it back with
 * blocking `XREAD` and serve 250 clients each. Delivery delay is receipt − `hit.arrivedAt` (the
 * holder's arrival: the trip through Redis included) at every client; hits/s is what each relay
 * delivered to its browsers; CPU and RSS come from /proc for the relays and Redis.
 */

const RATE = 1000;
const CLIENTS = 500;
/** The second load: the stream five times faster and no browser, for what goes through Redis. */
const FAST_RATE = 5000;

interface Run {
  delay: Histogram;
  hitsPerS: number[];
  relayCpu: number[];
  redisCpu?: number;
  rssMB: number[];
}

async function measure(
  ctx: SuiteContext,
  relays: RelayProcess[],
  redis: TestRedis | undefined,
  label: string,
  clients: number,
  seconds: number,
): Promise<Run> {
  const pool = clients > 0 ? PoolControl.start(`cluster-${label}-pool`) : undefined;
  try {
    for (const relay of pool ? relays : []) {
      const opened = await pool!.open(relay.url, clients / relays.length);
      if (opened.failed) ctx.log(`cluster ${label}: ${opened.failed} clients failed: ${opened.errors.join('; ')}`);
    }
    await sleep(3000);
    await pool?.report(true);
    const before = await Promise.all(relays.map((r) => r.status()));
    const procs0 = relays.map((r) => readProc(r.pid)!);
    const redis0 = redis ? readProc(redis.pid) : undefined;
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const report = await pool?.report(true);
    const windowS = (performance.now() - t0) / 1000;
    const after = await Promise.all(relays.map((r) => r.status()));
    const procs1 = relays.map((r) => readProc(r.pid)!);
    const redis1 = redis ? readProc(redis.pid) : undefined;
    const run: Run = {
      delay: report?.delayH ?? new Histogram(),
      hitsPerS: relays.map((_, i) => (after[i]!.counters.hits - before[i]!.counters.hits) / windowS),
      relayCpu: procs0.map((p, i) => cpuShare(p, procs1[i]!) * 100),
      rssMB: procs1.map((p: ProcSample) => p.rssBytes / 1e6),
      ...(redis0 && redis1 ? { redisCpu: cpuShare(redis0, redis1) * 100 } : {}),
    };
    const delay = report ? `p99 ${run.delay.percentile(0.99)} ms, ` : '';
    ctx.log(
      `cluster ${label}: ${delay}hits/s ${run.hitsPerS.map((n) => n.toFixed(0)).join(' + ')}, relay CPU ${run.relayCpu.map((n) => n.toFixed(0)).join(' / ')} %${run.redisCpu === undefined ? '' : `, Redis ${run.redisCpu.toFixed(0)} %`}`,
    );
    return run;
  } finally {
    await pool?.close();
  }
}

/** One relay alone (`shared` false), or two on a new Redis, reading a simulator at `rate`. */
async function withRelays<T>(
  shared: boolean,
  rate: number,
  label: string,
  work: (relays: RelayProcess[], redis: TestRedis | undefined) => Promise<T>,
): Promise<T> {
  const { sim, info } = await startSimProcess(
    { rate, rhythm: false, redirectFirstConnect: false, churnWindowS: 0 },
    `cluster-${label}-sim`,
  );
  const redis = shared ? await startRedis() : undefined;
  const relays: RelayProcess[] = [];
  try {
    const env = {
      ...relayEnvFor(info),
      // A new Redis means a full cooldown before the first connection: short, for the benchmark.
      ...(redis ? { REDIS_URL: redis.url, RECONNECT_COOLDOWN_S: '2' } : {}),
    };
    for (const name of shared ? ['a', 'b'] : ['a']) {
      relays.push(await startRelayProcess({ env, logName: `cluster-${label}-relay-${name}` }));
    }
    for (const relay of relays) await waitForHits(relay);
    return await work(relays, redis);
  } finally {
    for (const relay of relays) await relay.stop();
    await redis?.stop();
    await sim.stop();
  }
}

export const clusterSuite: Suite = {
  name: 'cluster',
  title: 'Several relays on Redis: 2 relays × 250 clients beside one relay × 500',
  async run(ctx: SuiteContext, result: SuiteResult) {
    const tool = redisServer();
    if (!tool.path) throw new Error(`no redis-server: ${tool.reason}`);
    const rounds = ctx.quick ? 1 : 2;
    const seconds = ctx.quick ? 10 : 40;
    const single: Run[] = [];
    const shared: Run[] = [];
    const singleFast: Run[] = [];
    const sharedFast: Run[] = [];
    for (let round = 0; round < rounds; round++) {
      const n = round + 1;
      single.push(
        await withRelays(false, RATE, `single-${n}`, (r) =>
          measure(ctx, r, undefined, `single ${n}`, CLIENTS, seconds),
        ),
      );
      shared.push(
        await withRelays(true, RATE, `redis-${n}`, (r, redis) =>
          measure(ctx, r, redis, `redis ${n}`, CLIENTS, seconds),
        ),
      );
      singleFast.push(
        await withRelays(false, FAST_RATE, `single-fast-${n}`, (r) =>
          measure(ctx, r, undefined, `single ${FAST_RATE}/s ${n}`, 0, seconds / 2),
        ),
      );
      sharedFast.push(
        await withRelays(true, FAST_RATE, `redis-fast-${n}`, (r, redis) =>
          measure(ctx, r, redis, `redis ${FAST_RATE}/s ${n}`, 0, seconds / 2),
        ),
      );
    }
    const p = (runs: Run[], q: number) => runs.map((r) => r.delay.percentile(q));
    result.figures.push(
      figure('one relay × 500 clients: delivery delay p99', 'ms', p(single, 0.99), {
        note: 'receipt − arrivedAt, every hit at every client',
      }),
      figure('2 relays on Redis × 250 clients each: delivery delay p99', 'ms', p(shared, 0.99), {
        note: 'receipt − arrival at the holder: the trip through Redis (publish script, XREAD BLOCK) included',
      }),
      figure('one relay: delivery delay p50', 'ms', p(single, 0.5)),
      figure('2 relays on Redis: delivery delay p50', 'ms', p(shared, 0.5)),
      figure(
        'one relay: hits/s delivered',
        'hits/s',
        single.map((r) => r.hitsPerS[0]!),
        { decimals: 0 },
      ),
      figure(
        '2 relays on Redis: hits/s through Redis, each relay',
        'hits/s',
        shared.flatMap((r) => r.hitsPerS),
        {
          decimals: 0,
          note: 'every relay reads every hit back from the stream',
        },
      ),
      figure(
        'one relay: relay CPU',
        '% of a core',
        single.map((r) => r.relayCpu[0]!),
        { decimals: 0 },
      ),
      figure(
        '2 relays on Redis: CPU of each relay',
        '% of a core',
        shared.flatMap((r) => r.relayCpu),
        { decimals: 0 },
      ),
      figure(
        '2 relays on Redis: Redis CPU',
        '% of a core',
        shared.map((r) => r.redisCpu ?? NaN),
        { decimals: 0 },
      ),
      figure(
        '2 relays on Redis: RSS of each relay',
        'MB',
        shared.flatMap((r) => r.rssMB),
        { decimals: 0 },
      ),
      figure(
        `one relay, ${FAST_RATE} hits/s offered, no browser: hits/s counted`,
        'hits/s',
        singleFast.map((r) => r.hitsPerS[0]!),
        { decimals: 0 },
      ),
      figure(
        `2 relays on Redis, ${FAST_RATE} hits/s offered, no browser: hits/s through Redis, each relay`,
        'hits/s',
        sharedFast.flatMap((r) => r.hitsPerS),
        { decimals: 0, note: 'published once by the holder, read back by both' },
      ),
      figure(
        `one relay, ${FAST_RATE} hits/s: relay CPU`,
        '% of a core',
        singleFast.map((r) => r.relayCpu[0]!),
        { decimals: 0 },
      ),
      figure(
        `2 relays on Redis, ${FAST_RATE} hits/s: CPU of each relay`,
        '% of a core',
        sharedFast.flatMap((r) => r.relayCpu),
        { decimals: 0 },
      ),
      figure(
        `2 relays on Redis, ${FAST_RATE} hits/s: Redis CPU`,
        '% of a core',
        sharedFast.map((r) => r.redisCpu ?? NaN),
        { decimals: 0 },
      ),
    );
    result.notes.push(
      `Same run, same machine (2 cores shared by the simulator, the relays, Redis and the client pool): ${RATE} hits/s with ${CLIENTS} clients in all, then ${FAST_RATE} hits/s with none; ${rounds} round(s) of each, interleaved.`,
    );
  },
};
