import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ConnectionAttempt } from '../../src/simulator/server.ts';
import { readProc } from '../lib/children.ts';
import { readProfile, summarizeProfile, profileTable } from '../lib/cpu-profile.ts';
import { figure, passes, summarize, type SuiteResult } from '../lib/figures.ts';
import { quietestCpu } from '../lib/machine.ts';
import { BENCH_DIR, ROOT } from '../lib/paths.ts';
import { PROFILE_DIR, sleep } from '../lib/relay-process.ts';
import { startSimProcess } from '../lib/sim-process.ts';
import type { Suite, SuiteContext } from '../lib/suite.ts';
import { ensureCorpus, loadCorpus } from './ingest-corpus.ts';
import { GUNZIP_CHUNK_BYTES } from '../../src/relay/upstream/connect.ts';
import { STEPS } from './ingest-steps.ts';
import type { WorkerResult } from './ingest-worker.ts';

/**
 * Ingest: how fast the relay's hot path eats a realistic gzip stream, against a baseline that
 * only gunzips, splits and JSON.parses the same bytes, each run in a fresh process pinned to one
 * CPU (`taskset`), modes interleaved so the machine's noise hits them alike. Rates are hits per
 * CPU-second of that process (what one core can do whatever else runs on the machine), with the
 * wall-clock rate beside them. Plus parseExact against JSON.parse, and `curl --compressed` on the
 * simulator's stream at full speed as the transfer ceiling.
 */

const SEED = 7;

/**
 * What was changed because of this suite's profiles (kept here so every rewrite of RESULTS.md
 * still says it). Figures from the runs named.
 */
