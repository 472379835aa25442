import type { ConnectionAttempt } from '../../src/simulator/server.ts';
import { formatEventId } from '../../src/contract/index.ts';
import { SimulatorControl } from '../../src/simulator/control-client.ts';
import { createRandom } from '../../src/simulator/generator/index.ts';
import { ProcSampler } from '../lib/children.ts';
import { figure } from '../lib/figures.ts';
import { sleep, startRelayProcess, waitForHits } from '../lib/relay-process.ts';
import { SoakClient } from '../lib/soak-client.ts';
import { relayEnvFor, startSimProcess } from '../lib/sim-process.ts';
import type { Suite } from '../lib/suite.ts';

/**
 * Soak: a relay with the default 60-s cooldown (and the simulator's default 60-s churn window)
 * at 2,000 hits/s for 30 minutes, one upstream fault every 2 minutes (drop, stall, 503, 409,
 * malformed burst, and the hostile modes: a huge Retry-After, an untrusted redirect, a 2 MiB
 * record, a stall kept alive by empty deflate blocks, garbage from the token endpoint; in
 * shuffled rounds), one SSE client reading everything (FEED_MAX_HITS_PER_S above the rate, so
 * nothing is sampled), and an operator who presses "Reconnect now" on a failed shard once it is
 * allowed. Checked: the relay never exits; the simulator never sees two open streams for a shard
 * (polled every second, and from its attempt log); no attempt comes sooner than 60 s after a
 * loss (attempt log); a kept-alive stall causes no reconnect; RSS stays flat after a warm-up;
 * every distinct hit the relay counted reached the client exactly once.
 */

const RATE = 2000;
const FEED_MAX = RATE * 10;
const COOLDOWN_S = 60;
const KINDS = [
  'drop',
  'stall',
  '503',
  '409',
  'malformed',
  // Hostile modes (the hardening issue): each must neither crash the relay nor make it churn.
  'retry-after-huge',
  'redirect-untrusted',
  'huge-record',
  'keepalive-stall',
  'token-garbage',
] as const;
/** The relay's RECONNECT_MAX_WAIT_S here, so a huge Retry-After costs 90 s of the soak, not an hour. */
const MAX_WAIT_S = 90;
/** A stall kept alive by empty deflate blocks, longer than STALL_TIMEOUT_S (90 s): no reconnect may follow. */
const KEEPALIVE_STALL_S = 100;
type Kind = (typeof KINDS)[number];

interface AttemptCheck {
  shortestGapS: number;
  tooSoon: number;
  maxOpen: number;
  attempts: number;
  statuses: Record<string, number>;
}

/** Reads the simulator's attempt log for overlap and cooldown. */
function checkAttempts(attempts: ConnectionAttempt[], endAt: number): AttemptCheck {
  const streams = attempts.filter((a) => a.kind === 'stream').sort((a, b) => a.id - b.id);
  const statuses: Record<string, number> = {};
  for (const a of streams) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  let shortestGapS = Infinity;
  let tooSoon = 0;
  for (let i = 0; i + 1 < streams.length; i++) {
    const a = streams[i]!;
    // A redirect's follow-up is the same attempt.
    if (a.status === 302) continue;
    const lostAt = a.status === 200 ? a.closedAt : a.at;
    if (lostAt === undefined) continue;
    const gap = (streams[i + 1]!.at - lostAt) / 1000;
    shortestGapS = Math.min(shortestGapS, gap);
    if (gap < COOLDOWN_S) tooSoon++;
  }
  const edges: [number, number][] = [];
  for (const a of streams) {
    if (a.status !== 200) continue;
    edges.push([a.at, 1], [a.closedAt ?? endAt, -1]);
  }
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let maxOpen = 0;
  for (const [, d] of edges) maxOpen = Math.max(maxOpen, (open += d));
  return { shortestGapS, tooSoon, maxOpen, attempts: streams.filter((a) => a.status !== 302).length, statuses };
}

