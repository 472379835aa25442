/**
 * One measurement of the ingest suite, in a process of its own (pinned to one CPU by the suite
 * with `taskset`, so gunzip's thread-pool work shares that core too). Prints `RESULT <json>`.
 *
 *   node --import tsx bench/suites/ingest-worker.ts <mode> <corpus base> [rounds]
 *
 * - baseline: gunzip → split lines → `JSON.parse` (what any NDJSON reader must do at least).
 * - baseline-buffer: the same with the relay's gunzip buffer (`GUNZIP_CHUNK_BYTES`) instead of zlib's 16 KiB default.
 * - decode:   gunzip (the relay's buffer) → RecordDecoder (lines, `parseHitLine`, exact ids), records dropped.
 * - relay:    the relay's whole path as `createRelay` wires it: gunzip → RecordDecoder → Ingest
 *             (Dedup, HitStore, Redactor(['ip']), summary, StatsCollector, FeedBatcher) with the
 *             feed batch taken and published into the Broadcaster (no subscriber) every FEED_MIN_GAP_MS and
 *             the stats/top events every second.
 * - relay-bare: the same with de-duplication, the hit store, the stats and the feed each replaced
 *             by one that does nothing: what the relay path costs without those four steps (the
 *             hit id, the summary, its redaction and the wiring are left).
 * - parse:    `parseHitLine` (the hot path) and `parseExact` (exact throughout) against `JSON.parse`
 *             on the same decompressed lines, alternating.
 * - steps:    what each step of the hot path costs a hit, on the decompressed lines (no gunzip):
 *             the path run up to step k, for every k, interleaved; a step's cost is the fastest
 *             round up to it minus the fastest round up to the step before.
 */
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import { systemClock } from '../../src/core/clock.ts';
import { FEED_MIN_GAP_MS, FeedBatcher } from '../../src/core/hub/feed.ts';
import { Ingest } from '../../src/core/ingest/ingest.ts';
import { Redactor } from '../../src/core/ingest/redact.ts';
import { Broadcaster } from '../../src/core/hub/broadcaster.ts';
import { nodeBytes } from '../../src/relay/node-bytes.ts';
import { GUNZIP_CHUNK_BYTES } from '../../src/relay/upstream/connect.ts';
import { StatsCollector } from '../../src/core/stats/stats.ts';
import { parseExact, parseHitLine, RecordDecoder } from '../../src/core/ingest/decode.ts';
import { Dedup } from '../../src/core/ingest/dedup.ts';
import { HitStore } from '../../src/core/ingest/hit-store.ts';
import { fallbackHitId, hitIdOf, summariseRecord, visitorHashOf } from '../../src/core/ingest/summary.ts';
import type { HitRecord } from '../../src/contract/index.ts';
import { STEPS, type StepName } from './ingest-steps.ts';
import { loadCorpus, type Corpus } from './ingest-corpus.ts';

export interface WorkerResult {
  mode: string;
  records: number;
  wallS: number;
  cpuS: number;
  /** Extra checks: distinct hits, malformed, published events… */
  check: Record<string, number>;
  /** parse mode: lines/s per round. */
  rounds?: { json: number[]; hit: number[]; exact: number[] };
  /** steps mode: µs a hit of the path up to each step, per round. */
  steps?: Record<StepName, number[]>;
}

const FEED_MAX_HITS_PER_S = 1000;

/** zlib's defaults for the baseline (any NDJSON reader); the relay's own buffer size for its paths. */
function gunzip(chunkSize?: number): zlib.Gunzip {
  return zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH, ...(chunkSize ? { chunkSize } : {}) });
}

