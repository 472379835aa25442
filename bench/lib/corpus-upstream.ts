/**
 * A fake Adobe upstream that serves a pre-built corpus as fast as the socket takes it, in a child
 * process of its own (started with `startCorpusUpstream`, as bench/lib/sim-process.ts starts the
 * simulator), on 127.0.0.1 and an ephemeral port:
 *
 * - `POST /ims/token/v3`: the IMS client-credentials grant (`{access_token, expires_in}`).
 * - `GET /api/{1,2}/stream/<name>`: HTTP/1.1, chunked, `content-encoding: gzip`. The first stream
 *   connection gets the corpus, written as fast as the socket drains (every write waits for
 *   `drain` once Node's buffer is full); a later connection (a reconnect, which these benchmarks
 *   must not see) gets an idle stream, and is counted.
 * - `GET /__upstream` (`?log=1` adds the live log), `POST /__upstream/release`: the control API.
 *
 * Two corpora:
 * - `chunks`: an ingest corpus (bench/suites/ingest-corpus.ts), one gzip member already cut into
 *   uneven reads, written read by read; afterwards the connection stays open and quiet (the gzip
 *   trailer is the last thing sent: gunzip ends only when more bytes come, so the relay sees no end).
 * - `timed`: a corpus of `ensureTimedCorpus` (records 5,000 a second apart on the stream's clock),
 *   in two parts: a backlog of the first `backlog` records, written at transfer speed on release,
 *   then `live` records at `liveRate` a second, each sent when due. Timestamps are shifted by whole
 *   seconds, in the text (`timeGMT`, `receivedTimeGMT`: ten digits each, so in place): the backlog
 *   so that it spans the time just before `releaseAt`, the live records so that they are
 *   current when sent. The backlog is shifted and recompressed once, before the release
 *   (`GET /__upstream` says `ready`); live records are shifted and compressed as they go.
 *   The body is one gzip header, raw deflate segments each ended by a sync flush (the backlog,
 *   then the live records' own deflate stream, then empty stored blocks to keep a quiet stream
 *   alive), never a final block: like Livestream's, it never ends.
 *
 * While held (before the release), a connection has its headers and, for `timed`, the gzip header
 * and an empty stored block every 10 s, so the relay neither times out nor calls it stalled.
 *
 *   node --import tsx bench/lib/corpus-upstream.ts '<UpstreamOptions as JSON>'
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { constants, createDeflateRaw, createGunzip, createGzip } from 'node:zlib';
import { stringifyRecord } from '../../src/contract/index.ts';
import { createHitGenerator } from '../../src/simulator/generator/index.ts';
import { loadCorpus } from '../suites/ingest-corpus.ts';
import { spawnTracked, type Spawned } from './children.ts';
import { OUT_DIR, ROOT } from './paths.ts';

export type UpstreamOptions =
  | {
      kind: 'chunks';
      /** Base path of an ingest corpus (`ensureCorpus`). */
      base: string;
      /** Wait for `POST /__upstream/release` before the first byte of the body. */
      hold: boolean;
    }
  | {
      kind: 'timed';
      /** Base path of a timed corpus (`ensureTimedCorpus`). */
      base: string;
      backlog: number;
      live: number;
      liveRate: number;
      /** Epoch ms the backlog is shifted to end at (the planned release). */
      releaseAt: number;
    };

export interface UpstreamInfo {
  url: string;
  streamUrl: string;
  tokenUrl: string;
  controlUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
}

/** What the upstream saw of one stream connection; times are epoch ms (µs precision). */
export interface ConnectionFacts {
  id: number;
  path: string;
  /** `corpus` for the first stream connection, `idle` for any later one. */
  served: 'corpus' | 'idle';
  openedAt: number;
  /** First byte of the corpus handed to the socket. */
  firstByteAt?: number;
  /** Last byte of the corpus (chunks) or backlog (timed) handed to the kernel (its write callback). */
  lastByteAt?: number;
  /** Body bytes written in all (gzip header, keep-alive blocks, corpus, live). */
  bytes: number;
  corpusBytes: number;
  liveStartedAt?: number;
  liveRecords: number;
  liveBytes: number;
  /** Every live record was sent. */
  liveEndedAt?: number;
  closedAt?: number;
}

