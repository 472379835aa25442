/**
 * Ingest over HTTP, end to end: the relay as in production (`src/relay/main.ts`, its own process)
 * with LIVESTREAM_URL at a corpus upstream (bench/lib/corpus-upstream.ts, its own process) that
 * writes the ingest suite's 200,000 records (gzip, uneven reads) over loopback HTTP as fast as the
 * socket drains, against a bare client in its own process reading the same stream from a fresh
 * upstream: Node `http` GET, `zlib` gunzip, split on LF, `JSON.parse` per line, lines counted.
 * Interleaved rounds; each measurement gets a fresh upstream. Time runs from the upstream's first
 * byte of the body until the relay counted 200,000 distinct hits (`GET /api/status` polled every
 * 50 ms, the crossing interpolated between two polls) or until the bare client parsed its
 * 200,000th line (its own clock). Then 64-bit hit ids read back through `GET /api/hits/<id>`.
 *
 * Run as a script, this file is the bare client:
 *
 *   node --import tsx bench/suites/ingest-http.ts --bare '<UpstreamInfo as JSON>' <lines>
 */
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { readProc, spawnTracked } from '../lib/children.ts';
import { startCorpusUpstream, type CorpusUpstream, type UpstreamInfo } from '../lib/corpus-upstream.ts';
import { figure, summarize, type SuiteResult } from '../lib/figures.ts';
import { ROOT } from '../lib/paths.ts';
import { sleep, startRelayProcess } from '../lib/relay-process.ts';
import type { Suite } from '../lib/suite.ts';
import { ensureCorpus, loadCorpus } from './ingest-corpus.ts';

const SEED = 7;
const RECORDS = 200_000;
const POLL_MS = 50;
/** Hit ids checked through `GET /api/hits/<id>`, taken from the last records (the store keeps 20,000). */
const ID_CHECKS = 20;
const ID_WINDOW = 10_000;
const TWO_53 = 2n ** 53n;

const now = () => performance.timeOrigin + performance.now();

interface BareResult {
  doneAt: number;
  lines: number;
  cpuS: number;
}

interface RunResult {
  /** Upstream's first byte of the body → the 200,000th hit counted (epoch ms both). */
  wallS: number;
  cpuS: number;
  /** Upstream: first → last byte of the corpus handed to the kernel. */
  transferS: number;
  upstreamCpuS: number;
  connections: number;
  /** Relay only: the counters at the end. */
  counters?: { hits: number; duplicates: number; malformed: number; reconnects: number };
  exact?: IdCheck;
}

interface IdCheck {
  checked: number;
  exact: number;
  missing: number;
  wrong: string[];
}

interface IdSample {
  id: string;
  /** Every integer field of 16 digits or more, with its digits as sent. */
  fields: [string, string][];
}

/** ~20 hits of the corpus's last records whose hit id has a half beyond 2^53, read as text. */
function idSamples(base: string): IdSample[] {
  const corpus = loadCorpus(base);
  const text = zlib.gunzipSync(Buffer.concat(corpus.chunks), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const lines: string[] = [];
  let end = text.length;
  while (lines.length < ID_WINDOW && end > 0) {
    const start = text.lastIndexOf(0x0a, end - 2) + 1;
    const line = text.toString('utf8', start, end).trim();
    if (line) lines.push(line);
    end = start;
  }
  const samples: IdSample[] = [];
  const every = Math.floor(lines.length / ID_CHECKS);
  for (let i = 0; i < lines.length && samples.length < ID_CHECKS; i += every) {
    for (let j = i; j < Math.min(i + every, lines.length); j++) {
      const line = lines[j]!;
      const high = /"hitIdHigh":(\d+)/.exec(line)?.[1];
      const low = /"hitIdLow":(\d+)/.exec(line)?.[1];
      if (!high || !low || (BigInt(high) <= TWO_53 && BigInt(low) <= TWO_53)) continue;
      const fields = [...line.matchAll(/"(\w+)":(\d{16,})\b/g)].map((m) => [m[1]!, m[2]!] as [string, string]);
      samples.push({ id: `${high}-${low}`, fields });
      break;
    }
  }
  return samples;
}

async function checkIds(relayUrl: string, samples: IdSample[]): Promise<IdCheck> {
  const result: IdCheck = { checked: samples.length, exact: 0, missing: 0, wrong: [] };
  for (const sample of samples) {
    const response = await fetch(`${relayUrl}/api/hits/${sample.id}`);
    if (response.status === 404) {
      result.missing++;
      await response.body?.cancel();
      continue;
    }
    const body = await response.text();
    const bad = sample.fields.filter(([name, digits]) => !new RegExp(`"${name}":${digits}(?!\\d)`).test(body));
    if (response.ok && bad.length === 0) result.exact++;
    else result.wrong.push(`${sample.id}: ${response.status} ${bad.map(([n]) => n).join(', ')}`);
  }
  return result;
}

async function waitForConnection(upstream: CorpusUpstream, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const status = await upstream.status();
    if (status.connections.length > 0) return;
    await sleep(100);
  }
  throw new Error(`no stream connection reached the upstream within ${timeoutMs} ms`);
}

