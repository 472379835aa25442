import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

/**
 * A small hostile Livestream and token endpoint for tests: each connection is answered by a
 * named mode, one per attack, so a new attack is one line in `STREAM_MODES` or `TOKEN_MODES`.
 * Every request is logged with its time and headers (credentials included: tests check where
 * they went). Listens on 127.0.0.1, on an ephemeral port. Not used in production.
 */

export interface HostileRequest {
  at: number;
  path: string;
  headers: http.IncomingHttpHeaders;
}

interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** This server's origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** The same port under another host name (`localhost`): another host as far as trust goes. */
  otherHostOrigin: string;
  /** Resolves when the client went away. */
  closed: Promise<void>;
  /** Timers that end with the server. */
  every(ms: number, fn: () => void): void;
}

type Mode = (ctx: Ctx) => void;

/** One record in Livestream's shape (ids beyond 2^53, written as bare numbers). */
export function hostileRecord(n: number, extra: Record<string, unknown> = {}): string {
  const body = JSON.stringify({ reportSuite: 'hostile', pageName: `page ${n}`, ip: '203.0.113.7', ...extra });
  return `{"hitIdHigh":${9_000_000_000_000_000_000n + BigInt(n)},"hitIdLow":${n},${body.slice(1)}`;
}

function gzipStream(ctx: Ctx): zlib.Gzip {
  ctx.res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  const gzip = zlib.createGzip();
  gzip.pipe(ctx.res);
  void ctx.closed.then(() => gzip.destroy());
  return gzip;
}

function refuse(status: number, headers: Record<string, string> = {}): Mode {
  return ({ res }) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: 'hostile', error_description: `status ${status}` }));
  };
}

function redirect(location: (ctx: Ctx) => string): Mode {
  return (ctx) => {
    ctx.res.writeHead(302, { location: location(ctx) });
    ctx.res.end();
  };
}

/** Sends `records` lines, then keeps the connection open and silent. */
function records(lines: (n: number) => string, count = 3): Mode {
  return (ctx) => {
    const gzip = gzipStream(ctx);
    for (let i = 1; i <= count; i++) gzip.write(`${lines(i)}\r\n`);
    gzip.flush();
  };
}

export const STREAM_MODES = {
  /** Three records, then an open, silent connection. */
  healthy: records((n) => hostileRecord(n)),
  /** Three records, then the end of the stream. */
  ends: (ctx) => {
    const gzip = gzipStream(ctx);
    for (let i = 1; i <= 3; i++) gzip.write(`${hostileRecord(i)}\r\n`);
    gzip.end();
  },
  /**
   * A record, then every 200 ms a deflate block that holds nothing (bytes on the socket, nothing
   * after gunzip): how a quiet report suite may be kept alive. zlib emits nothing for a flush with
   * no new input, so the empty stored block is written by hand, at a block boundary.
   */
  'gzip-keepalive': (ctx) => {
    const gzip = gzipStream(ctx);
    gzip.write(`${hostileRecord(1)}\r\n`);
    gzip.flush(() => ctx.every(200, () => ctx.res.write(EMPTY_STORED_BLOCK)));
  },
  /** A record, then one byte of a record that never ends, every 300 ms. */
  trickle: (ctx) => {
    const gzip = gzipStream(ctx);
    gzip.write(`${hostileRecord(1)}\r\n{"pageName":"`);
    gzip.flush();
    ctx.every(300, () => {
      gzip.write('x');
      gzip.flush();
    });
  },
  'retry-after-huge': refuse(503, { 'retry-after': '999999999' }),
  'retry-after-far-date': refuse(503, { 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' }),
  'retry-after-429': refuse(429, { 'retry-after': '120' }),
  'redirect-unparseable': redirect(() => 'http://[::1'),
  'redirect-file': redirect(() => 'file:///etc/passwd'),
  'redirect-ftp': redirect((ctx) => `ftp://${new URL(ctx.origin).host}/stream`),
  'redirect-other-host': redirect((ctx) => `${ctx.otherHostOrigin}/api/1/stream/x`),
  'redirect-same-host': redirect((ctx) => `${ctx.origin}/api/1/stream/x?hop=1`),
  /** A record of about `HUGE_RECORD_BYTES`, then a normal one. */
  'huge-record': records((n) =>
    n === 1 ? hostileRecord(1, { pageName: 'x'.repeat(HUGE_RECORD_BYTES) }) : hostileRecord(n),
  ),
  /** A record nested 100,000 levels deep that holds an `ip`. */
  'deep-record': records((n) =>
    n === 1
      ? hostileRecord(1, { deep: '@' }).replace('"@"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`)
      : hostileRecord(n),
  ),
} satisfies Record<string, Mode>;

export const HUGE_RECORD_BYTES = 3 * 1024 * 1024;

/** A non-final deflate stored block of length 0. */
const EMPTY_STORED_BLOCK = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

export const TOKEN_MODES = {
  ok: ({ res }) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: 'hostile-token-1', token_type: 'bearer', expires_in: 86_399 }));
  },
  /** 200 with a web page instead of a token. */
  garbage: ({ res }) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>Welcome to the captive portal</body></html>');
  },
  /** 200 with JSON that holds a token-like value under another name. */
  'no-access-token': ({ res }) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: 'leaky-token-value', expires_in: 10 }));
  },
  'expires-zero': ({ res }) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: 'short-lived', token_type: 'bearer', expires_in: 0 }));
  },
  /** A token that cannot be sent as a header. */
  'unsendable-token': ({ res }) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: 'abc\r\nx-injected: 1', expires_in: 3600 }));
  },
  /** An endless 200 body: written as long as the client reads. */
  endless: (ctx) => {
    ctx.res.writeHead(200, { 'content-type': 'application/json' });
    const block = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!ctx.res.destroyed && ctx.res.write(block)) served.tokenBytes += block.length;
    };
    ctx.res.on('drain', pump);
    pump();
  },
} satisfies Record<string, Mode>;