export interface UpstreamStatus {
  kind: UpstreamOptions['kind'];
  ready: boolean;
  /** Seconds the preparation (timed: shift and recompress the backlog) took. */
  prepareS?: number;
  released: boolean;
  releasedAt?: number;
  tokenRequests: number;
  streamRequests: number;
  /** Stream or token requests answered 4xx. */
  refused: number;
  connections: ConnectionFacts[];
  corpus: {
    records: number;
    /** Decompressed bytes of what is sent on release (chunks: the corpus; timed: the backlog). */
    rawBytes: number;
    /** Compressed bytes of the same. */
    gzBytes: number;
  };
  timed?: {
    backlog: number;
    live: number;
    liveRate: number;
    releaseAt: number;
    backlogShiftS: number;
    liveShiftS?: number;
    /** Stream-clock epoch ms of the first and last backlog record after the shift. */
    backlogFrom: number;
    backlogTo: number;
  };
  /** `?log=1`: per live tick, [epoch ms, live records sent so far]. */
  liveLog?: [number, number][];
}

const now = () => performance.timeOrigin + performance.now();

// ── the timed corpus ────────────────────────────────────────────────────────────────────────

export interface TimedCorpusMeta {
  seed: number;
  records: number;
  /** Stream-clock epoch ms of record 0; record i is `i / ratePerS` seconds later. */
  baseMs: number;
  ratePerS: number;
  rawBytes: number;
  gzBytes: number;
}

/** A fixed instant in the past: every shift is forward, and timestamps keep ten digits. */
const TIMED_BASE_MS = Date.UTC(2026, 0, 1, 0, 0, 0);
const TIMED_RATE = 5000;

export function timedCorpusPath(seed: number, count: number): string {
  return join(OUT_DIR, 'corpus', `timed-${seed}-${count}`);
}

export function readTimedMeta(base: string): TimedCorpusMeta {
  return JSON.parse(readFileSync(`${base}.json`, 'utf8')) as TimedCorpusMeta;
}

/**
 * `count` generator records as a 5,000 hits/s stream would carry them (record i generated at
 * `TIMED_BASE_MS + i / 5000 s`), CRLF-separated, no empty record, one gzip member. Built once
 * per seed and count (~60 µs a record), cached under bench/out/corpus/. Returns the base path.
 */
export async function ensureTimedCorpus(
  seed: number,
  count: number,
  log: (message: string) => void = () => {},
): Promise<string> {
  const base = timedCorpusPath(seed, count);
  if (existsSync(`${base}.json`) && existsSync(`${base}.gz`)) return base;
  mkdirSync(join(OUT_DIR, 'corpus'), { recursive: true });
  const t0 = performance.now();
  const generator = createHitGenerator({ seed });
  const gzip = createGzip();
  const file = createWriteStream(`${base}.gz.tmp`);
  gzip.pipe(file);
  let rawBytes = 0;
  let lines: string[] = [];
  const step = 1000 / TIMED_RATE;
  for (let i = 0; i < count; i++) {
    lines.push(`${stringifyRecord(generator.next(TIMED_BASE_MS + i * step))}\r\n`);
    if (lines.length === 1000 || i === count - 1) {
      const bytes = Buffer.from(lines.join(''), 'utf8');
      rawBytes += bytes.length;
      lines = [];
      if (!gzip.write(bytes)) await once(gzip, 'drain');
    }
    if (i > 0 && i % 250_000 === 0)
      log(
        `timed corpus: ${i.toLocaleString()} of ${count.toLocaleString()} records (${Math.round((performance.now() - t0) / 1000)} s)`,
      );
  }
  gzip.end();
  await finished(file);
  renameSync(`${base}.gz.tmp`, `${base}.gz`);
  const meta: TimedCorpusMeta = {
    seed,
    records: count,
    baseMs: TIMED_BASE_MS,
    ratePerS: TIMED_RATE,
    rawBytes,
    gzBytes: file.bytesWritten,
  };
  writeFileSync(`${base}.json`, JSON.stringify(meta));
  log(`timed corpus: ${count.toLocaleString()} records built in ${Math.round((performance.now() - t0) / 1000)} s`);
  return base;
}

