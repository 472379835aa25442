import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import {
  parseRetryAfter,
  type BodyError,
  type ConnectFailure,
  type ConnectOutcome,
  type ConnectRequest,
  type HttpRefusal,
  type OpenStream,
  type StreamBody,
} from '../../core/upstream/connector.ts';
import { decideRedirect } from '../../core/upstream/redirect-trust.ts';

export { parseRetryAfter };
export type { ConnectOutcome, ConnectRequest, OpenStream };

/**
 * One attempt to open the stream: HTTP/1.1 GET on a fresh socket with `Authorization`,
 * `x-api-key` (when there is a client id) and `Accept-Encoding: gzip, deflate`; redirects followed by hand (≤ 5 hops) sending
 * those headers again, but only where the redirect trust rule allows (redirect-trust.ts);
 * connect and header timeouts; TCP keep-alive; the body decompressed by its `Content-Encoding`.
 */

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_ERROR_BODY = 64 * 1024;
/** An error body decompresses to at most this much (a small gzip body can expand a thousandfold). */
const MAX_ERROR_TEXT = 256 * 1024;
/** Idle time before TCP keep-alive probes start: a dead peer is found even if the stall clock is fooled. */
const KEEPALIVE_IDLE_MS = 30_000;

function requestIdOf(response: IncomingMessage): string | undefined {
  const value = response.headers['adobe-request-id'] ?? response.headers['x-request-id'];
  return Array.isArray(value) ? value[0] : value;
}

interface Hop {
  response: IncomingMessage;
}

/** Sends one GET and resolves with the response headers, or rejects with a classified failure. */
function get(url: URL, request: ConnectRequest): Promise<Hop> {
  const client = url.protocol === 'https:' ? https : http;
  const connectTimeoutMs = request.connectTimeoutMs ?? 10_000;
  const headerTimeoutMs = request.headerTimeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: 'GET',
      agent: false,
      headers: {
        authorization: `Bearer ${request.token}`,
        // A static token without a client id sends no x-api-key at all (Adobe's sample sends none).
        ...(request.apiKey ? { 'x-api-key': request.apiKey } : {}),
        'accept-encoding': 'gzip, deflate',
        accept: 'application/json',
        'user-agent': request.userAgent ?? 'livestream-monitor',
        connection: 'keep-alive',
      },
    });
    const timeout = (message: string) => () => req.destroy(new ConnectError('network_connection_timeout', message));
    let timer = setTimeout(timeout(`no connection within ${connectTimeoutMs} ms`), connectTimeoutMs);
    req.on('socket', (socket) => {
      socket.setKeepAlive(true, KEEPALIVE_IDLE_MS);
      const connected = () => {
        clearTimeout(timer);
        timer = setTimeout(timeout(`no response headers within ${headerTimeoutMs} ms`), headerTimeoutMs);
      };
      if ((socket as { connecting?: boolean }).connecting) {
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
      } else connected();
    });
    const abort = () => req.destroy(new ConnectError('network_connection_failure', 'aborted: the relay is stopping'));
    if (request.signal?.aborted) abort();
    request.signal?.addEventListener('abort', abort, { once: true });
    req.on('response', (response) => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', abort);
      resolve({ response });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', abort);
      reject(
        error instanceof ConnectError
          ? error
          : new ConnectError('network_connection_failure', describeSocketError(error)),
      );
    });
    req.end();
  });
}

class ConnectError extends Error {
  constructor(
    readonly code: ConnectFailure['code'],
    message: string,
  ) {
    super(message);
  }
}

export function describeSocketError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

/**
 * Output buffer of the stream's gunzip: 256 KiB instead of zlib's 16 KiB default. A backlog
 * arriving at transfer speed is decompressed in a sixth of the calls, each handing the decoder
 * more lines: gunzip of the ingest corpus, pinned to one core, took 0.57–0.59 CPU-s with 256 KiB,
 * 0.64–0.83 with 64 KiB and 0.92–0.98 with 16 KiB (bench/RESULTS.md, ingest, "Fourth change"
 * and "Fifth change"). Memory: one such buffer per open stream (2 MiB with all 8 shards); the
 * decoder copies what it keeps, so a handed-out buffer is garbage once its lines are read.
 */
export const GUNZIP_CHUNK_BYTES = 256 * 1024;

function decoderFor(encoding: string): zlib.Gunzip | zlib.Inflate | undefined {
  // Z_SYNC_FLUSH: a stream cut mid-record must surface as "ended", not as a zlib error.
  const options = { finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: GUNZIP_CHUNK_BYTES };
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.createGunzip(options);
  if (encoding === 'deflate') return zlib.createInflate(options);
  return undefined;
}