async function pump(corpus: Corpus, stream: zlib.Gunzip, onBytes?: (n: number) => void): Promise<void> {
  const ended = once(stream, 'end');
  for (const chunk of corpus.chunks) {
    onBytes?.(chunk.length);
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
  stream.end();
  await ended;
}

async function baseline(corpus: Corpus, chunkSize?: number): Promise<Record<string, number>> {
  const stream = gunzip(chunkSize);
  const text = new StringDecoder('utf8');
  let pending = '';
  let parsed = 0;
  let keys = 0;
  stream.on('data', (chunk: Buffer) => {
    const s = pending + text.write(chunk);
    let start = 0;
    let nl: number;
    while ((nl = s.indexOf('\n', start)) !== -1) {
      const end = s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (end > start) {
        const value = JSON.parse(s.slice(start, end)) as object;
        parsed++;
        if (value) keys++;
      }
      start = nl + 1;
    }
    pending = s.slice(start);
  });
  await pump(corpus, stream);
  return { parsed, keys };
}

async function decodeOnly(corpus: Corpus): Promise<Record<string, number>> {
  const stream = gunzip(GUNZIP_CHUNK_BYTES);
  let records = 0;
  let malformed = 0;
  const decoder = new RecordDecoder(
    {
      record: () => {
        records++;
      },
      malformed: () => {
        malformed++;
      },
    },
    { bytes: nodeBytes },
  );
  stream.on('data', (chunk: Buffer) => decoder.push(chunk));
  await pump(corpus, stream);
  decoder.end();
  return { records, malformed };
}

/** `relay-bare`'s steps: each lets every hit through and keeps nothing. */
class NoDedup extends Dedup {
  override add(): boolean {
    return true;
  }
}
class NoStore extends HitStore {
  override add(): boolean {
    return true;
  }
}
class NoStats extends StatsCollector {
  override hit(): void {
    // Counts nothing.
  }
}
class NoFeed extends FeedBatcher {
  override push(): void {
    // Feeds nothing.
  }
}

async function relayPath(corpus: Corpus, bare = false): Promise<Record<string, number>> {
  const clock = systemClock;
  const redactor = new Redactor(['ip']);
  const stats = new (bare ? NoStats : StatsCollector)(1);
  const feed = new (bare ? NoFeed : FeedBatcher)(FEED_MAX_HITS_PER_S, clock.now());
  const hub = new Broadcaster({ clock, runId: 'rbench' });
  let noted = 0;
  let problems = 0;
  const ingest = new Ingest({
    clock,
    redactor,
    stats,
    feed,
    scrub: (text) => text,
    bytes: nodeBytes,
    ...(bare ? { dedup: new NoDedup(), hits: new NoStore({ bytes: nodeBytes }) } : {}),
    noteHit: () => {
      noted++;
    },
    report: () => {
      problems++;
    },
  });
  let published = 0;
  let publishedHits = 0;
  const flushFeed = () => {
    const batch = feed.take(clock.now());
    if (!batch) return;
    hub.publishBatch(batch);
    published++;
    publishedHits += batch.hits.length;
  };
  const tickStats = () => {
    const now = clock.now();
    const closed = stats.tick(Math.floor(now / 1000) - 1, hub.clients, true);
    hub.broadcast('stats', closed);
    hub.broadcast('top', { windows: stats.topAll(now) });
  };
  const feedTimer = setInterval(flushFeed, FEED_MIN_GAP_MS);
  const statsTimer = setInterval(tickStats, 1000);
  const stream = gunzip(GUNZIP_CHUNK_BYTES);
  const decoder = ingest.decoder(0);
  stream.on('data', (chunk: Buffer) => decoder.push(chunk));
  await pump(corpus, stream, (n) => ingest.bytes(n));
  decoder.end();
  flushFeed();
  clearInterval(feedTimer);
  clearInterval(statsTimer);
  hub.close();
  return {
    hits: ingest.counters.hits,
    duplicates: ingest.counters.duplicates,
    malformed: ingest.counters.malformed,
    noted,
    problems,
    published,
    publishedHits,
  };
}

function linesOf(corpus: Corpus): string[] {
  const text = zlib
    .gunzipSync(Buffer.concat(corpus.chunks), { finishFlush: zlib.constants.Z_SYNC_FLUSH })
    .toString('utf8');
  return text.split('\r\n').filter((line) => line.length > 0);
}

function parseRounds(corpus: Corpus, rounds: number): { json: number[]; hit: number[]; exact: number[] } {
  const lines = linesOf(corpus);
  const out = { json: [] as number[], hit: [] as number[], exact: [] as number[] };
  const parsers = { json: (line: string) => JSON.parse(line) as unknown, hit: parseHitLine, exact: parseExact };
  let sink = 0;
  // The first round warms the JIT up.
  for (let r = 0; r < rounds + 1; r++) {
    for (const name of ['json', 'hit', 'exact'] as const) {
      const parse = parsers[name];
      const t = performance.now();
      for (const line of lines) if (parse(line)) sink++;
      if (r > 0) out[name].push(lines.length / ((performance.now() - t) / 1000));
    }
  }
  if (sink === 0) console.error('nothing parsed');
  return out;
}

/** The decompressed corpus's lines as byte ranges of one buffer, as the decoder hands them. */
function lineRanges(corpus: Corpus): { raw: Buffer; starts: number[]; ends: number[] } {
  const raw = zlib.gunzipSync(Buffer.concat(corpus.chunks), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const starts: number[] = [];
  const ends: number[] = [];
  let start = 0;
  for (let nl = raw.indexOf(0x0a, 0); nl !== -1; nl = raw.indexOf(0x0a, start)) {
    const end = raw[nl - 1] === 0x0d ? nl - 1 : nl;
    if (end > start) {
      starts.push(start);
      ends.push(end);
    }
    start = nl + 1;
  }
  return { raw, starts, ends };
}

/** One run of the hot path over every line, up to step `upTo` (an index into STEPS); ms. */
function runSteps(raw: Buffer, starts: number[], ends: number[], upTo: number): number {
  const dedup = new Dedup();
  const hits = new HitStore({ bytes: nodeBytes });
  const redactor = new Redactor(['ip']);
  const stats = new StatsCollector(1);
  const feed = new FeedBatcher(FEED_MAX_HITS_PER_S, Date.now());
  let sink = 0;
  let seq = 0;
  const t = performance.now();
  for (let k = 0; k < starts.length; k++) {
    const line = nodeBytes.utf8(raw, starts[k]!, ends[k]!);
    if (upTo === 0) {
      sink += line.length;
      continue;
    }
    const record = parseHitLine(line) as HitRecord;
    if (upTo === 1) {
      if (record) sink++;
      continue;
    }
    const hitId = hitIdOf(record) ?? fallbackHitId(line);
    if (upTo === 2) {
      sink += hitId.length;
      continue;
    }
    if (!dedup.add(hitId) || upTo === 3) continue;
    const arrivedAt = Date.now();
    seq++;
    hits.add(hitId, raw, starts[k]!, ends[k]!, 0, seq, arrivedAt);
    if (upTo === 4) continue;
    let summary = summariseRecord(record, { seq, shard: 0, arrivedAt, hitId });
    if (upTo === 5) {
      sink += summary.seq;
      continue;
    }
    summary = redactor.summary(summary);
    stats.hit(summary, visitorHashOf(record));
    if (upTo === 6) continue;
    feed.push(summary);
    if ((k & 1023) === 0 && feed.take(arrivedAt)) sink++;
  }
  const ms = performance.now() - t;
  if (sink < 0) console.error(sink);
  return ms;
}

/** Lines a steps run reads: half the corpus, so 8 steps × 3 rounds take about half a minute. */
const STEP_LINES = 100_000;

function stepRounds(corpus: Corpus, rounds: number): Record<StepName, number[]> {
  const lines = lineRanges(corpus);
  const starts = lines.starts.slice(0, STEP_LINES);
  const ends = lines.ends.slice(0, STEP_LINES);
  const out = Object.fromEntries(STEPS.map(([name]) => [name, [] as number[]])) as Record<StepName, number[]>;
  // One run of the whole path warms the JIT up.
  runSteps(lines.raw, starts, ends, STEPS.length - 1);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < STEPS.length; i++) {
      const ms = runSteps(lines.raw, starts, ends, i);
      out[STEPS[i]![0]].push((ms * 1000) / starts.length);
    }
  }
  return out;
}