async function relayRun(base: string, label: string, samples: IdSample[]): Promise<RunResult> {
  const upstream = await startCorpusUpstream({ kind: 'chunks', base, hold: true }, `ingest-http-${label}-upstream`);
  let relay: Awaited<ReturnType<typeof startRelayProcess>> | undefined;
  try {
    relay = await startRelayProcess({ env: { ...upstream.relayEnv() }, logName: `ingest-http-${label}-relay` });
    await upstream.waitReady(30_000);
    await waitForConnection(upstream, 30_000);
    await sleep(500);
    const cpu0 = readProc(relay.pid)!;
    const up0 = readProc(upstream.pid)!;
    await upstream.release();
    // Poll the counter; the crossing of RECORDS is interpolated between the two polls around it.
    let before: [number, number] = [now(), 0];
    let after: [number, number] | undefined;
    const deadline = performance.now() + 120_000;
    while (performance.now() < deadline) {
      const t0 = now();
      const status = await relay.status();
      const t = (t0 + now()) / 2;
      if (status.counters.hits >= RECORDS) {
        after = [t, status.counters.hits];
        break;
      }
      before = [t, status.counters.hits];
      await sleep(POLL_MS);
    }
    const cpu1 = readProc(relay.pid)!;
    const up1 = readProc(upstream.pid)!;
    if (!after) throw new Error(`the relay counted ${before[1]} of ${RECORDS} hits within 120 s`);
    const doneAt =
      after[1] === before[1]
        ? after[0]
        : before[0] + ((RECORDS - before[1]) / (after[1] - before[1])) * (after[0] - before[0]);
    await sleep(300);
    const up = await upstream.status();
    const conn = up.connections.find((c) => c.served === 'corpus');
    if (!conn?.firstByteAt) throw new Error('the upstream never sent the corpus');
    const status = await relay.status();
    const exact = await checkIds(relay.url, samples);
    return {
      wallS: (doneAt - conn.firstByteAt) / 1000,
      cpuS: cpu1.cpuS - cpu0.cpuS,
      transferS: ((conn.lastByteAt ?? NaN) - conn.firstByteAt) / 1000,
      upstreamCpuS: up1.cpuS - up0.cpuS,
      connections: up.streamRequests,
      counters: status.counters,
      exact,
    };
  } finally {
    await relay?.stop();
    await upstream.stop();
  }
}

async function bareRun(base: string, label: string): Promise<RunResult> {
  const upstream = await startCorpusUpstream({ kind: 'chunks', base, hold: true }, `ingest-http-${label}-upstream`);
  const bare = spawnTracked(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--bare', JSON.stringify(upstream.info), String(RECORDS)],
    { cwd: ROOT, logName: `ingest-http-${label}-bare` },
  );
  try {
    await upstream.waitReady(30_000);
    await bare.waitForLine(/^BARE-READY/, 30_000);
    await sleep(500);
    const up0 = readProc(upstream.pid)!;
    await upstream.release();
    const [, json] = await bare.waitForLine(/^RESULT (.*)$/, 120_000);
    const up1 = readProc(upstream.pid)!;
    const result = JSON.parse(json!) as BareResult;
    await sleep(300);
    const up = await upstream.status();
    const conn = up.connections.find((c) => c.served === 'corpus');
    if (!conn?.firstByteAt) throw new Error('the upstream never sent the corpus');
    if (result.lines !== RECORDS) throw new Error(`the bare client parsed ${result.lines} lines`);
    return {
      wallS: (result.doneAt - conn.firstByteAt) / 1000,
      cpuS: result.cpuS,
      transferS: ((conn.lastByteAt ?? NaN) - conn.firstByteAt) / 1000,
      upstreamCpuS: up1.cpuS - up0.cpuS,
      connections: up.streamRequests,
    };
  } finally {
    await bare.stop();
    await upstream.stop();
  }
}