const HISTORY = [
  "**First change** (src/ commit 7827155, after the run at 61bb4bc, 2026-11-22 01:31 UTC, same corpus and machine): then 37k hits/CPU-s, 0.27 of the baseline. The profile showed `HitStore.add` evicting through `byId.keys().next()` (V8's ordered map keeps deleted entries as holes at the front until it rehashes; every fresh iterator walks them: 8–25 µs per add at the 20,000 capacity, 0.4 µs with a ring), the FeedBatcher holding every summary of the batch window even when it samples nearly all of them away (young-generation GC 16 % of the profile), and `parseExact` rewriting each line with a regex `replace` before parsing. After: a ring in `HitStore`, a bounded `FeedBatcher`, a one-pass `parseExact`: 52k hits/CPU-s, 0.42 (quick run at 6202275, 2026-11-22 03:10 UTC).",
  "**Second change** (after that run): `--trace-gc` showed the heap reaching 470 MB over the 200,000 records, and the scavenger taking ~720 ms of the run. The hit ids held by `Dedup` were concatenations (`${high}-${low}`) of digits sliced out of the line, itself a slice of the decoded chunk: V8 keeps both as references to their parent, so every id kept a whole decoded chunk alive (200,000 ids: ~400 MB). `hitIdOf` now flattens the id (one regex test over it), and the heap stays under ~80 MB. The decoder now cuts lines at the byte level and `HitStore` keeps each line's bytes where gunzip wrote them (offsets into the chunk, no object and no string per stored hit), so the scavenger no longer copies 20,000 live lines. The hot path parses with `parseHitLine` (`JSON.parse`, then the digits of `hitIdHigh`/`hitIdLow` read from the text only when a value is beyond 2^53) instead of `parseExact`'s regex scan of the whole line; `parseExact` stays for `GET /api/hits/:hitId`, where every field must be exact. `Dedup.add` does one lookup per generation instead of three, and the closures `hitIdOf`/`summariseRecord` created per call are module functions.",
  "**Third change** (2026-11-30, after the issue asked for ≥ 0.9 of the baseline): a quiet run gave 0.78 (baseline 2.93 CPU-s, decode only 2.29, relay path 3.78); the profile put `JSON.parse` (inside `parseHitLine`) at 27–29 % and zlib at 15 %, and what the relay adds beyond decoding at ~1.5 CPU-s for 200,000 hits, split in a same-process microbenchmark as: hit id 1.2 µs a hit, de-duplication 0.6, the hit store 0.7–1.3, the summary 2.0–2.8, the stats 0.9–1.4. Summaries were built field by field (`setIf`), so each hit's summary had one of many hidden classes and every reader (stats, quality, feed, `JSON.stringify`) ran megamorphic: the summary now has every field in one order (undefined where the record has none; JSON leaves those out, the wire is byte for byte the same over the 200,000 corpus records), and summary + stats went from ~2.5 to ~1.7 µs a hit. Tried and dropped: a parse that reads only the ~28 fields the hot path needs (a one-pass validating scanner, exact or declining to `JSON.parse`), on the line's string (1.75 s for the corpus against `JSON.parse`'s 0.93–1.19 s) and on its bytes (2.0 s against `TextDecoder` + `parseHitLine`'s 1.65 s): V8's native parser builds a 1 KB record in ~5 µs, while a JavaScript loop only stepping over the same bytes already costs 1.3–2.3 µs (0.26–0.45 s for the corpus) before it decodes a single string; each of the ~12 strings a summary needs then costs 0.1–0.2 µs to decode (`latin1Slice`/`TextDecoder`), and `events`/`products` a nested `JSON.parse`. A field-only parse in JavaScript does not beat `JSON.parse` here.",
  "**Fourth change** (2026-11-30): zlib hands its output in buffers of `chunkSize`, 16 KiB by default, and each buffer is one callback into JavaScript and one `RecordDecoder.push`. Gunzip alone of the (2026) corpus, pinned to one core, 4 rounds: 0.89–0.99 CPU-s with 16 KiB, 0.61–0.80 with 64 KiB, 0.55–0.66 with 256 KiB. The relay's connector now asks for 64 KiB (src/relay/upstream/connect.ts; one such buffer per open stream); the baseline keeps zlib's default, as a bare reader would, and `baseline with the relay's 64 KiB gunzip buffer` shows whether that choice flatters the ratio (two noisy rounds on a busy machine gave the bare reader no gain from bigger buffers: 3.63 and 3.17 CPU-s against 3.20 and 3.03; a quiet full run decides).",
  "**Fifth change** (2026-12-01): the connector's gunzip buffer went from 64 KiB to 256 KiB (gunzip alone of the corpus, pinned, 2 rounds: 0.57–0.59 CPU-s against 0.64–0.83), and the hit store copies each line with `Buffer#copy` (~0.26 µs for 1.5 KB) instead of `Uint8Array#set` on a fresh `subarray` view (~0.59). Interleaved with the relay path of 2e6350f (`--ingest-against`), four runs of 5 rounds on 2026-12-01: 1.09, 1.13, 1.00 and 0.97 times as fast per round (medians; 0.86–1.37 in all): no gain the machine's noise lets one tell from none on the whole path, which stays at 0.70–0.77 of the baseline. The suite now also measures each step of the hot path on the decompressed lines (`step:` figures) and the budget 0.9 leaves beyond the decode step: in the quietest run the steps after the parse (hit id, de-duplication, store, summary, stats, feed) cost ~4.6 µs a hit together where 0.9 leaves ~3.8 µs, and the whole path is ~3 µs a hit (15 %) above what 0.9 allows (5.4 µs in a noisy run): spread over six steps of 0.5–1.5 µs plus the garbage collector and the per-second work, each of them work the relay exists to do.",
  "**A faster parse, measured** (2026-12-01, prototypes, not built): Per 1.5 KB record of the corpus, pinned, best of 11 rounds: `JSON.parse` 6.7 µs, the line's UTF-8 decode 0.8, `parseHitLine` 7.5; a JavaScript reader of the 28 hot fields only (string scan with the engine's `indexOf` for quotes, a regex to decline lines with a backslash or a control character) 10.4 µs — slower, as in the third change. A WebAssembly validator (AssemblyScript, 128-bit SIMD to step over string bytes, the line copied into its memory) checks the whole record in 3.3 µs; built out into a reader of the 28 hot fields (the scanner finding their values' offsets, JavaScript then building each value: ~20 `utf8Slice`, numbers, `JSON.parse` of `events` and `exclude`), a prototype took 8.0 µs a record where the line's decode and `parseHitLine` took 8.8 in the same run: building the values in JavaScript costs about what the native validation saves. No parse written in or beside JavaScript here gains the ~3.75 µs a hit the gap needs; the relay's own steps (5.4 µs) against the 1.7 µs that 0.9 leaves beyond a decode already cheaper than the baseline are what stop it.",
  "**Each step taken out, measured** (2026-12-01, scratch worktrees of a2ba8f5 with one step cut from `Ingest`, not built; 8 interleaved rounds of the corpus, pinned, medians of CPU-s per round): baseline 2.99, decode only 2.65, the relay path 3.97 (0.76 of the baseline), without the hit store 3.57 (0.84), without the summary, its redaction, the stats and the feed (the store kept) 3.38 (0.90). Only a relay that neither summarises, nor counts, nor feeds a hit reaches 0.9 on this corpus. The garbage collector (`--trace-gc-nvp`, one run each): scavenge pauses 197 ms for the relay path against 69 for the path without de-duplication, store, stats and feed and 63 for decode only, 23 MB promoted to the old generation against 11 and 10: what those steps keep (the ids de-duplication remembers, the store's keys, the feed's summaries) is what the scavenger copies. Tried and dropped the same day: a de-duplication holding each id as four exact numbers in typed-array tables (no string kept per id), 3.89 CPU-s for the relay path against 3.71 with the `Set` of strings (medians of 6 interleaved rounds): no gain. The suite now measures that path itself (`relay-bare`, above) in every full run.",
];
const RECORDS = 200_000;
const WORKER = join(BENCH_DIR, 'suites/ingest-worker.ts');
/** The simulator's rate for the transfer ceiling: as much as one Node process generates steadily. */
const CEILING_RATE = 30_000;
/** Rounds of the steps measurement (each: the path up to each of the 8 steps over 100,000 lines). */
const STEP_ROUNDS = 5;
const MODES = ['baseline', 'baseline-buffer', 'decode', 'relay', 'relay-bare'] as const;
/** The relay's gunzip output buffer, as the figures name it. */
const RELAY_BUFFER = `${GUNZIP_CHUNK_BYTES / 1024} KiB`;
/** The relay path without de-duplication, the hit store, the stats and the feed. */
const BARE = 'relay-bare';
/** The mode name of `--ingest-against`'s relay path. */
const AGAINST = 'relay@';

