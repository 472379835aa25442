import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { NGINX_SITE, nginxBinary, renderSite, startNginx, type TestNginx } from './nginx.ts';
import { openSse, startTestRelay } from './relay-harness.ts';

/**
 * Socket-level, issue 15 (several relays behind nginx): Debian's nginx runs on loopback with the
 * committed deploy/nginx/livestream-monitor.conf in front of small fake relays that report what
 * reached them, and of one real relay. The event stream passes event by event (no buffering),
 * requests are spread over the relays and move to another when one is down or dropped from the
 * configuration, and the headers the relay depends on (Host with its port, Last-Event-ID,
 * X-Forwarded-For) arrive as the browser sent them.
 */

const nginx = nginxBinary();
if (!nginx.path) console.warn(`skipping the nginx tests: ${nginx.reason}`);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch {
      // the next cleanup still runs
    }
  }
});

/** What a fake relay saw of one request. */
interface Seen {
  path: string;
  headers: http.IncomingHttpHeaders;
}

interface FakeRelay {
  name: string;
  /** `127.0.0.1:<port>`, as nginx's `server` line wants it. */
  address: string;
  seen: Seen[];
  /** Bytes of the last `?flood` stream that left the relay (written, not waiting in its buffer). */
  floodAbsorbed(): number;
  stop(): Promise<void>;
}

const EVENT_EVERY_MS = 50;
const EVENTS = 20;
const FLOOD_BYTES = 64 * 1024 * 1024;

/**
 * A stand-in relay: `/api/stream` sends an SSE event every 50 ms (20, then ends), without the
 * `X-Accel-Buffering: no` the real relay adds, so that only the configuration keeps nginx from
 * buffering; any other path answers JSON naming the relay and echoing the request's headers.
 */