export const ingestHttpSuite: Suite = {
  name: 'ingest-http',
  title: 'Ingest over HTTP: the relay end to end against a bare gunzip + split + JSON.parse client',
  async run(ctx, result: SuiteResult) {
    ctx.log(
      `ingest-http: corpus of ${RECORDS.toLocaleString()} records (the ingest suite's, cached in bench/out/corpus)`,
    );
    const base = await ensureCorpus(SEED, RECORDS);
    const corpus = loadCorpus(base);
    const samples = idSamples(base);
    const rounds = ctx.quick ? 2 : 3;
    const relay: RunResult[] = [];
    const bare: RunResult[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['relay', 'bare'] as const) : (['bare', 'relay'] as const);
      for (const mode of order) {
        const label = `${r + 1}-${mode}`;
        const res = mode === 'relay' ? await relayRun(base, label, samples) : await bareRun(base, label);
        (mode === 'relay' ? relay : bare).push(res);
        ctx.log(
          `ingest-http: round ${r + 1}/${rounds} ${mode.padEnd(5)} ${Math.round(RECORDS / res.wallS).toLocaleString()} hits/s, ${Math.round(
            (res.cpuS / res.wallS) * 100,
          )} % CPU, upstream wrote the corpus in ${res.transferS.toFixed(2)} s${
            res.exact ? `; ids exact ${res.exact.exact}/${res.exact.checked}` : ''
          }`,
        );
      }
    }
    const rate = (runs: RunResult[]) => runs.map((x) => RECORDS / x.wallS);
    const ratio = relay.map((x, i) => bare[i]!.wallS / x.wallS);
    const wrong = relay.flatMap((x) => x.exact?.wrong ?? []);
    const missing = relay.reduce((a, x) => a + (x.exact?.missing ?? 0), 0);
    const counters = relay.map((x) => x.counters!);
    result.figures.push(
      figure('relay end to end (upstream first byte → 200,000 hits counted)', 'hits/s', rate(relay), {
        decimals: 0,
        note: `src/relay/main.ts in its own process, LIVESTREAM_URL at the corpus upstream (client credentials through its IMS endpoint); \`GET /api/status\` polled every ${POLL_MS} ms, the crossing interpolated between two polls`,
      }),
      figure('bare client: http + gunzip + split on LF + JSON.parse', 'hits/s', rate(bare), {
        decimals: 0,
        note: 'its own process, the same bytes from a fresh upstream; time to its own 200,000th parsed line',
      }),
      figure('relay ÷ bare client', 'ratio', ratio, {
        target: { op: '>=', value: 0.9 },
        decimals: 2,
        note: 'per round, wall clock (each round: both modes, the order alternating)',
      }),
      figure(
        'relay ÷ bare client, CPU time',
        'ratio',
        relay.map((x, i) => bare[i]!.cpuS / x.cpuS),
        {
          decimals: 2,
          note: "per round, hits per CPU-second of each process (the relay's gunzip runs on its thread pool, counted too): what the machine's other work moves less",
        },
      ),
      figure(
        'relay CPU meanwhile',
        '% of a core',
        relay.map((x) => (x.cpuS / x.wallS) * 100),
        {
          decimals: 0,
          note: `/proc/<pid>/stat from release to the poll that saw 200,000 (10 ms ticks); ${Math.round(
            summarize(relay.map((x) => RECORDS / x.cpuS)).median,
          ).toLocaleString()} hits per CPU-second (median)`,
        },
      ),
      figure(
        'bare client CPU meanwhile',
        '% of a core',
        bare.map((x) => (x.cpuS / x.wallS) * 100),
        {
          decimals: 0,
          note: `process.cpuUsage(); ${Math.round(summarize(bare.map((x) => RECORDS / x.cpuS)).median).toLocaleString()} hits per CPU-second (median)`,
        },
      ),
      figure(
        'upstream: first → last byte written, relay runs',
        's',
        relay.map((x) => x.transferS),
        {
          decimals: 2,
          note: `the upstream writes as fast as the socket drains, so this is how long the reader held it back; it used ${Math.round(
            summarize(relay.map((x) => (x.upstreamCpuS / x.wallS) * 100)).median,
          )} % of a core`,
        },
      ),
      figure(
        'upstream: first → last byte written, bare runs',
        's',
        bare.map((x) => x.transferS),
        { decimals: 2 },
      ),
      figure(
        'upstream stream connections per relay run',
        'connections',
        relay.map((x) => x.connections),
        {
          target: { op: '==', value: 1, judge: 'worst' },
          decimals: 0,
          note: `the relay must not churn the stream; counters at the end: ${counters
            .map(
              (c) => `${c.hits} hits, ${c.duplicates} duplicates, ${c.malformed} malformed, ${c.reconnects} reconnects`,
            )
            .join('; ')}`,
        },
      ),
      figure(
        '64-bit hit ids read back not exact',
        'hits',
        relay.map((x) => x.exact?.wrong.length ?? NaN),
        {
          target: { op: '==', value: 0, judge: 'worst' },
          decimals: 0,
          note: `each relay run: ${samples.length} hits of the last ${ID_WINDOW.toLocaleString()} records with a hit id half beyond 2^53, \`GET /api/hits/<high>-<low>\`, every integer field of 16+ digits compared as text with the corpus line (${samples[0]?.fields.map(([n]) => n).join(', ') ?? 'none'}); ${relay.map((x) => `${x.exact?.exact ?? 0} exact`).join(', ')}, ${missing} not found${wrong.length ? `; wrong: ${wrong.slice(0, 5).join('; ')}` : ''}`,
        },
      ),
    );
    result.notes.push(
      `Corpus: the ingest suite's ${corpus.records.toLocaleString()} generator records (seed ${SEED}; timestamps of 2026-11-20, so every hit's lag is beyond Adobe's band: the same bytes as that suite), ${(corpus.rawBytes / 1e6).toFixed(1)} MB of NDJSON, ${(corpus.gzBytes / 1e6).toFixed(1)} MB gzip, written by bench/lib/corpus-upstream.ts in the corpus's ${corpus.chunks.length} uneven reads as chunks of one HTTP/1.1 chunked response (\`content-encoding: gzip\`), each write waiting for \`drain\` once Node's buffer is full; afterwards the connection stays open and quiet. ${rounds} rounds; in each, the relay and the bare client each read from a fresh upstream process, once its stream connection was open (the body is held until then, so neither start-up is timed). Nothing is pinned: relay (or bare client) and upstream share this machine's ${availableParallelism()} cores with the bench process and whatever else runs.`,
    );
    if (wrong.length) throw new Error(`hit ids not read back exact: ${wrong.slice(0, 3).join('; ')}`);
    if (missing === relay.length * samples.length) throw new Error('no sampled hit id was found in the relay');
    for (const c of counters)
      if (c.hits !== RECORDS || c.duplicates !== 0 || c.malformed !== 0)
        throw new Error(`the relay counted ${c.hits} hits, ${c.duplicates} duplicates, ${c.malformed} malformed`);
  },
};

