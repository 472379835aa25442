import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.ts';
import { openSse, type SseReader } from '../testing/relay-harness.ts';
import type { HitSummary } from '../../contract/index.ts';
import { Broadcaster } from '../../core/hub/broadcaster.ts';
import { subscribeResponse } from './response-sink.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function hubServer(options: Partial<ConstructorParameters<typeof Broadcaster>[0]> = {}) {
  const hub = new Broadcaster({
    clock: systemClock,
    runId: 'rtest',
    maxUnsentBytes: 1024 * 1024,
    maxBlockedMs: 1_000,
    ...options,
  });
  const server = http.createServer((req, res) =>
    subscribeResponse(hub, res, req.headers['last-event-id'] as string | undefined, () => ({ hello: true })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    hub.close();
    server.closeAllConnections();
    server.close();
  });
  return { hub, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

describe('Broadcaster over Node responses', () => {
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

  it("replays far more than the live bound at the reader's pace, never evicting it for its own catch-up", async () => {
    const { hub, url } = await hubServer({ replay: { maxBytes: 64 * 1024 * 1024 } });
    const blob = 'x'.repeat(100 * 1024);
    // 10 MB of replay, ten times the live bound of this hub.
    for (let seq = 1; seq <= 100; seq++) hub.publishHits({ blob }, seq, seq, 1);
    const reader = await openSse(url, { 'last-event-id': 'rtest.0' });
    cleanups.push(() => reader.close());
    for (let seq = 101; seq <= 105; seq++) hub.publishHits({ live: seq }, seq, seq, 1);
    await reader.waitFor((events) => events.filter((e) => e.event === 'hits').length === 105, 15_000);
    expect(hub.evicted).toBe(0);
    expect(reader.events.filter((e) => e.event === 'hits').map((e) => e.id)).toEqual(
      Array.from({ length: 105 }, (_, i) => `rtest.${i + 1}`),
    );
  });

  it('still drops a reader that takes nothing of its replay, after the blocked time', async () => {
    const { hub, url } = await hubServer({ replay: { maxBytes: 64 * 1024 * 1024 }, maxBlockedMs: 300 });
    for (let seq = 1; seq <= 100; seq++) hub.publishHits({ blob: 'x'.repeat(100 * 1024) }, seq, seq, 1);
    const { port } = new URL(url);
    const paused = net.connect(Number(port), '127.0.0.1');
    paused.write('GET / HTTP/1.1\r\nHost: x\r\nLast-Event-ID: rtest.0\r\n\r\n');
    paused.pause();
    cleanups.push(() => paused.destroy());
    const started = Date.now();
    while (hub.evicted === 0 && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hub.evicted).toBe(1);
  });

  it('splits a feed batch whose event would be too big, each part naming its seq range', async () => {
    const { hub, url } = await hubServer({ maxEventBytes: 64 * 1024 });
    const reader = await openSse(url);
    cleanups.push(() => reader.close());
    const hits: HitSummary[] = [];
    // Seqs 1..400 arrived; every other one was kept (sampled), each summary ~1 KB.
    for (let seq = 2; seq <= 400; seq += 2) {
      hits.push({ seq, hitId: `1-${seq}`, shard: 0, arrivedAt: 0, pageName: 'p'.repeat(1_000) });
    }
    hub.publishBatch({ hits, firstSeq: 1, lastSeq: 400, sampled: { kept: 200, total: 400 } });
    await reader.waitFor((events) => events.some((e) => e.id === 'rtest.400'));
    const parts = reader.events.filter((e) => e.event === 'hits');
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(part.data.length).toBeLessThanOrEqual(64 * 1024);
    const data = parts.map(
      (e) => JSON.parse(e.data) as { hits: HitSummary[]; sampled: { kept: number; total: number } },
    );
    expect(data.flatMap((d) => d.hits.map((h) => h.seq))).toEqual(hits.map((h) => h.seq));
    expect(data.reduce((sum, d) => sum + d.sampled.total, 0)).toBe(400);
    expect(data.reduce((sum, d) => sum + d.sampled.kept, 0)).toBe(200);
    const ids = parts.map((e) => Number(e.id!.split('.')[1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.at(-1)).toBe(400);
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
    expect(a.raw()).toContain(new TextDecoder().decode(bytes));
    expect(b.raw()).toContain(new TextDecoder().decode(bytes));
    const retryA = Number(/^retry: (\d+)/.exec(a.raw())![1]);
    expect(retryA).toBeGreaterThanOrEqual(1000);
    expect(retryA).toBeLessThan(2000);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(a.raw()).toContain(': keep-alive\n\n');
  });
});
