import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { ProcSampler } from '../lib/children.ts';
import { figure, type SuiteResult } from '../lib/figures.ts';
import { sleep, startRelayProcess, type RelayProcess } from '../lib/relay-process.ts';
import type { Suite, SuiteContext } from '../lib/suite.ts';

/**
 * Memory under hostile records: for each pattern, a fresh relay (`src/relay/main.ts`, as in
 * production) reads a stream from a small gzip NDJSON server defined here (LIVESTREAM_URL, a
 * static ADOBE_ACCESS_TOKEN, so no token endpoint), while its RSS is sampled every 100 ms. The
 * pattern is sent once, on the first connection; a reconnect gets an idle stream. Reported per
 * pattern: peak RSS, RSS once everything was read (after 2 s), and what the relay counted; for
 * the SSE patterns the evictions (`livestream_sse_evicted_total`) and the largest `top` event a
 * connected browser received.
 *
 * Self-contained (only bench/lib helpers that predate it), so the same file measures an older
 * commit: copy it into a worktree of that commit and register it in its bench/run.ts.
 */

const MB = 1024 * 1024;

interface PatternContext {
  write(text: string | Buffer): Promise<void>;
  /** A gzip sync flush: the relay gets what was written so far in its own reads. */
  flush(): Promise<void>;
}

interface Pattern {
  key: string;
  title: string;
  /** Records sent: the relay has read everything once it counted this many hits + malformed. */
  records: number;
  /** Keeps one SSE client connected (reconnecting when dropped). */
  sse?: boolean;
  /** Sends the records; `quick` shortens the timed patterns. */
  send(out: PatternContext, quick: boolean): Promise<void>;
  /** Records actually sent when `quick` (default `records`). */
  quickRecords?: number;
  /** Reports how fast RSS still grew over this last part of the sending, in seconds. */
  growthOverS?: (quick: boolean) => number;
}

const BASE_ID = 7_000_000_000_000_000_000n;

function record(i: number, fields: Record<string, string | number | boolean>): string {
  const body = Object.entries(fields)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join(',');
  return `{"hitIdHigh":${BASE_ID + BigInt(i)},"hitIdLow":${i},"timeGMT":${Math.floor(Date.now() / 1000)},${body}}\r\n`;
}

/** A page name of `length` characters, distinct per `i`. */
function pageName(i: number, length: number): string {
  const id = `/page-${i}/`;
  return id + 'p'.repeat(Math.max(0, length - id.length));
}

const PATTERNS: Pattern[] = [
  {
    key: 'a',
    title: '(a) 1,500 records of 1 MB',
    records: 1500,
    async send(out) {
      const pad = 'x'.repeat(MB);
      for (let i = 0; i < 1500; i++) await out.write(record(i, { pageName: 'big', pad }));
    },
  },
  {
    key: 'a2',
    title: '(a2) 1,500 records of 200 KB (under the record limit)',
    records: 1500,
    async send(out) {
      const pad = 'x'.repeat(200 * 1024);
      for (let i = 0; i < 1500; i++) await out.write(record(i, { pageName: 'big', pad }));
    },
  },
  {
    key: 'b',
    title: '(b) 16,000 tiny records, each in its own ~60 KB of decompressed stream',
    records: 16_000,
    async send(out) {
      // The rest of each 60 KB is an empty record of spaces, so the record sits alone in
      // gunzip's output buffer; each record and its padding is flushed on its own.
      const padding = `${' '.repeat(60 * 1024)}\r\n`;
      for (let i = 0; i < 16_000; i++) {
        await out.write(record(i, { pageName: 'p' }) + padding);
        await out.flush();
      }
    },
  },
  {
    key: 'c',
    title: '(c) records with a 3 MB pageName, one SSE client connected',
    records: 40,
    sse: true,
    async send(out) {
      for (let i = 0; i < 40; i++) {
        await out.write(record(i, { pageName: pageName(i, 3 * MB) }));
        await out.flush();
        await sleep(250);
      }
    },
  },
  {
    key: 'c2',
    title: '(c2) records with a 200 KB pageName, one SSE client connected',
    records: 40,
    sse: true,
    async send(out) {
      for (let i = 0; i < 40; i++) {
        await out.write(record(i, { pageName: pageName(i, 200 * 1024), isErrorPage: true }));
        await out.flush();
        await sleep(250);
      }
    },
  },
  {
    key: 'd',
    title: '(d) high-cardinality pages: a distinct 1,000-character page name per hit, 600 hits/s',
    records: 72_000,
    quickRecords: 27_000,
    // After ~75 s the relay's own windows (replay buffer, last minute of stats) are full: from
    // then on a bounded relay grows only by the de-duplication ids (~4 MB/min at this rate).
    growthOverS: (quick) => (quick ? 15 : 40),
    async send(out, quick) {
      const seconds = quick ? 45 : 120;
      const t0 = performance.now();
      for (let s = 0; s < seconds; s++) {
        let batch = '';
        for (let j = 0; j < 600; j++) {
          const i = s * 600 + j;
          batch += record(i, { pageName: pageName(i, 1000), geoCountry: 'fra', browser: 'Chrome' });
        }
        await out.write(batch);
        await out.flush();
        const wait = t0 + (s + 1) * 1000 - performance.now();
        if (wait > 0) await sleep(wait);
      }
    },
  },
];