// ── the bare client, when run as a script ───────────────────────────────────────────────────

async function bareClient(info: UpstreamInfo, expected: number): Promise<void> {
  const tokenAnswer = await fetch(info.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: info.clientId,
      client_secret: info.clientSecret,
      scope: info.scopes,
    }),
  });
  const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
  const req = http.get(info.streamUrl, {
    agent: false,
    headers: { authorization: `Bearer ${token}`, 'x-api-key': info.clientId, 'accept-encoding': 'gzip' },
  });
  req.on('error', (error) => {
    console.error(error);
    process.exit(1);
  });
  req.on('response', (res) => {
    if (res.statusCode !== 200) {
      console.error(`status ${res.statusCode}`);
      process.exit(1);
    }
    const cpu0 = process.cpuUsage();
    console.log('BARE-READY');
    const gunzip = zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const text = new StringDecoder('utf8');
    let pending = '';
    let lines = 0;
    let keys = 0;
    gunzip.on('data', (chunk: Buffer) => {
      const s = pending + text.write(chunk);
      let start = 0;
      let nl: number;
      while ((nl = s.indexOf('\n', start)) !== -1) {
        const end = s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (end > start) {
          const value = JSON.parse(s.slice(start, end)) as object;
          lines++;
          if (value) keys++;
        }
        start = nl + 1;
      }
      pending = s.slice(start);
      if (lines >= expected) {
        const doneAt = now();
        const cpu = process.cpuUsage(cpu0);
        const result: BareResult = { doneAt, lines, cpuS: (cpu.user + cpu.system) / 1e6 };
        console.log(`RESULT ${JSON.stringify(result)}`);
        if (keys !== lines) console.error('a line parsed to nothing');
        req.destroy();
        process.exit(0);
      }
    });
    res.pipe(gunzip);
  });
}

if (
  process.argv[1] &&
  resolvePath(process.argv[1]) === fileURLToPath(import.meta.url) &&
  process.argv[2] === '--bare'
) {
  const info = JSON.parse(process.argv[3] ?? '{}') as UpstreamInfo;
  bareClient(info, Number(process.argv[4] ?? RECORDS)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