/**
 * A git worktree of `commit` under bench/out/worktrees, sharing this checkout's node_modules (the
 * relay path's runtime dependencies are the same), made once and kept for later runs.
 */
function worktreeOf(commit: string): { commit: string; tree: string } {
  const sha = execFileSync('git', ['rev-parse', '--short', `${commit}^{commit}`], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  const tree = join(BENCH_DIR, 'out', 'worktrees', sha);
  if (!existsSync(join(tree, 'package.json'))) {
    mkdirSync(join(BENCH_DIR, 'out', 'worktrees'), { recursive: true });
    execFileSync('git', ['worktree', 'add', '--force', '--detach', tree, sha], { cwd: ROOT, stdio: 'ignore' });
  }
  if (!existsSync(join(tree, 'node_modules')))
    symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
  return { commit: sha, tree };
}

function runWorker(
  cpu: number,
  args: string[],
  extraNodeArgs: string[] = [],
  tree: string = ROOT,
): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'taskset',
      [
        '-c',
        String(cpu),
        process.execPath,
        ...extraNodeArgs,
        '--import',
        'tsx',
        join(tree, relative(ROOT, WORKER)),
        ...args,
      ],
      {
        cwd: tree,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`ingest worker ${args[0]} failed (${code}): ${err.slice(-800)}`));
      else resolve(JSON.parse(line.slice(7)) as WorkerResult);
    });
  });
}