const GMT = Buffer.from('GMT":');

/**
 * Adds `shiftS` to every ten-digit `…GMT":` number of `buf` (`timeGMT`, `receivedTimeGMT`), in
 * place. Returns how many were shifted.
 */
export function shiftTimes(buf: Buffer, shiftS: number): number {
  let shifted = 0;
  let at = 0;
  while ((at = buf.indexOf(GMT, at)) !== -1) {
    const first = at + GMT.length;
    let p = first;
    let value = 0;
    while (p < buf.length && buf[p]! >= 0x30 && buf[p]! <= 0x39) {
      value = value * 10 + buf[p]! - 0x30;
      p++;
    }
    if (p - first === 10) {
      let v = value + shiftS;
      if (v >= 1e9 && v < 1e10) {
        for (let q = p - 1; q >= first; q--) {
          buf[q] = 0x30 + (v % 10);
          v = Math.floor(v / 10);
        }
        shifted++;
      }
    }
    at = p;
  }
  return shifted;
}

// ── the bench side ──────────────────────────────────────────────────────────────────────────

export interface CorpusUpstream {
  proc: Spawned;
  pid: number;
  info: UpstreamInfo;
  /** The relay's environment for this upstream (client credentials through its token endpoint). */
  relayEnv(): Record<string, string>;
  status(withLog?: boolean): Promise<UpstreamStatus>;
  /** Waits until the corpus is ready (timed: shifted and recompressed). */
  waitReady(timeoutMs: number): Promise<UpstreamStatus>;
  /** Starts the body on every held connection (now and later); answers once it started. */
  release(): Promise<UpstreamStatus>;
  stop(): Promise<void>;
}

