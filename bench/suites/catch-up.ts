/**
 * Catch-up: Livestream resending a backlog after an outage. The relay as in production
 * (`src/relay/main.ts`, its own process) reads from a corpus upstream (bench/lib/corpus-upstream.ts,
 * its own process) that holds the connection open until released, then writes a backlog of
 * 5 minutes at 5,000 hits/s (1.5 million records) at transfer speed, then live records at
 * 5,000 hits/s with current timestamps. Meanwhile 100 SSE clients (bench/client-pool.ts, its own
 * process) and one dashboard in headless Chromium are connected. Reported: the time until the
 * relay counted the whole backlog and until it is live again, the clients' delivery delay
 * (receipt − `hit.arrivedAt`) during the catch-up and after, the dashboard's longest task and JS
 * heap, and the relay's RSS and CPU (/proc/<pid>).
 */
import { existsSync } from 'node:fs';
import { ensureBuilt, heapAfterGc, launchChromium, TargetSession } from '../lib/chromium.ts';
import { cpuShare, ProcSampler, readProc, type ProcSample } from '../lib/children.ts';
import {
  ensureTimedCorpus,
  readTimedMeta,
  startCorpusUpstream,
  timedCorpusPath,
  type UpstreamStatus,
} from '../lib/corpus-upstream.ts';
import { figure, type SuiteResult } from '../lib/figures.ts';
import type { PoolReport } from '../client-pool.ts';
import type { Histogram } from '../lib/histogram.ts';
import { PoolControl } from '../lib/pool-control.ts';
import { sleep, startRelayProcess } from '../lib/relay-process.ts';
import type { Suite } from '../lib/suite.ts';
import { ADOBE_LAG_BAND_MS, type Stats } from '../../src/contract/index.ts';

const SEED = 11;
const RATE = 5000;
const CLIENTS = 100;
const FULL = { backlog: 1_500_000, live: 300_000 };
const QUICK = { backlog: 300_000, live: 150_000 };
/** Live again: the relay has counted what the upstream sent up to this long ago. */
const LIVE_WITHIN_MS = 1000;
const POLL_MS = 100;
const MB = 1e6;
/** How fast the upstream shifts and recompresses the backlog text here (bytes of text a second). */
const PREPARE_BYTES_PER_S = 60e6;

/** Runs in the page before any of its scripts (as in the browser suite). */
const INIT = `
  window.__bench = { long: [] };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.long.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__bench.noLongTask = String(e); }
`;

interface Sample {
  /** Epoch ms once both status answers were in (an upper bound of when the count was read). */
  t: number;
  hits: number;
  liveSent: number;
  liveStartedAt: number | undefined;
}

const now = () => performance.timeOrigin + performance.now();

/** How far (ms) the relay is behind the upstream's live records at sample `s`, or undefined. */
function lagBehind(s: Sample, backlog: number, writtenAt: (n: number) => number | undefined): number | undefined {
  if (s.hits < backlog || s.liveStartedAt === undefined) return undefined;
  const counted = s.hits - backlog;
  const at = counted === 0 ? s.liveStartedAt : writtenAt(counted);
  return at === undefined ? undefined : Math.max(0, s.t - at);
}

function delays(h: Histogram | undefined) {
  return {
    p50: h && h.count ? h.percentile(0.5) : NaN,
    p99: h && h.count ? h.percentile(0.99) : NaN,
    max: h && h.count ? h.max : NaN,
    count: h?.count ?? 0,
  };
}

/** CPU share between two instants, from the samples nearest to each. */
function cpuBetween(samples: ProcSample[], from: number, to: number): number {
  const at = (t: number) =>
    samples.reduce((best, s) => (Math.abs(s.at - t) < Math.abs(best.at - t) ? s : best), samples[0]!);
  const a = at(from);
  const b = at(to);
  return b.at > a.at ? cpuShare(a, b) * 100 : NaN;
}