async function transferCeiling(ctx: SuiteContext, result: SuiteResult, relayRate: number): Promise<void> {
  const runs = ctx.quick ? 1 : 3;
  const seconds = ctx.quick ? 5 : 8;
  const mbps: number[] = [];
  const rawMbps: number[] = [];
  const hitsPerS: number[] = [];
  const simCpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const { sim, info } = await startSimProcess(
      { rate: CEILING_RATE, rhythm: false, redirectFirstConnect: false, churnWindowS: 0 },
      'ingest-ceiling-sim',
    );
    try {
      const tokenResponse = await fetch(info.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: info.clientId,
          client_secret: info.clientSecret,
        }),
      });
      const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
      let rawBytes = 0;
      const cpu0 = readProc(sim.pid);
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        const curl = spawn(
          '/usr/bin/curl',
          [
            '--compressed',
            '-sS',
            '-N',
            '--http1.1',
            '-H',
            `Authorization: Bearer ${token}`,
            '-H',
            `x-api-key: ${info.clientId}`,
            '--max-time',
            String(seconds),
            '-o',
            '-',
            info.streamUrl,
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        curl.stdout.on('data', (d: Buffer) => (rawBytes += d.length));
        curl.on('error', reject);
        // 28: the --max-time we asked for; 18: the simulator cut the stream (checked below).
        curl.on('exit', (code) =>
          code === 0 || code === 28 || code === 18 ? resolve() : reject(new Error(`curl exit ${code}`)),
        );
      });
      let wallS = (performance.now() - t0) / 1000;
      const cpu1 = readProc(sim.pid);
      await sleep(200);
      const attempts = (await (await fetch(`${info.controlUrl}/connections`)).json()) as ConnectionAttempt[];
      const stream = attempts.filter((a) => a.kind === 'stream' && a.status === 200).pop();
      if (!stream) throw new Error('the simulator saw no stream');
      if (stream.closeReason === 'slow-consumer' && stream.closedAt) {
        wallS = (stream.closedAt - stream.at) / 1000;
        result.notes.push(
          `Transfer ceiling run ${r + 1}: the simulator cut the stream as a slow consumer after ${wallS.toFixed(1)} s (its generation outran its own flushing); figures over that time.`,
        );
      }
      mbps.push(stream.bytes / 1e6 / wallS);
      rawMbps.push(rawBytes / 1e6 / wallS);
      hitsPerS.push(stream.hits / wallS);
      if (cpu0 && cpu1) simCpu.push(((cpu1.cpuS - cpu0.cpuS) / wallS) * 100);
    } finally {
      await sim.stop();
    }
  }
  const note = `curl ${seconds} s against a simulator in its own process at a flat ${CEILING_RATE.toLocaleString()} hits/s, about the most it generates steadily on one core here (at 40,000 its generation bursts outgrow its flushing and it cuts the stream by its own 16 MiB slow-consumer rule)`;
  result.figures.push(
    figure('transfer ceiling: curl --compressed, compressed', 'MB/s', mbps, { note, decimals: 2 }),
    figure('transfer ceiling: curl --compressed, decompressed', 'MB/s', rawMbps, { decimals: 1 }),
    figure('transfer ceiling: curl --compressed, hits', 'hits/s', hitsPerS, { decimals: 0 }),
    figure('transfer ceiling: simulator CPU meanwhile', '% of a core', simCpu, { decimals: 0 }),
  );
  const ceiling = summarize(hitsPerS).median;
  result.notes.push(
    `Transfer ceiling: the simulator (one Node process generating, serialising and gzipping records, ~${Math.round(
      summarize(simCpu).median,
    )} % of a core) is the limit, not the transfer or curl. The relay path above ingests ${Math.round(relayRate).toLocaleString()} hits per CPU-second, ${relayRate > ceiling ? 'more than this simulator can send: in any end-to-end run here the simulator is the bottleneck' : 'less than this simulator can send: the relay would be the bottleneck of an end-to-end run at full speed'}.`,
  );
}