async function readErrorBody(response: IncomingMessage, timeoutMs: number): Promise<string> {
  const encoding = String(response.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      response.destroy();
      resolve();
    }, timeoutMs);
    response.on('data', (chunk: Buffer) => {
      if (size < MAX_ERROR_BODY) chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_ERROR_BODY) response.destroy();
    });
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    response.on('end', done);
    response.on('close', done);
    response.on('error', done);
  });
  const raw = Buffer.concat(chunks);
  try {
    const options = { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: MAX_ERROR_TEXT };
    if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.gunzipSync(raw, options).toString('utf8');
    if (encoding === 'deflate') return zlib.inflateSync(raw, options).toString('utf8');
  } catch {
    return '';
  }
  return raw.toString('utf8');
}

/** Opens the stream, following redirects by hand. Never throws. */
export async function openStream(request: ConnectRequest): Promise<ConnectOutcome> {
  const maxRedirects = request.maxRedirects ?? 5;
  const configured = new URL(request.url);
  let url = configured;
  for (let redirects = 0; ; redirects++) {
    let hop: Hop;
    try {
      hop = await get(url, request);
    } catch (error) {
      const failure =
        error instanceof ConnectError
          ? error
          : new ConnectError('network_connection_failure', describeSocketError(error));
      return { kind: 'failure', code: failure.code, message: failure.message, url: url.toString() };
    }
    const { response } = hop;
    const status = response.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      response.resume();
      response.destroy();
      const location = response.headers.location;
      if (!location || redirects >= maxRedirects) {
        return {
          kind: 'failure',
          code: 'too_many_redirects',
          message: location ? `more than ${maxRedirects} redirects` : `redirect ${status} without a Location`,
          url: url.toString(),
        };
      }
      const decision = decideRedirect(url, location, configured, request.redirectHosts);
      if (!decision.follow) {
        return { kind: 'failure', code: 'untrusted_redirect', message: decision.reason, url: url.toString() };
      }
      url = decision.url;
      continue;
    }
    const requestId = requestIdOf(response);
    if (status !== 200) {
      const refusal: HttpRefusal = {
        kind: 'http-error',
        status,
        url: url.toString(),
        redirects,
        contentType: String(response.headers['content-type'] ?? ''),
        body: await readErrorBody(response, request.errorBodyTimeoutMs ?? 5_000),
      };
      if (requestId) refusal.requestId = requestId;
      const retryAfterS = parseRetryAfter(response.headers['retry-after']);
      if (retryAfterS !== undefined) refusal.retryAfterS = retryAfterS;
      return refusal;
    }
    const encoding = String(response.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    let compressed = 0;
    response.on('data', (chunk: Buffer) => {
      compressed += chunk.length;
    });
    const socket = response.socket;
    const decoder = decoderFor(encoding);
    let body: Readable = response;
    let closed = false;
    if (decoder) {
      body = decoder;
      // Once we closed it ourselves, the socket's last words are nobody's error.
      response.on('error', (error) => closed || decoder.destroy(error));
      response.on('aborted', () => closed || decoder.destroy(new Error('connection aborted')));
      response.pipe(decoder);
    }
    const open: OpenStream = {
      kind: 'open',
      status,
      url: url.toString(),
      redirects,
      encoding,
      body: streamBody(body),
      compressedBytes: () => compressed,
      // A fresh socket per attempt (`agent: false`), so its `bytesRead` is this stream's alone.
      socketBytes: () => Math.max(socket?.bytesRead ?? 0, compressed),
      close: () => {
        if (closed) return;
        closed = true;
        response.destroy();
        response.socket?.destroy();
        if (decoder) decoder.destroy();
      },
    };
    if (requestId) open.requestId = requestId;
    return open;
  }
}

/**
 * A Node stream as the core's `StreamBody`: its chunks, then one of end or error (a close
 * without an end is an error). The `error` listener stays: a second error must find one.
 */
function streamBody(readable: Readable): StreamBody {
  return {
    listen(handlers) {
      let done = false;
      const stop = (report: () => void) => {
        if (done) return;
        done = true;
        report();
      };
      readable.on('data', (chunk: Buffer) => {
        if (!done) handlers.data(chunk);
      });
      readable.once('end', () => stop(() => handlers.end()));
      readable.on('error', (error: Error & { code?: unknown }) => {
        const failure: BodyError = { message: error.message };
        if (typeof error.code === 'string') failure.code = error.code;
        stop(() => handlers.error(failure));
      });
      readable.once('close', () => stop(() => handlers.error({ message: 'the connection closed' })));
    },
  };
}