export async function startCorpusUpstream(options: UpstreamOptions, logName: string): Promise<CorpusUpstream> {
  const proc = spawnTracked(
    process.execPath,
    ['--max-old-space-size=4096', '--import', 'tsx', fileURLToPath(import.meta.url), JSON.stringify(options)],
    { cwd: ROOT, logName },
  );
  let info: UpstreamInfo;
  try {
    const [, json] = await proc.waitForLine(/^UPSTREAM (.*)$/, 30_000);
    info = JSON.parse(json!) as UpstreamInfo;
  } catch (error) {
    await proc.stop();
    throw error;
  }
  const status = async (withLog = false) => {
    const response = await fetch(`${info.controlUrl}${withLog ? '?log=1' : ''}`);
    if (!response.ok) throw new Error(`upstream status: ${response.status}`);
    return (await response.json()) as UpstreamStatus;
  };
  return {
    proc,
    pid: proc.pid,
    info,
    relayEnv: () => ({
      LIVESTREAM_URL: info.streamUrl,
      ADOBE_IMS_TOKEN_URL: info.tokenUrl,
      ADOBE_CLIENT_ID: info.clientId,
      ADOBE_CLIENT_SECRET: info.clientSecret,
      ADOBE_SCOPES: info.scopes,
    }),
    status,
    async waitReady(timeoutMs) {
      const until = performance.now() + timeoutMs;
      for (;;) {
        const s = await status();
        if (s.ready) return s;
        if (proc.done()) throw new Error(`corpus upstream exited: ${proc.lines.slice(-10).join('\n')}`);
        if (performance.now() > until) throw new Error(`corpus upstream not ready within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async release() {
      const response = await fetch(`${info.controlUrl}/release`, { method: 'POST' });
      if (!response.ok) throw new Error(`upstream release: ${response.status} ${await response.text()}`);
      return (await response.json()) as UpstreamStatus;
    },
    stop: () => proc.stop(),
  };
}

// ── the upstream process ────────────────────────────────────────────────────────────────────

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);
/** A non-final empty stored block: bytes on the wire that decompress to nothing. */
const EMPTY_STORED_BLOCK = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);
const KEEPALIVE_MS = 10_000;
const LIVE_TICK_MS = 20;
const WRITE_SIZE = 64 * 1024;
const EMPTY = Buffer.alloc(0);

interface Prepared {
  /** Written on release, read by read. */
  body: Buffer[];
  /** Timed: the live records, one buffer each, shifted when sent. */
  live: Buffer[];
}

/** Timed: shifts the backlog's timestamps and recompresses it; keeps the live records' text. */
async function prepareTimed(options: Extract<UpstreamOptions, { kind: 'timed' }>, status: UpstreamStatus) {
  const meta = readTimedMeta(options.base);
  const { backlog, live } = options;
  if (backlog + live > meta.records)
    throw new Error(`the timed corpus has ${meta.records} records, ${backlog + live} asked for`);
  const stepMs = 1000 / meta.ratePerS;
  // Record i is shifted from baseMs + i·step to releaseAt − (backlog − i)·step (whole seconds).
  const backlogShiftS = Math.round((options.releaseAt - backlog * stepMs - meta.baseMs) / 1000);
  status.timed = {
    backlog,
    live,
    liveRate: options.liveRate,
    releaseAt: options.releaseAt,
    backlogShiftS,
    backlogFrom: meta.baseMs + backlogShiftS * 1000,
    backlogTo: meta.baseMs + (backlog - 1) * stepMs + backlogShiftS * 1000,
  };
  // Big chunks and a deep write buffer: gunzip, this loop and deflate overlap (thread pool and
  // main thread) instead of waiting for each other every 16 KiB.
  // (zlib streams take the Transform options too; @types/node does not list them.)
  const deflate = createDeflateRaw(
    Object.assign({ level: 6, chunkSize: 256 * 1024 }, { writableHighWaterMark: 16 * 1024 * 1024 }),
  );
  const out: Buffer[] = [];
  let outBytes = 0;
  deflate.on('data', (chunk: Buffer) => {
    out.push(chunk);
    outBytes += chunk.length;
  });
  const liveRecords: Buffer[] = [];
  let index = 0;
  let rawBytes = 0;
  let sinceFlush = 0;
  // Sync flushes every 16–256 KiB of text, log-uniform: a server flushing as its buffers fill.
  let seed = 0x9e3779b9;
  const nextCut = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return Math.round(Math.exp(Math.log(16_384) + (seed / 2 ** 32) * (Math.log(262_144) - Math.log(16_384))));
  };
  let cut = nextCut();
  const feed = async (text: Buffer) => {
    shiftTimes(text, backlogShiftS);
    rawBytes += text.length;
    sinceFlush += text.length;
    if (!deflate.write(text)) await once(deflate, 'drain');
    if (sinceFlush >= cut) {
      deflate.flush(constants.Z_SYNC_FLUSH);
      sinceFlush = 0;
      cut = nextCut();
    }
  };
  let carry: Buffer | undefined;
  const source = createReadStream(`${options.base}.gz`, { highWaterMark: 1024 * 1024 }).pipe(
    createGunzip({ chunkSize: 256 * 1024 }),
  );
  for await (const chunk of source as AsyncIterable<Buffer>) {
    const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = undefined;
    const lastNl = buf.lastIndexOf(0x0a);
    if (lastNl === -1) {
      carry = buf;
      continue;
    }
    let pos = 0;
    if (index < backlog) {
      let p = 0;
      while (index < backlog && p <= lastNl) {
        const nl = buf.indexOf(0x0a, p);
        index++;
        p = nl + 1;
      }
      await feed(buf.subarray(0, p));
      pos = p;
    }
    while (index >= backlog && index < backlog + live && pos <= lastNl) {
      const nl = buf.indexOf(0x0a, pos);
      liveRecords.push(Buffer.from(buf.subarray(pos, nl + 1)));
      index++;
      pos = nl + 1;
    }
    if (index >= backlog + live) break;
    if (lastNl + 1 < buf.length) carry = Buffer.from(buf.subarray(lastNl + 1));
  }
  await new Promise<void>((done) => deflate.flush(constants.Z_SYNC_FLUSH, () => done()));
  await new Promise((r) => setImmediate(r));
  // Never ended: no final block; the live records follow in a deflate stream of their own.
  deflate.close();
  status.corpus = { records: backlog, rawBytes, gzBytes: outBytes + GZIP_HEADER.length };
  return { body: coalesce(out, WRITE_SIZE), live: liveRecords };
}

function coalesce(chunks: Buffer[], size: number): Buffer[] {
  const out: Buffer[] = [];
  let group: Buffer[] = [];
  let bytes = 0;
  for (const chunk of chunks) {
    group.push(chunk);
    bytes += chunk.length;
    if (bytes >= size) {
      out.push(Buffer.concat(group));
      group = [];
      bytes = 0;
    }
  }
  if (group.length) out.push(Buffer.concat(group));
  return out;
}

async function serve(options: UpstreamOptions): Promise<void> {
  const clientId = 'bench-corpus-upstream';
  const clientSecret = randomBytes(12).toString('hex');
  const accessToken = randomBytes(24).toString('base64url');
  const status: UpstreamStatus = {
    kind: options.kind,
    ready: false,
    released: options.kind === 'chunks' && !options.hold,
    tokenRequests: 0,
    streamRequests: 0,
    refused: 0,
    connections: [],
    corpus: { records: 0, rawBytes: 0, gzBytes: 0 },
  };
  const liveLog: [number, number][] = [];
  let prepared: Prepared | undefined;
  let wakeRelease: () => void = () => {};
  const releasedSignal = new Promise<void>((r) => (wakeRelease = r));
  if (status.released) wakeRelease();
  let wakeReady: () => void = () => {};
  const readySignal = new Promise<void>((r) => (wakeReady = r));

  const json = (res: http.ServerResponse, code: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const readBody = async (req: http.IncomingMessage) => {
    let text = '';
    for await (const chunk of req as AsyncIterable<Buffer>) {
      text += chunk.toString('utf8');
      if (text.length > 65_536) break;
    }
    return text;
  };

  const stream = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    status.streamRequests++;
    const facts: ConnectionFacts = {
      id: status.connections.length + 1,
      path: req.url ?? '',
      served: status.connections.some((c) => c.served === 'corpus') ? 'idle' : 'corpus',
      openedAt: now(),
      bytes: 0,
      corpusBytes: 0,
      liveRecords: 0,
      liveBytes: 0,
    };
    status.connections.push(facts);
    let closed = false;
    const timers: NodeJS.Timeout[] = [];
    const own: { deflate?: ReturnType<typeof createDeflateRaw> } = {};
    res.on('close', () => {
      closed = true;
      facts.closedAt = now();
      for (const t of timers) clearInterval(t);
      own.deflate?.close();
    });
    res.socket?.setNoDelay(true);
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.flushHeaders();
    const write = (chunk: Buffer, done?: () => void): boolean => {
      facts.bytes += chunk.length;
      return res.write(chunk, done);
    };
    const drained = () =>
      new Promise<void>((wake) => {
        const go = () => {
          res.off('drain', go);
          res.off('close', go);
          wake();
        };
        res.on('drain', go);
        res.on('close', go);
      });
    const keepAlive = () => {
      const t = setInterval(() => write(EMPTY_STORED_BLOCK), KEEPALIVE_MS);
      timers.push(t);
      return t;
    };
    if (options.kind === 'timed') write(GZIP_HEADER);
    if (facts.served === 'idle') {
      if (options.kind === 'timed') keepAlive();
      return;
    }
    const held = options.kind === 'timed' ? keepAlive() : undefined;
    await releasedSignal;
    await readySignal;
    clearInterval(held);
    if (closed || !prepared) return;
    facts.firstByteAt = now();
    const body = prepared.body;
    for (let i = 0; i < body.length; i++) {
      if (closed) return;
      const chunk = body[i]!;
      facts.corpusBytes += chunk.length;
      const last = i === body.length - 1;
      const ok = write(chunk, last ? () => (facts.lastByteAt = now()) : undefined);
      if (!ok) await drained();
    }
    if (options.kind !== 'timed' || closed) return;

    // Live records, each when due, in a deflate stream of their own (the backlog ended on a sync flush).
    const records = prepared.live;
    const deflate = createDeflateRaw({ level: 6 });
    own.deflate = deflate;
    deflate.on('data', (chunk: Buffer) => {
      if (closed) return;
      facts.liveBytes += chunk.length;
      write(chunk);
    });
    const startedAt = now();
    facts.liveStartedAt = startedAt;
    const timed = status.timed!;
    const meta = readTimedMeta(options.base);
    // Live record j, generated at baseMs + (backlog + j)·step, is sent at startedAt + j·step.
    const liveShiftS = Math.round((startedAt - (meta.baseMs + (timed.backlog * 1000) / meta.ratePerS)) / 1000);
    timed.liveShiftS = liveShiftS;
    let sent = 0;
    const tick = setInterval(() => {
      if (closed) return;
      const t = now();
      const due = Math.min(records.length, Math.floor(((t - startedAt) * options.liveRate) / 1000));
      if (due > sent) {
        const batch = records.slice(sent, due);
        for (const record of batch) shiftTimes(record, liveShiftS);
        deflate.write(Buffer.concat(batch));
        deflate.flush(constants.Z_SYNC_FLUSH);
        for (let k = sent; k < due; k++) records[k] = EMPTY;
        sent = due;
        facts.liveRecords = sent;
        liveLog.push([t, sent]);
      }
      if (sent >= records.length) {
        clearInterval(tick);
        facts.liveEndedAt = t;
        // Once the last flush is out, the stream is byte-aligned: keep it alive with empty blocks.
        deflate.flush(constants.Z_SYNC_FLUSH, () => {
          if (!closed) keepAlive();
        });
      }
    }, LIVE_TICK_MS);
    timers.push(tick);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    const path = url.pathname;
    if (path === '/ims/token/v3' && req.method === 'POST') {
      status.tokenRequests++;
      void readBody(req).then((text) => {
        const form = new URLSearchParams(text);
        if (
          form.get('grant_type') !== 'client_credentials' ||
          form.get('client_id') !== clientId ||
          form.get('client_secret') !== clientSecret
        ) {
          status.refused++;
          json(res, 401, { error: 'invalid_client', error_description: 'unknown client' });
          return;
        }
        json(res, 200, { access_token: accessToken, token_type: 'bearer', expires_in: 86_399 });
      });
      return;
    }
    if (/^\/api\/[12]\/stream\/[^/]+$/.test(path)) {
      if (req.method !== 'GET') {
        status.refused++;
        json(res, 405, { error: 'method_not_allowed' });
        return;
      }
      if (req.headers.authorization !== `Bearer ${accessToken}`) {
        status.refused++;
        json(res, 401, { error: 'unauthorized', error_description: 'token missing or expired' });
        return;
      }
      if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        status.refused++;
        json(res, 406, { error: 'not_acceptable', error_description: 'compression required' });
        return;
      }
      void stream(req, res);
      return;
    }
    if (path === '/__upstream' && req.method === 'GET') {
      json(res, 200, url.searchParams.get('log') === '1' ? { ...status, liveLog } : status);
      return;
    }
    if (path === '/__upstream/release' && req.method === 'POST') {
      void readySignal.then(() => {
        if (!status.released) {
          status.released = true;
          status.releasedAt = now();
          wakeRelease();
        }
        json(res, 200, status);
      });
      return;
    }
    json(res, 404, { error: 'not_found' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const info: UpstreamInfo = {
    url,
    streamUrl: `${url}/api/2/stream/bench-corpus`,
    tokenUrl: `${url}/ims/token/v3`,
    controlUrl: `${url}/__upstream`,
    clientId,
    clientSecret,
    scopes: 'openid,AdobeID,read_organizations',
  };
  console.log(`UPSTREAM ${JSON.stringify(info)}`);

  const stop = () => {
    server.closeAllConnections();
    server.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const t0 = performance.now();
  if (options.kind === 'chunks') {
    const corpus = loadCorpus(options.base);
    prepared = { body: corpus.chunks, live: [] };
    status.corpus = { records: corpus.records, rawBytes: corpus.rawBytes, gzBytes: corpus.gzBytes };
  } else {
    prepared = await prepareTimed(options, status);
  }
  status.prepareS = (performance.now() - t0) / 1000;
  status.ready = true;
  wakeReady();
  console.log(`READY in ${status.prepareS.toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = JSON.parse(process.argv[2] ?? '{}') as UpstreamOptions;
  serve(options).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