export const ingestSuite: Suite = {
  name: 'ingest',
  title: 'Ingest: the relay hot path against gunzip + split + JSON.parse',
  async run(ctx, result) {
    ctx.log(`ingest: corpus of ${RECORDS.toLocaleString()} records (built once, cached in bench/out/corpus)`);
    const base = await ensureCorpus(SEED, RECORDS);
    const corpus = loadCorpus(base);
    const { cpu, busy } = await quietestCpu();
    ctx.log(`ingest: pinned to CPU ${cpu} (busy ${busy.map((b) => `${Math.round(b * 100)} %`).join(' / ')})`);
    const rounds = ctx.quick ? 2 : 5;
    // --quick leaves out what only explains (decode alone, the baseline with the relay's gunzip
    // buffer, the relay path without its four steps).
    const modes: string[] = ctx.quick ? MODES.filter((m) => m === 'baseline' || m === 'relay') : [...MODES];
    const against = ctx.ingestAgainst ? worktreeOf(ctx.ingestAgainst) : undefined;
    if (against) {
      modes.push(AGAINST);
      ctx.log(`ingest: also the relay path of ${against.commit} (worktree ${against.tree})`);
    }
    const byMode = new Map<string, WorkerResult[]>(modes.map((m) => [m, []]));
    for (let r = 0; r < rounds; r++) {
      // Rotate the order so no mode always runs right after another.
      const order = modes.map((_, i) => modes[(i + r) % modes.length]!);
      for (const mode of order) {
        const res =
          mode === AGAINST
            ? await runWorker(cpu, ['relay', base], [], against!.tree)
            : await runWorker(cpu, [mode, base]);
        byMode.get(mode)!.push(res);
        ctx.log(
          `ingest: round ${r + 1}/${rounds} ${mode.padEnd(9)} ${Math.round(RECORDS / res.cpuS).toLocaleString()} hits/CPU-s, ${Math.round(RECORDS / res.wallS).toLocaleString()} hits/s wall`,
        );
      }
    }
    // A mode not run (--quick) has no figures.
    const rate = (mode: string, clock: 'cpuS' | 'wallS') => (byMode.get(mode) ?? []).map((r) => RECORDS / r[clock]);
    /** µs of CPU a hit, median of the rounds. */
    const usAHit = (mode: string) => 1e6 / summarize(rate(mode, 'cpuS')).median;
    const ratio = (mode: string, clock: 'cpuS' | 'wallS', base = 'baseline') =>
      (byMode.get(mode) ?? []).map((r, i) => byMode.get(base)![i]![clock] / r[clock]);
    const check = byMode.get('relay')![0]!.check;
    if (check.hits !== RECORDS || check.malformed !== 0) {
      throw new Error(`the relay path saw ${check.hits} distinct hits and ${check.malformed} malformed`);
    }
    const relayRate = figure('relay path (whole hot path)', 'hits/CPU-s', rate('relay', 'cpuS'), {
      target: { op: '>=', value: 50_000 },
      decimals: 0,
      note: `${rounds} runs, each a fresh process on one CPU`,
    });
    const relayRatio = figure('relay path ÷ baseline', 'ratio', ratio('relay', 'cpuS'), {
      target: { op: '>=', value: 0.9 },
      decimals: 2,
      note: 'per round, CPU time',
    });
    if (against) {
      result.figures.push(
        figure(`relay path at ${against.commit}`, 'hits/CPU-s', rate(AGAINST, 'cpuS'), {
          decimals: 0,
          note: `the same corpus, interleaved with this commit's runs (\`--ingest-against ${ctx.ingestAgainst}\`)`,
        }),
        figure(`relay path at ${against.commit} ÷ baseline`, 'ratio', ratio(AGAINST, 'cpuS'), { decimals: 2 }),
        figure(
          `relay path ÷ relay path at ${against.commit}`,
          'ratio',
          byMode.get('relay')!.map((r, i) => byMode.get(AGAINST)![i]!.cpuS / r.cpuS),
          { decimals: 2, note: 'per round, CPU time: above 1 this commit is faster' },
        ),
      );
    }
    const measured = [
      figure('baseline: gunzip + split + JSON.parse', 'hits/CPU-s', rate('baseline', 'cpuS'), { decimals: 0 }),
      figure('decode only: gunzip + RecordDecoder (lines, parseHitLine, ids)', 'hits/CPU-s', rate('decode', 'cpuS'), {
        decimals: 0,
      }),
      relayRate,
      relayRatio,
      figure('relay path, wall clock (pinned core shared with the machine)', 'hits/s', rate('relay', 'wallS'), {
        decimals: 0,
      }),
      figure('relay path ÷ baseline, wall clock', 'ratio', ratio('relay', 'wallS'), { decimals: 2 }),
      figure('decode only ÷ baseline', 'ratio', ratio('decode', 'cpuS'), { decimals: 2 }),
      figure(
        'relay path without de-duplication, hit store, stats and feed ÷ baseline',
        'ratio',
        byMode.has(BARE) ? ratio(BARE, 'cpuS') : [],
        {
          decimals: 2,
          note: "per round, CPU time: those four steps each replaced by one that does nothing (the worker's `relay-bare`); the hit id, the summary and its redaction are left",
        },
      ),
      figure(`baseline with the relay's ${RELAY_BUFFER} gunzip buffer`, 'hits/CPU-s', rate('baseline-buffer', 'cpuS'), {
        decimals: 0,
        note: `zlib's default output buffer is 16 KiB; the relay's connector uses ${RELAY_BUFFER} (src/relay/upstream/connect.ts)`,
      }),
      figure(
        `relay path ÷ baseline with the same ${RELAY_BUFFER} gunzip buffer`,
        'ratio',
        byMode.has('baseline-buffer') ? ratio('relay', 'cpuS', 'baseline-buffer') : [],
        { decimals: 2, note: 'what the relay adds beyond any NDJSON reader given the same buffer' },
      ),
    ];
    result.figures.push(...measured.filter((f) => f.values.length > 0));
    result.notes.push(
      `Corpus: ${RECORDS.toLocaleString()} generator records (seed ${SEED}), ${corpus.emptyRecords} empty records, ${(corpus.rawBytes / 1e6).toFixed(1)} MB of NDJSON, ${(corpus.gzBytes / 1e6).toFixed(1)} MB gzip in ${corpus.chunks.length} reads of 512 B–64 KiB; the relay path checked ${check.hits} distinct hits, 0 malformed, ${check.published} feed events published (${check.publishedHits} hits, sampled to FEED_MAX_HITS_PER_S=1000 per the feed's clock).`,
    );

    ctx.log('ingest: parseHitLine and parseExact against JSON.parse');
    const parse = await runWorker(cpu, ['parse', base, ctx.quick ? '2' : '5']);
    const rounds2 = parse.rounds!;
    result.figures.push(
      figure('JSON.parse alone (decompressed lines)', 'lines/s', rounds2.json, { decimals: 0 }),
      figure('parseHitLine (the hot path: exact hit ids)', 'lines/s', rounds2.hit, { decimals: 0 }),
      figure('parseExact (every 64-bit field exact)', 'lines/s', rounds2.exact, { decimals: 0 }),
      figure(
        'parseHitLine ÷ JSON.parse',
        'ratio',
        rounds2.hit.map((e, i) => e / rounds2.json[i]!),
        { decimals: 2, note: 'same lines, alternating, after one warm-up round' },
      ),
      figure(
        'parseExact ÷ JSON.parse',
        'ratio',
        rounds2.exact.map((e, i) => e / rounds2.json[i]!),
        { decimals: 2 },
      ),
    );

    // What each step costs a hit, and what the relay may spend beyond the decode step for 0.9.
    let stepsNote: string | undefined;
    if (!ctx.quick) {
      ctx.log('ingest: the cost of each step of the hot path');
      const steps = (await runWorker(cpu, ['steps', base, String(STEP_ROUNDS)])).steps!;
      // Within a round the runs up to each step follow one another, so the machine's noise hits
      // neighbours alike: a step's cost is the difference of neighbours, per round, and its median.
      const perStep = STEPS.map(([name, what], i) => {
        const values = steps[name].map((us, r) => us - (i === 0 ? 0 : steps[STEPS[i - 1]![0]][r]!));
        return { name, what, values, cost: summarize(values).median };
      });
      for (const step of perStep) {
        result.figures.push(
          figure(`step: ${step.what}`, 'µs a hit', step.values, {
            decimals: 2,
            note: `per round: the run up to this step minus the run up to the one before (${STEP_ROUNDS} rounds; noise can make one negative)`,
          }),
        );
      }
      const afterParse = perStep.slice(2);
      const beyond = afterParse.reduce((sum, step) => sum + step.cost, 0);
      const costliest = afterParse.reduce((a, b) => (b.cost > a.cost ? b : a));
      const baselineUs = usAHit('baseline');
      const decodeUs = usAHit('decode');
      const budget = baselineUs / 0.9 - decodeUs;
      result.figures.push(
        figure('steps after the parse, together (hit id → feed)', 'µs a hit', [beyond], {
          decimals: 2,
          note: `the medians of ${afterParse.length} steps; the whole path up to the feed: ${summarize(steps.feed).median.toFixed(2)} µs a hit without gunzip (median)`,
        }),
        figure('what the relay may spend a hit beyond the decode step, for 0.9 of the baseline', 'µs a hit', [budget], {
          decimals: 2,
          note: `baseline ${baselineUs.toFixed(2)} µs a hit ÷ 0.9 − decode only ${decodeUs.toFixed(2)} (medians of this run)`,
        }),
      );
      const relayUs = usAHit('relay');
      const allowedUs = baselineUs / 0.9;
      const gap = relayUs - allowedUs;
      const listed = afterParse.map((step) => `${step.name} ${step.cost.toFixed(2)}`).join(', ');
      stepsNote = [
        `**The arithmetic of 0.9** (medians of this run): the baseline costs ${baselineUs.toFixed(2)} µs a hit, so 0.9 allows the relay ${allowedUs.toFixed(2)}; the relay path costs ${relayUs.toFixed(2)}, ${gap > 0 ? `${gap.toFixed(2)} µs (${((gap / relayUs) * 100).toFixed(0)} %) too many` : 'within it'}.`,
        `The decode step alone (gunzip, lines, \`parseHitLine\`) costs ${decodeUs.toFixed(2)}, ${decodeUs < baselineUs ? 'less than the baseline' : 'no less than the baseline'}, which leaves ${budget.toFixed(2)} µs for what the relay does with a hit; it spends ${(relayUs - decodeUs).toFixed(2)}.`,
        `The steps after the parse, each measured on the decompressed lines in one process, account for ${beyond.toFixed(2)} of them (${listed}); the rest is what runs around them on the real path: the garbage collector, the stats' and top lists' second, the feed's batches (the profile above).`,
        `Each step is work the relay exists to do (a hit counted once, kept for \`/api/hits/:id\`, summarised, counted in the stats and fed), and the costliest (${costliest.name}, ${costliest.cost.toFixed(2)} µs) is ${costliest.cost < gap ? 'less than the gap: no single change closes it' : 'about the size of the gap'}.`,
      ].join(' ');
    }

    ctx.log('ingest: CPU profile of one relay-path run');
    mkdirSync(PROFILE_DIR, { recursive: true });
    const profileName = 'ingest-relay.cpuprofile';
    rmSync(join(PROFILE_DIR, profileName), { force: true });
    await runWorker(
      cpu,
      ['relay', base],
      ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, '--cpu-prof-name', profileName],
    );
    const summary = summarizeProfile(readProfile(join(PROFILE_DIR, profileName)), 20);
    const missed = passes(relayRate) === false || passes(relayRatio) === false;
    if (ctx.quick) {
      result.profiles.push(
        `**Ingest${missed ? ' — target missed' : ''}** (quick run: the analysis and option B are in the full run, \`npm run bench -- --only ingest\`). \`node --cpu-prof\` of the relay path as in src/ (bench/out/profiles/${profileName}):\n\n${profileTable(summary, 12)}`,
      );
      ctx.log('ingest: transfer ceiling (curl --compressed on the simulator)');
      await transferCeiling(ctx, result, summarize(rate('relay', 'cpuS')).median);
      return;
    }
    const med = (values: number[]) => summarize(values).median;
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
    const k = (x: number) => `${Math.round(x / 1000)}k`;
    const top = summary.functions
      .filter((f) => !f.name.startsWith('(') && !f.where.startsWith('node:internal'))
      .slice(0, 4)
      .map((f) => `\`${f.name}\` (${f.where}) ${pct(f.share)}`)
      .join(', ');
    const gc = summary.functions.find((f) => f.name === '(garbage collector)')?.share ?? 0;
    const relayRatioMed = med(ratio('relay', 'cpuS'));
    const decodeRatio = med(ratio('decode', 'cpuS'));
    let bareNote = '';
    if (byMode.has(BARE)) {
      const left = usAHit('baseline') / 0.9 - usAHit(BARE);
      bareNote = ` With de-duplication, the hit store, the stats and the feed each replaced by one that does nothing, the path costs ${usAHit(BARE).toFixed(2)} µs a hit, ${med(ratio(BARE, 'cpuS')).toFixed(2)} of the baseline (medians of ${rounds} rounds): 0.9 ${left > 0 ? `leaves those four steps ${left.toFixed(2)} µs a hit together` : 'is out of reach before any of those four steps runs'}, and on the real path they cost ${(usAHit('relay') - usAHit(BARE)).toFixed(2)}.`;
    }
    result.profiles.push(
      [
        `**Ingest${missed ? ' — target missed' : ''}.** As in src/ now: ${k(med(rate('relay', 'cpuS')))} hits/CPU-s (${passes(relayRate) ? 'meets' : 'misses'} ≥ 50k), ${relayRatioMed.toFixed(2)} of the baseline (${passes(relayRatio) ? 'meets' : 'misses'} ≥ 0.9). \`node --cpu-prof\` of one run (bench/out/profiles/${profileName}):`,
        profileTable(summary, 12),
        `Where it goes: ${top}; the garbage collector ${pct(gc)}.`,
        ...HISTORY,
        ...(stepsNote ? [stepsNote] : []),
        `${passes(relayRatio) ? '**What is left**' : '**What stops 0.9**'}: the decode step alone (gunzip + byte-level lines + \`parseHitLine\`, no ingest) is at ${decodeRatio.toFixed(2)} of the baseline; what the relay then does per hit (de-duplication over 200,000–400,000 ids, the ring of 20,000 stored lines, the summary, the stats over every hit, the feed) costs the rest.${bareNote} The rates move by ±15 % from run to run on this shared machine; the ratio is taken per round, both modes pinned to the same core.`,
      ].join('\n\n'),
    );

    ctx.log('ingest: transfer ceiling (curl --compressed on the simulator)');
    await transferCeiling(ctx, result, summarize(rate('relay', 'cpuS')).median);
  },
};