async function startFakeRelay(name: string): Promise<FakeRelay> {
  const seen: Seen[] = [];
  const flood = { absorbed: () => 0 };
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '/', headers: req.headers });
    if (req.url === '/api/stream?flood') {
      // As fast as the connection takes it, up to FLOOD_BYTES: what nginx accepts while its
      // client reads nothing.
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = Buffer.from(`data: ${'x'.repeat(64 * 1024 - 8)}\n\n`);
      let written = 0;
      flood.absorbed = () => written - res.writableLength;
      const pump = () => {
        while (written < FLOOD_BYTES && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (written >= FLOOD_BYTES) res.end();
      };
      pump();
      return;
    }
    if (req.url?.startsWith('/api/stream')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      let n = 0;
      const timer = setInterval(() => {
        n++;
        res.write(`id: ${name}-${n}\nevent: tick\ndata: ${JSON.stringify({ relay: name, n })}\n\n`);
        if (n === EVENTS) {
          clearInterval(timer);
          timers.delete(timer);
          res.end();
        }
      }, EVENT_EVERY_MS);
      timers.add(timer);
      req.on('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ relay: name, headers: req.headers }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let stopped = false;
  const stop = () => {
    if (stopped) return Promise.resolve();
    stopped = true;
    for (const timer of timers) clearInterval(timer);
    return new Promise<void>((resolve) => {
      server.close(() => resolve());
      // nginx keeps idle connections to its upstreams: a stopped relay closes them too.
      server.closeAllConnections();
    });
  };
  cleanups.push(stop);
  return {
    name,
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    floodAbsorbed: () => flood.absorbed(),
    stop,
  };
}

async function frontedBy(upstreams: string[]): Promise<TestNginx> {
  const proxy = await startNginx({ upstreams });
  cleanups.push(() => proxy.stop());
  return proxy;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on its own connection; `host` replaces the Host header (fetch cannot set it). */
function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const relayOf = (answer: Answer) => (JSON.parse(answer.body) as { relay: string }).relay;

/** An event as it arrived: when (ms after the request was sent) and what. */
interface Arrival {
  at: number;
  id: string;
}

/** Reads a whole event stream, noting when each event arrived and when the response ended. */
function readStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; events: Arrival[]; endedAt: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      const events: Arrival[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now() - started;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const id = /^id: (.*)$/m.exec(buffer.slice(0, end))?.[1];
          buffer = buffer.slice(end + 2);
          if (id !== undefined) events.push({ at, id });
        }
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, events, endedAt: performance.now() - started }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

describe('renderSite', () => {
  const template = readFileSync(NGINX_SITE, 'utf8');

  it('replaces the listen address and the relays, keeping the rest of the committed file', () => {
    const rendered = renderSite(template, '127.0.0.1:4321', ['127.0.0.1:1111', '[::1]:2222', 'relay-3.internal:8081']);
    expect(rendered).toMatch(/^\s*listen 127\.0\.0\.1:4321;$/m);
    expect(rendered).not.toMatch(/127\.0\.0\.1:808[012]/);
    const servers = rendered.match(/^\s*server \S+ max_fails=1 fail_timeout=10s;$/gm) ?? [];
    expect(servers.map((line) => line.trim().split(' ')[1])).toEqual([
      '127.0.0.1:1111',
      '[::1]:2222',
      'relay-3.internal:8081',
    ]);
    // Everything but those lines is the template's.
    const strip = (text: string) =>
      text
        .split('\n')
        .filter((line) => !/^\s*(listen|server) /.test(line))
        .join('\n');
    expect(strip(rendered)).toBe(strip(template));
  });

  it('refuses what would not be one host:port, so nothing can be slipped into the configuration', () => {
    expect(() => renderSite(template, '127.0.0.1:1', [])).toThrow(/at least one/);
    expect(() => renderSite(template, '127.0.0.1:1', ['127.0.0.1:1; evil'])).toThrow(/host:port/);
    expect(() => renderSite(template, '127.0.0.1:1', ['127.0.0.1'])).toThrow(/host:port/);
  });

  it('fails loudly when the template lost what it replaces', () => {
    expect(() => renderSite(template.replace('upstream livestream_relays', 'upstream other'), 'a:1', ['b:2'])).toThrow(
      /upstream livestream_relays/,
    );
    expect(() => renderSite(template.replace(/^\s*listen .*$/gm, ''), 'a:1', ['b:2'])).toThrow(/listen/);
  });
});

describe.skipIf(!nginx.path)("Debian's nginx with deploy/nginx/livestream-monitor.conf", () => {
  it('passes each SSE event on as the relay writes it', async () => {
    const relay = await startFakeRelay('a');
    const proxy = await frontedBy([relay.address]);

    // gzip asked for: the stream must come through uncompressed all the same.
    const stream = await readStream(`${proxy.url}/api/stream`, { 'accept-encoding': 'gzip' });

    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream');
    expect(stream.headers['content-encoding']).toBeUndefined();
    expect(stream.events.map((event) => event.id)).toEqual(Array.from({ length: EVENTS }, (_, i) => `a-${i + 1}`));
    const first = stream.events[0]!;
    const last = stream.events.at(-1)!;
    expect(first.at).toBeLessThan(1000);
    // Buffered, they would come together at the end; passed on, they come spread over the ~1 s
    // the relay takes to write them, most of them well before the response ends.
    expect(last.at - first.at).toBeGreaterThan((EVENTS - 1) * EVENT_EVERY_MS * 0.6);
    expect(new Set(stream.events.map((event) => Math.round(event.at / 10))).size).toBeGreaterThan(EVENTS / 4);
    expect(stream.events.filter((event) => event.at < stream.endedAt - 200).length).toBeGreaterThanOrEqual(5);
  });

  it("leaves a browser that does not read to the relay's back-pressure, not to nginx's disk", async () => {
    const relay = await startFakeRelay('a');
    const proxy = await frontedBy([relay.address]);

    const req = http.get(`${proxy.url}/api/stream?flood`, { agent: false });
    cleanups.push(() => void req.destroy());
    const res = await new Promise<http.IncomingMessage>((resolve) => req.once('response', resolve));
    res.pause();
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // Unbuffered, only the sockets' buffers on both sides of nginx fill (a few MB on loopback)
    // and then the relay's writes wait, so its slow-subscriber rule sees the browser as it is.
    // Buffered, nginx would take all 64 MB within the 1.5 s, into a temp file.
    expect(relay.floodAbsorbed()).toBeGreaterThan(0);
    expect(relay.floodAbsorbed()).toBeLessThan(FLOOD_BYTES / 2);
  });

  it('spreads requests over the relays and moves to the other when one is down', async () => {
    const a = await startFakeRelay('a');
    const b = await startFakeRelay('b');
    const proxy = await frontedBy([a.address, b.address]);

    const spread: string[] = [];
    for (let i = 0; i < 8; i++) spread.push(relayOf(await request(`${proxy.url}/api/status`)));
    expect(new Set(spread)).toEqual(new Set(['a', 'b']));

    await a.stop();
    for (let i = 0; i < 8; i++) {
      const answer = await request(`${proxy.url}/api/status`);
      expect(answer.status).toBe(200);
      expect(relayOf(answer)).toBe('b');
    }
    // A browser's event stream too: its connect moves to the live relay.
    for (let i = 0; i < 3; i++) {
      const stream = await readStream(`${proxy.url}/api/stream`);
      expect(stream.status).toBe(200);
      expect(stream.events[0]?.id).toBe('b-1');
    }
  });

  it('takes a new list of relays on reload', async () => {
    const a = await startFakeRelay('a');
    const b = await startFakeRelay('b');
    const proxy = await frontedBy([a.address]);
    expect(relayOf(await request(`${proxy.url}/healthz`))).toBe('a');

    await proxy.setUpstreams([b.address]);
    for (let i = 0; i < 4; i++) expect(relayOf(await request(`${proxy.url}/healthz`))).toBe('b');

    await expect(proxy.setUpstreams(['not an address'])).rejects.toThrow(/host:port/);
    expect(relayOf(await request(`${proxy.url}/healthz`))).toBe('b');
  });

  it('passes the Host as the browser sent it, port included, and says who the client is', async () => {
    const relay = await startFakeRelay('a');
    const proxy = await frontedBy([relay.address]);

    for (const host of [`localhost:${proxy.port}`, `127.0.0.1:${proxy.port}`, 'Monitor.Example.com:8443']) {
      const answer = await request(`${proxy.url}/api/status`, { headers: { host } });
      expect(answer.status).toBe(200);
      expect(relay.seen.at(-1)!.headers.host).toBe(host);
    }
    const { headers } = relay.seen.at(-1)!;
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('Monitor.Example.com:8443');
    // HTTP/1.1 kept alive to the relay, never `Connection: close`.
    expect(headers.connection).toBeUndefined();
  });

  it('passes Last-Event-ID on to the relay, so a moved browser resumes', async () => {
    const relay = await startFakeRelay('a');
    const proxy = await frontedBy([relay.address]);

    await readStream(`${proxy.url}/api/stream`, { 'last-event-id': 'r1a2b3c-42' });
    await readStream(`${proxy.url}/api/stream?lastEventId=r1a2b3c-43`);

    const streams = relay.seen.filter((seen) => seen.path.startsWith('/api/stream'));
    expect(streams[0]!.headers['last-event-id']).toBe('r1a2b3c-42');
    expect(streams[1]!.path).toBe('/api/stream?lastEventId=r1a2b3c-43');
  });

  it("keeps the real relay's Host and Origin rules working through it", async () => {
    const relay = await startTestRelay();
    cleanups.push(async () => {
      await relay.close();
      rmSync(relay.dataDir, { recursive: true, force: true });
    });
    const proxy = await frontedBy([new URL(relay.url).host]);
    const own = `127.0.0.1:${proxy.port}`;

    const status = await request(`${proxy.url}/api/status`, { headers: { host: own } });
    expect(status.status).toBe(200);

    // The dashboard's own POST (Origin = nginx's origin) passes the Origin rule: 404 for an unknown
    // Problem, not 403. With `$host` (port dropped) instead of `$http_host` it would be refused.
    const ack = await request(`${proxy.url}/api/problems/no-such-problem/ack`, {
      method: 'POST',
      headers: { host: own, origin: `http://${own}` },
    });
    expect(ack.status).toBe(404);
    const foreign = await request(`${proxy.url}/api/problems/no-such-problem/ack`, {
      method: 'POST',
      headers: { host: own, origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);

    // A public name reaches the relay as such: without DASHBOARD_PASSWORD it is refused (421).
    const named = await request(`${proxy.url}/api/status`, { headers: { host: 'monitor.example.com' } });
    expect(named.status).toBe(421);

    const sse = await openSse(`${proxy.url}/api/stream`);
    try {
      expect(sse.status).toBe(200);
      expect(sse.headers['content-type']).toMatch(/^text\/event-stream/);
      await sse.waitFor((events) => events.some((event) => event.event === 'hello'));
    } finally {
      sse.close();
    }
  });
});
