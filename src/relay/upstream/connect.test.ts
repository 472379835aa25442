import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStream, parseRetryAfter, type OpenStream } from './connect.ts';

const servers: http.Server[] = [];

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function readAll(open: OpenStream): Promise<string> {
  const chunks: Uint8Array[] = [];
  await new Promise<void>((resolve, reject) =>
    open.body.listen({
      data: (chunk) => chunks.push(Uint8Array.from(chunk)),
      end: () => resolve(),
      error: (error) => reject(new Error(error.message)),
    }),
  );
  return Buffer.concat(chunks).toString('utf8');
}

const base = { shard: 0, token: 'secret-token', apiKey: 'client-id' };

describe('openStream', () => {
  it('follows a redirect to another origin by hand and sends the headers again', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const second = await serve((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-encoding': 'gzip', 'adobe-request-id': 'req-42' });
      res.end(zlib.gzipSync('{"a":1}\r\n'));
    });
    const first = await serve((req, res) => {
      seen.push(req.headers);
      res.writeHead(302, { location: `${second}/api/1/stream/dc?maxConnections=2` });
      res.end();
    });
    const outcome = await openStream({ ...base, url: `${first}/api/1/stream/x?maxConnections=2` });
    expect(outcome.kind).toBe('open');
    if (outcome.kind !== 'open') return;
    expect(outcome.redirects).toBe(1);
    expect(outcome.url).toBe(`${second}/api/1/stream/dc?maxConnections=2`);
    expect(outcome.requestId).toBe('req-42');
    expect(await readAll(outcome)).toBe('{"a":1}\r\n');
    expect(outcome.compressedBytes()).toBeGreaterThan(0);
    for (const headers of seen) {
      expect(headers.authorization).toBe('Bearer secret-token');
      expect(headers['x-api-key']).toBe('client-id');
      expect(headers['accept-encoding']).toBe('gzip, deflate');
    }
    expect(seen).toHaveLength(2);
  });

  it('sends no x-api-key at all for a static token without a client id', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync('{"a":1}\r\n'));
    });
    const outcome = await openStream({ ...base, apiKey: '', url: `${url}/api/2/stream/x` });
    expect(outcome.kind).toBe('open');
    if (outcome.kind === 'open') outcome.close();
    expect(seen[0]?.authorization).toBe('Bearer secret-token');
    expect(seen[0]).not.toHaveProperty('x-api-key');
  });

  it('gives up after 5 redirects, or a redirect without Location', async () => {
    let hops = 0;
    const loop: string = await serve((_req, res) => {
      hops++;
      res.writeHead(307, { location: `${loop}/again` });
      res.end();
    });
    const outcome = await openStream({ ...base, url: loop });
    expect(outcome).toMatchObject({ kind: 'failure', code: 'too_many_redirects' });
    expect(hops).toBe(6);
    const bare = await serve((_req, res) => {
      res.writeHead(302);
      res.end();
    });
    expect(await openStream({ ...base, url: bare })).toMatchObject({
      kind: 'failure',
      code: 'too_many_redirects',
      message: 'redirect 302 without a Location',
    });
  });

  it('never sends the credentials where the trust rule forbids: another host, another scheme, an unreadable Location', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    let port = '';
    const locations = ['http://[::1', 'file:///etc/passwd', 'ftp://127.0.0.1/x', 'http://localhost:PORT/x'];
    for (const location of locations) {
      seen.length = 0;
      const url: string = await serve((req, res) => {
        seen.push(req.headers);
        res.writeHead(302, { location: location.replace('PORT', port) });
        res.end();
      });
      port = new URL(url).port;
      const outcome = await openStream({ ...base, url: `${url}/api/1/stream/x` });
      expect(outcome).toMatchObject({ kind: 'failure', code: 'untrusted_redirect' });
      // Only the first request was made: nothing was followed.
      expect(seen).toHaveLength(1);
    }
  });

  it('follows a redirect to a host of LIVESTREAM_REDIRECT_HOSTS', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const target = await serve((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync('{"a":1}\r\n'));
    });
    const port = new URL(target).port;
    const first = await serve((_req, res) => {
      res.writeHead(302, { location: `http://localhost:${port}/api/1/stream/x` });
      res.end();
    });
    const outcome = await openStream({ ...base, url: `${first}/api/1/stream/x`, redirectHosts: ['localhost'] });
    expect(outcome.kind).toBe('open');
    if (outcome.kind === 'open') outcome.close();
    expect(seen[0]?.authorization).toBe('Bearer secret-token');
  });

  it('turns TCP keep-alive on for the stream socket', async () => {
    const spy = vi.spyOn(net.Socket.prototype, 'setKeepAlive');
    try {
      const url = await serve((_req, res) => {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.end(zlib.gzipSync('{"a":1}\r\n'));
      });
      const outcome = await openStream({ ...base, url });
      if (outcome.kind === 'open') outcome.close();
      expect(spy).toHaveBeenCalledWith(true, expect.any(Number));
    } finally {
      spy.mockRestore();
    }
  });

  it('counts the bytes on the socket, not only the body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      const gzip = zlib.createGzip();
      gzip.pipe(res);
      gzip.write('{"a":1}\r\n');
      gzip.flush(() => gzip.end());
    });
    const outcome = await openStream({ ...base, url });
    if (outcome.kind !== 'open') throw new Error('not open');
    await readAll(outcome);
    expect(outcome.socketBytes()).toBeGreaterThan(outcome.compressedBytes());
    outcome.close();
  });

  it('bounds an error body that decompresses to far more than it weighs', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(503, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
      res.end(zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x41)));
    });
    const outcome = await openStream({ ...base, url });
    expect(outcome.kind).toBe('http-error');
    if (outcome.kind === 'http-error') expect(outcome.body.length).toBeLessThanOrEqual(256 * 1024);
  });

  it('decompresses deflate too', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'deflate' });
      res.end(zlib.deflateSync('{"b":2}\n'));
    });
    const outcome = await openStream({ ...base, url });
    expect(outcome.kind === 'open' && (await readAll(outcome))).toBe('{"b":2}\n');
  });

  it('reads an error answer: status, compressed body, Retry-After and request id', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(503, {
        'content-encoding': 'gzip',
        'content-type': 'application/json',
        'retry-after': '120',
        'x-request-id': 'r-1',
      });
      res.end(zlib.gzipSync('{"error":"service_unavailable","error_description":"no hits"}'));
    });
    expect(await openStream({ ...base, url })).toEqual({
      kind: 'http-error',
      status: 503,
      url: `${url}/`,
      redirects: 0,
      requestId: 'r-1',
      retryAfterS: 120,
      contentType: 'application/json',
      body: '{"error":"service_unavailable","error_description":"no hits"}',
    });
  });

  it('classifies a refused port and a header timeout', async () => {
    const closed = await serve(() => undefined);
    const port = new URL(closed).port;
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const refused = await openStream({ ...base, url: `http://127.0.0.1:${port}/` });
    expect(refused).toMatchObject({ kind: 'failure', code: 'network_connection_failure' });
    expect(refused.kind === 'failure' && refused.message).toMatch(/ECONNREFUSED/);

    const silent = await serve(() => undefined);
    const started = Date.now();
    expect(await openStream({ ...base, url: silent, headerTimeoutMs: 200 })).toMatchObject({
      kind: 'failure',
      code: 'network_connection_timeout',
      message: 'no response headers within 200 ms',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops an attempt when aborted', async () => {
    const silent = await serve(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await openStream({ ...base, url: silent, signal: controller.signal })).toMatchObject({
      kind: 'failure',
      message: 'aborted: the relay is stopping',
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(new Date(1_000_000 + 30_000).toUTCString(), 1_000_000)).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