const [mode, base, roundsArg] = process.argv.slice(2);
if (!mode || !base) {
  console.error(
    'usage: ingest-worker.ts <baseline|baseline-buffer|decode|relay|relay-bare|parse|steps> <corpus base> [rounds]',
  );
  process.exit(2);
}
const corpus = loadCorpus(base);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let check: Record<string, number> = {};
let rounds: WorkerResult['rounds'];
let steps: WorkerResult['steps'];
if (mode === 'baseline') check = await baseline(corpus);
else if (mode === 'baseline-buffer') check = await baseline(corpus, GUNZIP_CHUNK_BYTES);
else if (mode === 'decode') check = await decodeOnly(corpus);
else if (mode === 'relay') check = await relayPath(corpus);
else if (mode === 'relay-bare') check = await relayPath(corpus, true);
else if (mode === 'parse') rounds = parseRounds(corpus, Number(roundsArg ?? 5));
else if (mode === 'steps') steps = stepRounds(corpus, Number(roundsArg ?? 5));
else throw new Error(`unknown mode ${mode}`);
const wallS = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const result: WorkerResult = {
  mode,
  records: corpus.records,
  wallS,
  cpuS: (cpu.user + cpu.system) / 1e6,
  check,
  ...(rounds ? { rounds } : {}),
  ...(steps ? { steps } : {}),
};
console.log(`RESULT ${JSON.stringify(result)}`);