/** A one-stream Livestream stand-in: the pattern on the first connection, idle afterwards. */
async function startStreamServer(pattern: Pattern, quick: boolean) {
  let served = false;
  let markSent = (): void => {};
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    open.add(res);
    res.on('close', () => open.delete(res));
    const gzip = zlib.createGzip({ level: 1 });
    gzip.pipe(res);
    if (served) return;
    served = true;
    const out: PatternContext = {
      async write(text) {
        if (!gzip.write(text)) await new Promise<void>((resolve) => gzip.once('drain', () => resolve()));
      },
      flush: () => new Promise<void>((resolve) => gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve())),
    };
    void pattern
      .send(out, quick)
      .then(() => out.flush())
      .then(markSent);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/1/stream/bench-memory`,
    /** Resolves once the relay connected and the whole pattern was written. */
    sent: () => sent,
    close: async () => {
      for (const res of open) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An SSE client that reads as fast as it can, reconnects when dropped, and notes event sizes. */
class SseReader {
  connections = 0;
  largest = new Map<string, number>();
  private req: http.ClientRequest | undefined;
  private stopped = false;

  constructor(private readonly url: string) {}

  start(): void {
    if (this.stopped) return;
    this.connections++;
    let blockBytes = 0;
    let head = '';
    let lastWasNewline = false;
    this.req = http.get(`${this.url}/api/stream`, (res) => {
      res.on('data', (chunk: Buffer) => {
        let from = 0;
        for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, nl + 1)) {
          if (head.length < 40) head += chunk.toString('latin1', from, Math.min(nl + 1, from + 40));
          blockBytes += nl + 1 - from;
          if (lastWasNewline && nl === from) {
            const event = /^event: (\w+)/.exec(head)?.[1] ?? 'comment';
            this.largest.set(event, Math.max(this.largest.get(event) ?? 0, blockBytes));
            blockBytes = 0;
            head = '';
          }
          lastWasNewline = true;
          from = nl + 1;
        }
        if (from < chunk.length) {
          if (head.length < 40) head += chunk.toString('latin1', from, Math.min(chunk.length, from + 40));
          blockBytes += chunk.length - from;
          lastWasNewline = false;
        }
      });
      res.on('close', () => this.again());
    });
    this.req.on('error', () => this.again());
  }

  private again(): void {
    if (this.stopped) return;
    setTimeout(() => this.start(), 200);
  }

  stop(): void {
    this.stopped = true;
    this.req?.destroy();
  }
}

/** RSS growth between two instants, from the samples nearest to each, in MB per minute. */
function rssGrowth(sampler: ProcSampler, from: number, to: number): number {
  const near = (at: number) =>
    sampler.samples.reduce((best, s) => (Math.abs(s.at - at) < Math.abs(best.at - at) ? s : best));
  const a = near(from);
  const b = near(to);
  return (b.rssBytes - a.rssBytes) / MB / ((b.at - a.at) / 60_000);
}

async function counted(relay: RelayProcess): Promise<{ hits: number; malformed: number }> {
  try {
    const { counters } = await relay.status();
    return { hits: counters.hits, malformed: counters.malformed };
  } catch {
    return { hits: NaN, malformed: NaN };
  }
}

async function runPattern(ctx: SuiteContext, result: SuiteResult, pattern: Pattern): Promise<void> {
  const records = ctx.quick ? (pattern.quickRecords ?? pattern.records) : pattern.records;
  const stream = await startStreamServer(pattern, ctx.quick);
  const relay = await startRelayProcess({
    env: {
      LIVESTREAM_URL: stream.url,
      ADOBE_ACCESS_TOKEN: 'bench-memory-token',
      ADOBE_CLIENT_ID: 'bench-memory',
      RECONNECT_COOLDOWN_S: '1',
      REDACT_FIELDS: 'ip',
    },
    logName: `memory-${pattern.key}`,
  });
  const sampler = new ProcSampler(relay.pid, 100);
  const reader = pattern.sse ? new SseReader(relay.url) : undefined;
  const t0 = performance.now();
  try {
    reader?.start();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      stream.sent(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`pattern ${pattern.key}: the relay never read it`)), 180_000);
      }),
    ]).finally(() => clearTimeout(timer));
    const sentAt = performance.now();
    // Everything read: every record counted, or nothing new for 5 s.
    let last = -1;
    let still = performance.now();
    for (;;) {
      const { hits, malformed } = await counted(relay);
      const seen = hits + malformed;
      if (seen >= records) break;
      if (seen !== last) {
        last = seen;
        still = performance.now();
      } else if (performance.now() - still > 5000) break;
      await sleep(200);
    }
    await sleep(2000);
    const end = sampler.take();
    sampler.stop();
    const seconds = (performance.now() - t0) / 1000;
    const peak = Math.max(...sampler.samples.map((s) => s.rssBytes));
    const { hits, malformed } = await counted(relay);
    const evicted = pattern.sse ? await relay.metric('livestream_sse_evicted_total') : undefined;
    const growthS = pattern.growthOverS?.(ctx.quick);
    const growth = growthS === undefined ? undefined : rssGrowth(sampler, sentAt - growthS * 1000, sentAt);
    const top = reader?.largest.get('top');
    const hitsEvent = reader?.largest.get('hits');
    ctx.log(
      `memory ${pattern.key}: peak RSS ${(peak / MB).toFixed(0)} MB, at the end ${((end?.rssBytes ?? NaN) / MB).toFixed(0)} MB; ${hits} hits, ${malformed} malformed in ${seconds.toFixed(1)} s${
        pattern.sse
          ? `; ${evicted} evictions, largest top event ${((top ?? 0) / 1024).toFixed(0)} KB, largest hits event ${((hitsEvent ?? 0) / 1024).toFixed(0)} KB`
          : ''
      }${growth === undefined ? '' : `; RSS still growing ${growth.toFixed(1)} MB/min over the last ${growthS} s of sending`}`,
    );
    const note = `${pattern.title}: ${records.toLocaleString('en-US')} records sent, the relay counted ${hits.toLocaleString('en-US')} hits and ${malformed.toLocaleString('en-US')} malformed in ${seconds.toFixed(0)} s`;
    result.figures.push(
      figure(`${pattern.title}: peak RSS`, 'MB', peak / MB, {
        decimals: 0,
        note,
        target: { op: '<', value: 512 },
      }),
      figure(`${pattern.title}: RSS once read`, 'MB', (end?.rssBytes ?? NaN) / MB, { decimals: 0 }),
    );
    if (growth !== undefined) {
      result.figures.push(
        figure(`${pattern.title}: RSS growth over the last ${growthS} s of sending`, 'MB/min', growth, {
          decimals: 1,
          note: 'a bounded relay levels off once its windows are full; an unbounded one keeps growing for the hour it keeps',
        }),
      );
    }
    if (pattern.sse) {
      result.figures.push(
        figure(`${pattern.title}: SSE evictions`, 'count', evicted ?? NaN, {
          decimals: 0,
          target: { op: '==', value: 0 },
          note: `one client reading as fast as it can, reconnecting 200 ms after being dropped (${reader!.connections} connections)`,
        }),
        figure(`${pattern.title}: largest top event`, 'KB', (top ?? NaN) / 1024, { decimals: 0 }),
      );
    }
  } finally {
    reader?.stop();
    sampler.stop();
    await relay.stop();
    await stream.close();
  }
}

/**
 * (e) A token endpoint that answers 200 with a 300 MB body: the relay must read a token answer
 * only up to its bound (64 KiB), not whole. Reported: peak RSS until the relay has made the
 * `access_token_unavailable` Problem.
 */
async function runTokenPattern(ctx: SuiteContext, result: SuiteResult): Promise<void> {
  const total = 300 * MB;
  let servedBytes = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': total });
    const block = Buffer.alloc(MB, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < total && !res.destroyed && res.write(block)) sent += block.length;
      servedBytes = sent;
      if (sent >= total) res.end();
    };
    res.on('drain', pump);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const relay = await startRelayProcess({
    env: {
      LIVESTREAM_URL: `${origin}/api/1/stream/bench-memory`,
      ADOBE_CLIENT_ID: 'bench-memory',
      ADOBE_CLIENT_SECRET: 'bench-memory-secret',
      ADOBE_SCOPES: 'openid',
      ADOBE_IMS_TOKEN_URL: `${origin}/ims/token/v3`,
      RECONNECT_COOLDOWN_S: '60',
    },
    logName: 'memory-e',
  });
  const sampler = new ProcSampler(relay.pid, 100);
  const t0 = performance.now();
  try {
    let problem: { code: string; details?: string } | undefined;
    while (!problem && performance.now() - t0 < 60_000) {
      const { problems } = (await (await fetch(`${relay.url}/api/problems`)).json()) as {
        problems: { code: string; source: string; details?: string }[];
      };
      problem = problems.find((p) => p.source === 'token');
      if (!problem) await sleep(200);
    }
    await sleep(1000);
    sampler.stop();
    const peak = Math.max(...sampler.samples.map((sample) => sample.rssBytes));
    const seconds = (performance.now() - t0) / 1000;
    ctx.log(
      `memory e: peak RSS ${(peak / MB).toFixed(0)} MB; ${problem?.code ?? 'no token Problem'} after ${seconds.toFixed(1)} s`,
    );
    result.figures.push(
      figure('(e) a token answer of 300 MB: peak RSS', 'MB', peak / MB, {
        decimals: 0,
        target: { op: '<', value: 512 },
        note: `the relay made ${problem ? `\`${problem.code}\` ("${problem.details ?? ''}")` : 'no token Problem'} after ${seconds.toFixed(1)} s; the server handed ${(servedBytes / MB).toFixed(0)} MB to its socket before the relay stopped reading`,
      }),
    );
  } finally {
    sampler.stop();
    await relay.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export const memorySuite: Suite = {
  name: 'memory',
  title: 'Memory: the relay under hostile records (peak RSS)',
  async run(ctx, result) {
    for (const pattern of PATTERNS) await runPattern(ctx, result, pattern);
    await runTokenPattern(ctx, result);
    result.notes.push(
      'Each pattern runs in a fresh relay process (`src/relay/main.ts`) whose upstream is a gzip NDJSON server in the benchmark process; RSS from /proc every 100 ms. The relay keeps at most 20,000 full hits in 64 MiB, drops records over 256 KiB as malformed, cuts summary and top-list strings to 1,024 characters, and bounds its top lists to 32 MiB, and reads a token answer up to 64 KiB (docs/decisions.md).',
    );
  },
};