export const catchUpSuite: Suite = {
  name: 'catch-up',
  title: 'Catch-up: a 5-minute backlog at transfer speed, 100 browsers and a dashboard connected',
  async run(ctx, result: SuiteResult) {
    const size = ctx.quick ? QUICK : FULL;
    const afterS = ctx.quick ? 10 : 20;
    const capS = ctx.quick ? 90 : 200;
    if (await ensureBuilt())
      result.notes.push('The SPA was older than its sources: `vite build` ran first (not measured).');
    // A quick run uses the full corpus when it is cached, else builds a smaller one.
    const fullCount = FULL.backlog + FULL.live;
    const count =
      ctx.quick && !existsSync(`${timedCorpusPath(SEED, fullCount)}.json`) ? size.backlog + size.live : fullCount;
    ctx.log(`catch-up: corpus of ${count.toLocaleString()} records (built once, cached in bench/out/corpus)`);
    const base = await ensureTimedCorpus(SEED, count, (m) => ctx.log(m));
    const meta = readTimedMeta(base);
    // The backlog's timestamps are shifted (once, in the upstream) to end at the planned release.
    // Planned so that the preparation (~60 MB of backlog text a second on this machine, while the
    // relay and Chromium start) and the set-up (~15 s) are done by then.
    const backlogRaw = (meta.rawBytes / meta.records) * size.backlog;
    const setupS = Math.max(20, Math.ceil(backlogRaw / PREPARE_BYTES_PER_S) + 5);
    const plannedRelease = Date.now() + setupS * 1000;
    const upstream = await startCorpusUpstream(
      { kind: 'timed', base, backlog: size.backlog, live: size.live, liveRate: RATE, releaseAt: plannedRelease },
      'catch-up-upstream',
    );
    let relay: Awaited<ReturnType<typeof startRelayProcess>> | undefined;
    let pool: PoolControl | undefined;
    const browser = await launchChromium();
    try {
      relay = await startRelayProcess({ env: { ...upstream.relayEnv() }, logName: 'catch-up-relay' });
      pool = PoolControl.start('catch-up-pool');
      const connectedBy = performance.now() + 30_000;
      while ((await upstream.status()).connections.length === 0) {
        if (performance.now() > connectedBy) throw new Error('the relay did not connect to the upstream');
        await sleep(100);
      }
      const opened = await pool.open(relay.url, CLIENTS);
      if (opened.failed) ctx.log(`catch-up: ${opened.failed} clients failed: ${opened.errors.join('; ')}`);
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript(INIT);
      const page = await context.newPage();
      await page.goto(relay.url);
      const mapShown = await page
        .waitForSelector('[data-testid="connection-map"]', { timeout: 30_000 })
        .then(() => true)
        .catch(() => false);
      if (!mapShown) result.notes.push('The dashboard showed no `connection-map` within 30 s of loading.');
      const pageCdp = await context.newCDPSession(page);
      const browserCdp = await browser.newBrowserCDPSession();
      const worker = await TargetSession.attach(browserCdp, 'shared_worker');
      const pageHeap = () => heapAfterGc((m) => pageCdp.send(m as 'Runtime.getHeapUsage'));
      const workerHeap = () => (worker ? heapAfterGc((m) => worker.call(m)) : Promise.resolve(NaN));
      const ready = await upstream.waitReady(240_000);
      ctx.log(
        `catch-up: upstream ready (backlog shifted and recompressed in ${ready.prepareS?.toFixed(1)} s, ${(ready.corpus.gzBytes / MB).toFixed(0)} MB gzip); ${opened.open} clients and the dashboard connected`,
      );
      await sleep(Math.max(3000, plannedRelease - Date.now()));
      const heap0 = await pageHeap();
      const wheap0 = await workerHeap();
      const pageOrigin = await page.evaluate<number>('performance.timeOrigin');
      const sampler = new ProcSampler(relay.pid, 250);
      const up0 = readProc(upstream.pid);
      await pool.report(true);
      const released = await upstream.release();
      const releasedAt = released.releasedAt!;
      ctx.log(
        `catch-up: released ${size.backlog.toLocaleString()} backlog records (${((releasedAt - plannedRelease) / 1000).toFixed(1)} s after the planned release), then ${RATE.toLocaleString()} live hits/s`,
      );

      const samples: Sample[] = [];
      const statusMs: number[] = [];
      const stats = new Map<number, Stats>();
      const heapSeries: number[] = [];
      let caughtUpAt: number | undefined;
      let liveAt: number | undefined;
      let during: (PoolReport & { delayH: Histogram }) | undefined;
      let lastHeap = 0;
      let lastStats = 0;
      let liveEndedAt: number | undefined;
      const readStats = async () => {
        const answer = (await (await fetch(`${relay!.url}/api/stats?window=60`)).json()) as { series: Stats[] };
        for (const s of answer.series) stats.set(s.t, s);
      };
      for (;;) {
        const t0 = now();
        const [rs, us] = await Promise.all([
          relay.status().then((answer) => {
            statusMs.push(now() - t0);
            return answer;
          }),
          upstream.status(),
        ]);
        // The count was read somewhere in [t0, now()]: the end is an upper bound of the lag.
        const t = now();
        const conn = us.connections.find((c) => c.served === 'corpus');
        const sample: Sample = {
          t,
          hits: rs.counters.hits,
          liveSent: conn?.liveRecords ?? 0,
          liveStartedAt: conn?.liveStartedAt,
        };
        samples.push(sample);
        liveEndedAt ??= conn?.liveEndedAt;
        if (caughtUpAt === undefined && sample.hits >= size.backlog) {
          caughtUpAt = t;
          ctx.log(`catch-up: backlog counted after ${((t - releasedAt) / 1000).toFixed(1)} s`);
        }
        if (liveAt === undefined) {
          const lag = lagBehind(sample, size.backlog, (n) => sample.liveStartedAt! + (n * 1000) / RATE);
          if (lag !== undefined && lag <= LIVE_WITHIN_MS) {
            liveAt = t;
            during = await pool.report(true);
            ctx.log(`catch-up: live again after ${((t - releasedAt) / 1000).toFixed(1)} s`);
          }
        }
        if (t - lastHeap >= 1000) {
          lastHeap = t;
          const usage = (await pageCdp.send('Runtime.getHeapUsage')) as { usedSize: number };
          heapSeries.push(usage.usedSize);
        }
        if (t - lastStats >= 5000) {
          lastStats = t;
          await readStats();
        }
        if (liveAt !== undefined && t >= liveAt + afterS * 1000) break;
        if (liveEndedAt !== undefined && liveAt !== undefined) break;
        if (t - releasedAt > capS * 1000) {
          result.notes.push(`**Not live again within ${capS} s of the release**: the run was cut there.`);
          break;
        }
        await sleep(POLL_MS);
      }
      const endAt = now();
      const after = await pool.report(true);
      if (!during) during = after;
      await readStats();
      sampler.stop();
      const up1 = readProc(upstream.pid);
      const heap1 = await pageHeap();
      const wheap1 = await workerHeap();
      const bench = await page.evaluate<{ long: { start: number; duration: number }[]; noLongTask?: string }>(
        '(() => ({ long: window.__bench.long, noLongTask: window.__bench.noLongTask }))()',
      );
      const final: UpstreamStatus = await upstream.status(true);
      const finalStatus = await relay.status();

      // Exact lags from the upstream's log of live sends.
      const log = final.liveLog ?? [];
      const writtenAt = (n: number) => {
        let lo = 0;
        let hi = log.length - 1;
        if (hi < 0 || log[hi]![1] < n) return undefined;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (log[mid]![1] >= n) hi = mid;
          else lo = mid + 1;
        }
        return log[lo]![0];
      };
      const lags = samples.map((s) => lagBehind(s, size.backlog, writtenAt));
      const liveIndex = lags.findIndex((l) => l !== undefined && l <= LIVE_WITHIN_MS);
      const liveExact = liveIndex === -1 ? undefined : samples[liveIndex]!.t;
      const lagAfter = lags.slice(liveIndex === -1 ? lags.length : liveIndex).filter((l) => l !== undefined);
      const conn = final.connections.find((c) => c.served === 'corpus');
      const catchUpEnd = liveAt ?? endAt;
      // The lag after live again, the worst of each second.
      const lagSeries: number[] = [];
      if (liveIndex !== -1) {
        const from = samples[liveIndex]!.t;
        samples.forEach((s, i) => {
          const lag = lags[i];
          if (s.t < from || lag === undefined) return;
          const second = Math.floor((s.t - from) / 1000);
          lagSeries[second] = Math.max(lagSeries[second] ?? 0, lag);
        });
      }
      const answerMs = statusMs.filter((_, i) => samples[i]!.t <= catchUpEnd).sort((a, b) => a - b);
      const answerP50 = answerMs[Math.floor(answerMs.length / 2)] ?? NaN;
      const answerMax = answerMs[answerMs.length - 1] ?? NaN;

      // Adobe's clock: the first second (after the release) from which every second's lag p95
      // (relay arrival − receivedTimeGMT) stays within the band: when the dashboard's lag looks normal.
      const seconds = [...stats.values()]
        .filter((s) => s.t * 1000 >= releasedAt && s.t * 1000 < endAt - 1000 && s.lagP95Ms !== undefined)
        .sort((a, b) => a.t - b.t);
      let inBandFrom = seconds.length;
      while (inBandFrom > 0 && seconds[inBandFrom - 1]!.lagP95Ms! <= ADOBE_LAG_BAND_MS.max) inBandFrom--;
      const inBand = seconds[inBandFrom];
      const worstLag = seconds.reduce((m, s) => Math.max(m, s.lagP95Ms!), 0);
      const beyond = seconds.reduce((a, s) => a + (s.lagAboveBand ?? 0), 0);

      const taskEpoch = (x: { start: number; duration: number }) => ({
        from: pageOrigin + x.start,
        to: pageOrigin + x.start + x.duration,
        duration: x.duration,
      });
      const tasks = bench.long.map(taskEpoch);
      const longest = (from: number, to: number) =>
        tasks.filter((x) => x.to >= from && x.from <= to).reduce((m, x) => Math.max(m, x.duration), 0);
      const over = (from: number, to: number, ms: number) =>
        tasks.filter((x) => x.to >= from && x.from <= to && x.duration > ms).length;
      const longDuring = longest(releasedAt, catchUpEnd);
      const longAfter = liveAt === undefined ? NaN : longest(liveAt, endAt);
      const rss = sampler.samples.map((s) => s.rssBytes);
      const dDuring = delays(during.delayH);
      const dAfter = delays(liveAt === undefined ? undefined : after.delayH);
      const caughtUpS = caughtUpAt === undefined ? NaN : (caughtUpAt - releasedAt) / 1000;
      const liveS = liveAt === undefined ? NaN : (liveAt - releasedAt) / 1000;
      const poolCpu = ((during.cpuS + after.cpuS) / ((endAt - releasedAt) / 1000)) * 100;

      ctx.log(
        `catch-up: caught up ${caughtUpS.toFixed(1)} s, live ${liveS.toFixed(1)} s; delay during p99 ${dDuring.p99} ms, after p99 ${dAfter.p99} ms; longest task ${longDuring.toFixed(0)} ms; relay peak RSS ${(Math.max(...rss) / MB).toFixed(0)} MB`,
      );
      const window = `release → live again (${liveAt === undefined ? 'never: to the end' : `${liveS.toFixed(1)} s`})`;
      result.figures.push(
        figure(`backlog caught up: release → ${size.backlog.toLocaleString()} backlog hits counted`, 's', caughtUpS, {
          decimals: 1,
          note: `${Math.round(size.backlog / caughtUpS).toLocaleString()} hits/s on average; the upstream handed its last backlog byte to the kernel ${conn?.lastByteAt && conn.firstByteAt ? `${((conn.lastByteAt - conn.firstByteAt) / 1000).toFixed(1)} s` : '?'} after its first (it writes as fast as the socket drains); ${(final.corpus.gzBytes / MB).toFixed(0)} MB gzip, ${(final.corpus.rawBytes / MB).toFixed(0)} MB of NDJSON`,
        }),
        figure('live again: release → the relay within 1 s of the upstream', 's', liveS, {
          decimals: 1,
          note: `the first poll (every ${POLL_MS} ms) at which the relay had counted the whole backlog and every live record the upstream had sent more than ${LIVE_WITHIN_MS} ms before (its \`GET /api/status\` \`counters.hits\` against the upstream's log of live sends); ${liveExact === undefined ? 'the exact log never saw it' : `from the exact log ${((liveExact - releasedAt) / 1000).toFixed(1)} s`}`,
        }),
        figure('relay behind the upstream once live, max', 'ms', lagAfter.length ? Math.max(...lagAfter) : NaN, {
          decimals: 0,
          note: `over ${lagAfter.length} polls after live again, ${afterS} s, each an upper bound (the time the status answer was in, less when the upstream sent the last record counted; the upstream sends every 20 ms); the worst of each second: ${lagSeries.map((l) => Math.round(l)).join(', ')} ms. During the catch-up the relay answered \`GET /api/status\` in ${Math.round(answerP50)} ms (median), ${Math.round(answerMax)} ms at most`,
        }),
        figure("browsers' delivery delay during the catch-up, p50", 'ms', dDuring.p50, {
          decimals: 0,
          note: `${CLIENTS} SSE clients (${opened.open} connected, ${opened.failed} failed), receipt − hit.arrivedAt for every hit of every \`hits\` event, ${window}: ${dDuring.count.toLocaleString()} deliveries (the feed is sampled to FEED_MAX_HITS_PER_S, 1,000 a second; ${during.sampledEvents} sampled events)`,
        }),
        figure("browsers' delivery delay during the catch-up, p99", 'ms', dDuring.p99, { decimals: 0 }),
        figure("browsers' delivery delay during the catch-up, max", 'ms', dDuring.max, { decimals: 0 }),
        figure("browsers' delivery delay once live, p50", 'ms', dAfter.p50, {
          decimals: 0,
          note: `the ${afterS} s after live again: ${dAfter.count.toLocaleString()} deliveries; ${after.open} clients still connected, ${after.closed} closed during the run`,
        }),
        figure("browsers' delivery delay once live, p99", 'ms', dAfter.p99, { decimals: 0 }),
        figure("browsers' delivery delay once live, max", 'ms', dAfter.max, { decimals: 0 }),
        figure('dashboard longest task during the catch-up', 'ms', longDuring, {
          target: { op: '<=', value: 100, judge: 'worst' },
          decimals: 0,
          note: bench.noLongTask
            ? `PerformanceObserver longtask unavailable: ${bench.noLongTask}`
            : `headless Chromium, 1440×900, PerformanceObserver \`longtask\` registered before the app's first script; ${window}: ${over(releasedAt, catchUpEnd, 50)} tasks over 50 ms, ${over(releasedAt, catchUpEnd, 100)} over 100 ms`,
        }),
        figure('dashboard longest task once live', 'ms', longAfter, {
          decimals: 0,
          note: `the ${afterS} s after live again: ${liveAt === undefined ? 0 : over(liveAt, endAt, 50)} tasks over 50 ms`,
        }),
        figure('dashboard JS heap at the end (after GC)', 'MB', heap1 / MB, {
          decimals: 1,
          note: `${(heap0 / MB).toFixed(1)} MB before the release, ${(heap1 / MB).toFixed(1)} MB at the end, both after a forced GC (CDP); ${(Math.max(...heapSeries) / MB).toFixed(1)} MB at most before GC, sampled every second; the SharedWorker holding the SSE connection: ${(wheap0 / MB).toFixed(2)} → ${(wheap1 / MB).toFixed(2)} MB`,
        }),
        figure('relay peak RSS', 'MB', Math.max(...rss) / MB, {
          target: { op: '<', value: 512 },
          decimals: 0,
          note: `/proc/<pid>/status every 250 ms from the release to the end; ${(rss[0]! / MB).toFixed(0)} MB at the release, ${(rss[rss.length - 1]! / MB).toFixed(0)} MB at the end; the bound is the memory suite's`,
        }),
        figure(
          'relay CPU during the catch-up',
          '% of a core',
          cpuBetween(sampler.samples, releasedAt - performance.timeOrigin, catchUpEnd - performance.timeOrigin),
          {
            decimals: 0,
            note: `${window}; the client pool used ${poolCpu.toFixed(0)} % of a core over the whole run, the upstream ${up0 && up1 ? (((up1.cpuS - up0.cpuS) / ((endAt - releasedAt) / 1000)) * 100).toFixed(0) : '?'} %`,
          },
        ),
        figure(
          'relay CPU once live',
          '% of a core',
          liveAt === undefined
            ? NaN
            : cpuBetween(sampler.samples, liveAt - performance.timeOrigin, endAt - performance.timeOrigin),
          { decimals: 0, note: `the ${afterS} s after live again, ${RATE.toLocaleString()} hits/s` },
        ),
        figure(
          "Adobe's clock: release → lag p95 back within 5 min for good",
          's',
          inBand ? inBand.t - releasedAt / 1000 : NaN,
          {
            decimals: 0,
            note: `the relay's per-second stats (\`GET /api/stats?window=60\`, read every 5 s): the first second from which every second's lag p95 (arrival − receivedTimeGMT) is within Adobe's 20 s–5 min band, against the backlog counted at ${caughtUpS.toFixed(0)} s; the worst second's p95 ${(worstLag / 1000).toFixed(0)} s; ${beyond.toLocaleString()} hits flagged beyond the band over the run`,
          },
        ),
        figure('upstream stream connections', 'connections', final.streamRequests, {
          target: { op: '==', value: 1 },
          decimals: 0,
          note: `${finalStatus.counters.hits.toLocaleString()} hits counted of ${(size.backlog + (conn?.liveRecords ?? 0)).toLocaleString()} sent, ${finalStatus.counters.duplicates} duplicates, ${finalStatus.counters.malformed} malformed, ${finalStatus.counters.reconnects} reconnects`,
        }),
      );
      const backlogS = size.backlog / RATE;
      result.notes.push(
        `${ctx.quick ? `**Quick run: a backlog of ${size.backlog.toLocaleString()} records (${backlogS} s at ${RATE.toLocaleString()} hits/s), not the full 1.5 million.** ` : ''}Corpus: ${meta.records.toLocaleString()} generator records (seed ${SEED}) generated once as a ${RATE.toLocaleString()} hits/s stream (record i at a fixed instant + i/${RATE} s), cached gzip in bench/out/corpus; the first ${size.backlog.toLocaleString()} are the backlog, the next ${size.live.toLocaleString()} the live records. Timestamps: the upstream adds a whole number of seconds to every \`timeGMT\` and \`receivedTimeGMT\` in the text (ten digits in place, no re-serialisation): the backlog is shifted once, before the release, so that it spans the ${backlogS} s before the planned release (${ready.prepareS?.toFixed(1)} s to shift and recompress at gzip level 6, overlapping the relay's and the browser's start), so each backlog hit keeps the generator's lag (20 s–5 min after Adobe received it) on top of the outage; each live record is shifted when it is sent, so it is as current as a live hit. Released ${((releasedAt - plannedRelease) / 1000).toFixed(1)} s after the planned instant, so the backlog's newest hit was that much older. The body is one gzip stream that never ends: the backlog's raw deflate ended on a sync flush, then the live records' own deflate stream, flushed every 20 ms.`,
        `Sequence: the upstream holds the stream open (headers, gzip header, an empty stored block every 10 s); the relay starts with LIVESTREAM_URL at it (client credentials through its IMS endpoint) and connects; ${CLIENTS} SSE clients connect (bench/client-pool.ts), then the dashboard (bench/lib/chromium.ts, built SPA); then the release. Delivery delay is receipt − \`hit.arrivedAt\` (the relay's arrival time), so it is the relay's fan-out delay while it ingests, not the backlog's age. "Live again" is defined on the relay's count against the upstream's sends (above); this machine has 2 cores for the relay, Chromium, the client pool, the upstream and the bench.`,
      );
    } finally {
      await pool?.close();
      await browser.close();
      await relay?.stop();
      await upstream.stop();
    }
  },
};
