import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.ts';
import { openSse, type SseReader } from '../testing/relay-harness.ts';
import { SseHub } from './sse-hub.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function hubServer(options: Partial<ConstructorParameters<typeof SseHub>[0]> = {}) {
  const hub = new SseHub({
    clock: systemClock,
    runId: 'rtest',
    maxUnsentBytes: 1024 * 1024,
    maxBlockedMs: 1_000,
    ...options,
  });
  const server = http.createServer((req, res) =>
    hub.subscribe(res, req.headers['last-event-id'] as string | undefined, () => ({ hello: true })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    hub.close();
    server.closeAllConnections();
    server.close();
  });
  return { hub, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

describe('SseHub', () => {
  it('evicts a reader that stopped reading while a fast reader keeps receiving everything', async () => {
    const { hub, url } = await hubServer();
    const fast: SseReader = await openSse(url);
    cleanups.push(() => fast.close());
    // A paused reader: a raw socket that sends the request and never reads.
    const { port } = new URL(url);
    const paused = net.connect(Number(port), '127.0.0.1');
    paused.write('GET / HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    paused.pause();
    cleanups.push(() => paused.destroy());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hub.clients).toBe(2);

    const payload = { blob: 'x'.repeat(64 * 1024) };
    let sent = 0;
    const started = Date.now();
    while (hub.evicted === 0 && Date.now() - started < 20_000) {
      for (let i = 0; i < 4; i++) {
        sent++;
        hub.publishHits(payload, sent, sent, 1);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(hub.evicted).toBe(1);
    expect(hub.clients).toBe(1);
    for (let i = 0; i < 5; i++) {
      sent++;
      hub.publishHits({ tail: i }, sent, sent, 1);
    }
    await fast.waitFor((events) => events.filter((e) => e.event === 'hits').length === sent, 20_000);
    expect(fast.events.filter((e) => e.event === 'hits').map((e) => e.id)).toEqual(
      Array.from({ length: sent }, (_, i) => `rtest.${i + 1}`),
    );
  });

  it('writes the same bytes to every subscriber, a jittered retry, and a heartbeat comment', async () => {
    const { hub, url } = await hubServer({ heartbeatMs: 100, retryMs: 1000 });
    const a = await openSse(url);
    const b = await openSse(url);
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    const bytes = hub.broadcast('stats', { t: 1, hits: 2 });
    await a.waitFor((events) => events.some((e) => e.event === 'stats'));
    await b.waitFor((events) => events.some((e) => e.event === 'stats'));
    expect(a.raw()).toContain(bytes.toString());
    expect(b.raw()).toContain(bytes.toString());
    const retryA = Number(/^retry: (\d+)/.exec(a.raw())![1]);
    expect(retryA).toBeGreaterThanOrEqual(1000);
    expect(retryA).toBeLessThan(2000);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(a.raw()).toContain(': keep-alive\n\n');
  });
});