/** Growth between the first and last fifth (medians) and the least-squares slope. */
function trend(points: { at: number; mb: number }[]): {
  from: number;
  to: number;
  growth: number;
  slopePer10Min: number;
} {
  if (points.length < 2) return { from: NaN, to: NaN, growth: NaN, slopePer10Min: NaN };
  const fifth = Math.max(1, Math.floor(points.length / 5));
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[sorted.length >> 1]!;
  };
  const from = median(points.slice(0, fifth).map((p) => p.mb));
  const to = median(points.slice(-fifth).map((p) => p.mb));
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.at, 0) / n;
  const my = points.reduce((a, p) => a + p.mb, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.at - mx) * (p.mb - my), 0);
  const sxx = points.reduce((a, p) => a + (p.at - mx) ** 2, 0);
  return { from, to, growth: to - from, slopePer10Min: sxx ? (sxy / sxx) * 600_000 : NaN };
}

export const soakSuite: Suite = {
  name: 'soak',
  title: 'Soak: 2,000 hits/s with an upstream fault every 2 minutes',
  async run(ctx, result) {
    const minutes = ctx.soakMinutes;
    const faultEveryMs = ctx.faultEveryS * 1000;
    // The simulator in a process of its own (flat rate, default churn window): the relay's RSS is
    // then the relay's alone. The simulator keeps what a disconnected slot misses (its default: the
    // last 300 s, at most 50,000 hits) and delivers it on the reconnect, as Livestream does.
    const { sim, info } = await startSimProcess({ rate: RATE, rhythm: false }, 'soak-sim');
    const relay = await startRelayProcess({
      env: {
        ...relayEnvFor(info),
        FEED_MAX_HITS_PER_S: String(FEED_MAX),
        RECONNECT_MAX_WAIT_S: String(MAX_WAIT_S),
      },
      logName: 'soak-relay',
    });
    const control = new SimulatorControl(info.controlUrl);
    const client = new SoakClient(relay.url);
    const simSampler = new ProcSampler(sim.pid, 5000);
    const sampler = new ProcSampler(relay.pid, 5000);
    const random = createRandom(Date.now() >>> 0);
    const injected: { at: number; kind: Kind; note: string }[] = [];
    let maxOpenPolled = 0;
    let pollFailures = 0;
    const heapUsed: { at: number; mb: number }[] = [];
    let healthFailures = 0;
    let polls = 0;
    let stopPolling = false;
    let deck: Kind[] = [];
    let operatorReconnects = 0;
    let failedSeen = 0;
    const poller = (async () => {
      while (!stopPolling) {
        try {
          const state = await control.state();
          polls++;
          const perSlot = new Map<number, number>();
          for (const s of state.open) perSlot.set(s.slot, (perSlot.get(s.slot) ?? 0) + 1);
          maxOpenPolled = Math.max(maxOpenPolled, ...perSlot.values(), 0);
        } catch {
          pollFailures++;
        }
        try {
          const ok = await fetch(`${relay.url}/healthz`, { signal: AbortSignal.timeout(5000) });
          if (!ok.ok) healthFailures++;
        } catch {
          healthFailures++;
        }
        try {
          // The operator: a failed shard (an untrusted redirect) is reconnected once the relay allows it.
          const { shards } = await relay.status();
          for (const shard of shards) {
            if (shard.state !== 'failed') continue;
            if (shard.cooldownUntil !== undefined && shard.cooldownUntil > Date.now()) continue;
            failedSeen++;
            const answer = await fetch(`${relay.url}/api/upstream/${shard.shard}/reconnect`, { method: 'POST' });
            if (answer.status === 202) operatorReconnects++;
          }
        } catch {
          pollFailures++;
        }
        if (polls % 5 === 0) {
          const used = await relay.metric('livestream_monitor_nodejs_heap_size_used_bytes').catch(() => NaN);
          if (Number.isFinite(used)) heapUsed.push({ at: performance.now(), mb: used / 1e6 });
        }
        await sleep(1000);
      }
    })();
    const t0 = Date.now();
    try {
      await waitForHits(relay);
      // From the run's first hit: what was published before this client connected is replayed.
      const { relay: about } = await relay.status();
      client.start(about.runId ? formatEventId(about.runId, 0) : undefined);
      const endAt = t0 + minutes * 60_000;
      let next = t0 + faultEveryMs;
      ctx.log(`soak: ${minutes} min at ${RATE} hits/s, a fault every ${ctx.faultEveryS} s`);
      while (Date.now() < endAt && !relay.proc.done()) {
        if (Date.now() >= next && next < endAt) {
          // A connection fault only bites an open stream: wait (a while) for the relay to be streaming.
          const waitUntil = Date.now() + Math.min(90_000, faultEveryMs / 2);
          let streaming = false;
          while (!streaming && Date.now() < waitUntil) {
            streaming = (await control.state()).open.length > 0;
            if (!streaming) await sleep(2000);
          }
          if (deck.length === 0) {
            deck = [...KINDS];
            for (let i = deck.length - 1; i > 0; i--) {
              const j = random.int(0, i);
              [deck[i], deck[j]] = [deck[j]!, deck[i]!];
            }
          }
          const kind = deck.pop()!;
          let note = streaming ? '' : 'relay not streaming';
          if (kind === 'drop') await control.drop();
          else if (kind === 'stall') await control.stall();
          else if (kind === '503') {
            await control.nextConnect({ status: 503, body: 'json', retryAfter: 30 });
            await control.drop();
          } else if (kind === '409') {
            await control.nextConnect({ status: 409, body: 'json' });
            await control.drop();
          } else if (kind === 'malformed') {
            const written = await control.malformed({ count: 50 });
            note = `${written.written} lines`;
          } else if (kind === 'retry-after-huge') {
            await control.nextConnect({ status: 503, body: 'json', retryAfter: 999_999_999 });
            await control.drop();
          } else if (kind === 'redirect-untrusted') {
            await control.redirect({ location: 'http://[::1' });
            await control.drop();
          } else if (kind === 'huge-record') {
            await control.hugeRecord(2 * 1024 * 1024);
          } else if (kind === 'keepalive-stall') {
            await control.stall({ seconds: KEEPALIVE_STALL_S, keepAliveEveryS: 15 });
          } else {
            await control.tokenAnswer('garbage');
            await control.expireTokens();
            await control.drop();
          }
          injected.push({ at: Date.now(), kind, note });
          ctx.log(`soak: ${((Date.now() - t0) / 60_000).toFixed(1)} min: fault ${kind}${note ? ` (${note})` : ''}`);
          next = Math.max(next + faultEveryMs, Date.now() + 10_000);
        }
        await sleep(1000);
      }
      // Let the last batch reach the client.
      await sleep(2000);
      const crashed = relay.proc.done();
      const simCrashed = sim.done();
      const status = crashed ? undefined : await relay.status();
      await sleep(1500);
      const attempts = crashed ? [] : await control.connections();
      const state = crashed ? undefined : await control.state();
      const check = checkAttempts(attempts, Date.now());
      const streamAttempts = attempts.filter((a) => a.kind === 'stream');
      const keptAlive = injected.filter((f) => f.kind === 'keepalive-stall');
      const reconnectsInKeptAliveStalls = keptAlive.filter((f) =>
        streamAttempts.some((a) => a.at > f.at && a.at < f.at + KEEPALIVE_STALL_S * 1000),
      ).length;
      const slowCuts = attempts.filter((a) => a.closeReason === 'slow-consumer').length;
      const hits = status?.counters.hits ?? client.maxSeq;
      // Count up to the end of a batch, so a batch straddling the snapshot is not half-counted.
      const upTo = client.boundaryAtOrBefore(hits);
      const sampledOut = client.sampledOutUpTo(upTo);
      const lost = client.missing(upTo) - sampledOut;
      sampler.stop();
      simSampler.stop();
      const warmupMs = Math.min(5 * 60_000, (minutes * 60_000) / 3);
      const samples = sampler.samples;
      const startAt = samples[0]?.at ?? 0;
      const rss = samples.filter((x) => x.at - startAt >= warmupMs).map((x) => ({ at: x.at, mb: x.rssBytes / 1e6 }));
      const heap = heapUsed.filter((x) => x.at - startAt >= warmupMs);
      const rssTrend = trend(rss);
      const heapTrend = trend(heap);
      const rssMax = Math.max(...samples.map((x) => x.rssBytes)) / 1e6;
      const kinds = KINDS.map((k) => `${k} ×${injected.filter((f) => f.kind === k).length}`).join(', ');
      result.figures.push(
        figure('relay crashes (process exited)', 'count', crashed ? 1 : 0, {
          target: { op: '==', value: 0 },
          decimals: 0,
          note: `${healthFailures} failed /healthz checks out of ${polls}; exit: ${crashed ? JSON.stringify(await relay.proc.exited) : 'still running'}${simCrashed ? '; the simulator exited!' : ''}`,
        }),
        figure('most open upstream streams for one shard, polled every second', 'streams', maxOpenPolled, {
          target: { op: '<=', value: 1 },
          decimals: 0,
          note: `${polls} polls of /__sim/state (${pollFailures} failed)`,
        }),
        figure('most open upstream streams at once, from the attempt log', 'streams', check.maxOpen, {
          target: { op: '<=', value: 1 },
          decimals: 0,
          note: `${check.attempts} connection attempts: ${Object.entries(check.statuses)
            .map(([s, n]) => `${s} ×${n}`)
            .join(', ')}`,
        }),
        figure('shortest wait from a loss to the next attempt', 's', check.shortestGapS, {
          target: { op: '>=', value: COOLDOWN_S },
          decimals: 1,
          note: `${check.tooSoon} attempts sooner than ${COOLDOWN_S} s; a loss is a stream's close or a refusal, as the simulator logged them`,
        }),
        figure(
          'stalls kept alive by empty deflate blocks that led to a reconnect',
          'stalls',
          reconnectsInKeptAliveStalls,
          {
            target: { op: '==', value: 0 },
            decimals: 0,
            note: `${keptAlive.length} stalls of ${KEEPALIVE_STALL_S} s (longer than STALL_TIMEOUT_S=90) with an empty deflate block every 15 s: bytes on the socket, nothing after gunzip; the stall clock counts the bytes`,
          },
        ),
        figure('failed shards reconnected by the operator', 'reconnects', operatorReconnects, {
          decimals: 0,
          note: `an untrusted redirect fails the shard (never retried by itself); the soak's operator pressed Reconnect now once the relay allowed it (${failedSeen} presses)`,
        }),
        figure('relay RSS growth after the warm-up', 'MB', rssTrend.growth, {
          target: { op: '<', value: 50 },
          decimals: 1,
          note: `median of the first fifth of the samples after ${(warmupMs / 60_000).toFixed(1)} min (${rssTrend.from.toFixed(0)} MB) → median of the last fifth (${rssTrend.to.toFixed(0)} MB), every 5 s from /proc; ${rssMax.toFixed(0)} MB at most (catch-up bursts after reconnects); least-squares slope ${rssTrend.slopePer10Min.toFixed(1)} MB per 10 min`,
        }),
        figure('relay JS heap used, growth after the warm-up', 'MB', heapTrend.growth, {
          decimals: 1,
          note: `nodejs_heap_size_used_bytes from /metrics every 5 s: ${heapTrend.from.toFixed(0)} → ${heapTrend.to.toFixed(0)} MB, slope ${heapTrend.slopePer10Min.toFixed(1)} MB per 10 min. The relay's windows (the replay buffer, the last minute of per-second stats, an hour of per-minute top lists and stats) fill during the first hour, so some growth then is by design`,
        }),
        figure('hits the relay counted that the client never got (sampled-out excepted)', 'hits', lost, {
          target: { op: '==', value: 0 },
          decimals: 0,
          note: `relay: ${hits.toLocaleString()} distinct hits (${status?.counters.duplicates ?? '?'} duplicates dropped, ${status?.counters.malformed ?? '?'} malformed, ${status?.counters.reconnects ?? '?'} reconnects); client (which started with Last-Event-ID \`<runId>.0\`, so the replay buffer gave it what came before it connected), up to seq ${upTo.toLocaleString()}: ${client.distinct.toLocaleString()} distinct in ${client.events} events${lost ? `, missing ${client.missingRanges(upTo)}` : ''}, ${client.resets} resets, ${client.reconnects} reconnects to the relay`,
        }),
        figure('hits sampled out of the feed (catch-up bursts after a reconnect)', 'hits', sampledOut, {
          decimals: 0,
          note: `${client.sampled} sampled batches. FEED_MAX_HITS_PER_S=${FEED_MAX} is 10× the rate, but after each outage the simulator resumes with the slot's backlog (about cooldown × rate hits at once), which the feed samples as the contract says it must above the limit (docs/api.md, "Configuration"); those hits are accounted for, not lost`,
        }),
        figure('hits delivered twice to the client', 'hits', client.duplicates, {
          target: { op: '==', value: 0 },
          decimals: 0,
        }),
        figure(
          'simulator RSS (separate process), end',
          'MB',
          (simSampler.samples[simSampler.samples.length - 1]?.rssBytes ?? 0) / 1e6,
          {
            decimals: 0,
            note: 'holds the hits of a disconnected slot for resume (up to 300 s of them): why it runs apart from the relay here',
          },
        ),
        figure('faults injected', 'faults', injected.length, {
          decimals: 0,
          note: `${kinds}; the simulator generated ${state?.totals.generated.toLocaleString() ?? '?'} hits and wrote ${state?.totals.hits.toLocaleString() ?? '?'} records (duplicates on resume included); ${injected.filter((f) => f.note === 'relay not streaming').length} faults found the relay not streaming`,
        }),
      );
      result.notes.push(
        `Run: ${minutes} min, relay defaults (RECONNECT_COOLDOWN_S=60, STALL_TIMEOUT_S=90, SIM_CHURN_WINDOW_S=60), FEED_MAX_HITS_PER_S=${FEED_MAX}, the simulator in its own process at a flat ${RATE} hits/s with its default resume backlog (the last 300 s of a disconnected slot, at most 50,000 hits, delivered on the reconnect; relay pointed at it with LIVESTREAM_URL and its client credentials). Streams the simulator cut as slow consumers in this run: ${slowCuts} (a resume backlog never counts towards that rule). Faults: drop = \`/__sim/drop\`; stall = \`/__sim/stall\` until the relay gives up on the stream (90 s); 503/409 = \`/__sim/next-connect\` then drop (the next attempt is refused, the one after succeeds); malformed = 50 non-JSON lines; retry-after-huge = a 503 with \`Retry-After: 999999999\` then drop (RECONNECT_MAX_WAIT_S=${MAX_WAIT_S}); redirect-untrusted = \`Location: http://[::1\` then drop (the shard fails; the operator reconnects it); huge-record = one 2 MiB record; keepalive-stall = ${KEEPALIVE_STALL_S} s without records but an empty deflate block every 15 s; token-garbage = the next token request answers a web page, tokens expired, then drop. A fault waits (up to half the interval) for the relay to be streaming, so each one bites.`,
        `Faults in order: ${injected.map((f) => `${((f.at - t0) / 60_000).toFixed(1)} min ${f.kind}`).join('; ') || 'none'}.`,
      );
    } finally {
      stopPolling = true;
      client.stop();
      sampler.stop();
      simSampler.stop();
      await poller;
      await relay.stop();
      await sim.stop();
    }
  },
};