/** Bytes the `endless` token mode managed to hand to the socket (shared by all servers: tests run one at a time). */
const served = { tokenBytes: 0 };

export type StreamModeName = keyof typeof STREAM_MODES;
export type TokenModeName = keyof typeof TOKEN_MODES;

export interface HostileUpstream {
  /** The stream URL (`/api/1/stream/x`). */
  streamUrl: string;
  tokenUrl: string;
  origin: string;
  /** Modes for the next stream connections, in order; the last one repeats. */
  streamModes: StreamModeName[];
  tokenModes: TokenModeName[];
  /** Stream connection attempts (redirect hops included), oldest first. */
  streams: HostileRequest[];
  tokens: HostileRequest[];
  /** Stream connections open right now. */
  open(): number;
  /** Cuts every open stream connection (a loss, as the relay sees it). */
  dropAll(): void;
  tokenBytesServed(): number;
  close(): Promise<void>;
}

export async function startHostileUpstream(
  streamModes: StreamModeName[] = ['healthy'],
  tokenModes: TokenModeName[] = ['ok'],
): Promise<HostileUpstream> {
  const timers = new Set<ReturnType<typeof setInterval>>();
  const streams: HostileRequest[] = [];
  const tokens: HostileRequest[] = [];
  let open = 0;
  const live = new Set<http.ServerResponse>();
  let origin = '';
  let otherHostOrigin = '';
  const upstream: HostileUpstream = {
    streamUrl: '',
    tokenUrl: '',
    origin: '',
    streamModes,
    tokenModes,
    streams,
    tokens,
    open: () => open,
    dropAll: () => {
      for (const res of live) res.destroy();
    },
    tokenBytesServed: () => served.tokenBytes,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const pick = <T>(list: T[], index: number): T => list[Math.min(index, list.length - 1)]!;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
    const ctx: Ctx = {
      req,
      res,
      origin,
      otherHostOrigin,
      closed,
      every: (ms, fn) => {
        const timer = setInterval(() => {
          if (res.destroyed) clearInterval(timer);
          else fn();
        }, ms);
        timers.add(timer);
        void closed.then(() => clearInterval(timer));
      },
    };
    const entry = { at: Date.now(), path: req.url ?? '/', headers: req.headers };
    if (path === '/ims/token') {
      tokens.push(entry);
      req.resume();
      TOKEN_MODES[pick(upstream.tokenModes, tokens.length - 1)](ctx);
      return;
    }
    streams.push(entry);
    open++;
    live.add(res);
    void closed.then(() => {
      open--;
      live.delete(res);
    });
    STREAM_MODES[pick(upstream.streamModes, streams.length - 1)](ctx);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  otherHostOrigin = `http://localhost:${port}`;
  upstream.origin = origin;
  upstream.streamUrl = `${origin}/api/1/stream/x`;
  upstream.tokenUrl = `${origin}/ims/token`;
  return upstream;
}
