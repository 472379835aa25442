/**
 * A pool of SSE clients in a process of its own (started by the fan-out suite with an IPC
 * channel): plain `http` requests to `/api/stream`, parsed at the byte level. Every `hits` event
 * is parsed once per event id (all clients get the same bytes), and each client's receipt time
 * gives one delivery delay per hit: receipt − `hit.arrivedAt` (both on this machine's clock).
 * Also a "transit" delay per event: receipt − the newest `arrivedAt` of the batch, which leaves
 * out the time a hit waited in the relay's feed batch.
 *
 * Messages in: open, slow, stop-reading, window, report, close. Out: the answers below.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Histogram } from './lib/histogram.ts';
import { BlockSplitter, readFrame } from './lib/sse-frames.ts';

export type PoolRequest =
  | { type: 'open'; url: string; count: number }
  | { type: 'slow'; url: string }
  | { type: 'stop-reading' }
  | { type: 'window' }
  | { type: 'report'; reset?: boolean }
  | { type: 'close' };

export interface PoolReport {
  type: 'report';
  windowMs: number;
  delay: [number, number][];
  delayMax: number;
  transit: [number, number][];
  transitMax: number;
  events: number;
  hitsDelivered: number;
  bytes: number;
  sampledEvents: number;
  resets: number;
  open: number;
  closed: number;
  /** CPU seconds this pool process used during the window. */
  cpuS: number;
  /** Distinct hits events seen in the window (every client should see each). */
  distinctEvents: number;
}

export type PoolAnswer =
  | { type: 'opened'; open: number; failed: number; errors: string[] }
  | { type: 'slow-opened'; localPort: number }
  | { type: 'slow-closed'; at: number }
  | PoolReport
  | { type: 'error'; message: string };

interface Batch {
  arrived: Float64Array;
  newest: number;
  firstSeen: number;
}

const batches = new Map<string, Batch>();
const clients = new Set<http.ClientRequest>();
let closed = 0;
let delay = new Histogram();
let transit = new Histogram();
let windowStart = performance.now();
let cpuStart = process.cpuUsage();
let events = 0;
let hitsDelivered = 0;
let bytes = 0;
let sampledEvents = 0;
let resets = 0;
const windowEvents = new Set<string>();

const now = () => performance.timeOrigin + performance.now();

function batchOf(id: string, block: Buffer, dataStart: number, dataEnd: number, at: number): Batch {
  let batch = batches.get(id);
  if (batch) return batch;
  const text = block.toString('utf8', dataStart, dataEnd);
  const data = JSON.parse(text) as { hits: { arrivedAt: number }[]; sampled?: unknown };
  const arrived = new Float64Array(data.hits.length);
  let newest = 0;
  for (let i = 0; i < data.hits.length; i++) {
    const a = data.hits[i]!.arrivedAt;
    arrived[i] = a;
    if (a > newest) newest = a;
  }
  if (data.sampled) sampledEvents++;
  batch = { arrived, newest, firstSeen: at };
  batches.set(id, batch);
  return batch;
}

function onBlock(block: Buffer, at: number): void {
  const head = readFrame(block);
  if (!head) return;
  if (head.event === 'reset') resets++;
  if (head.event !== 'hits' || !head.id) return;
  const batch = batchOf(head.id, block, head.dataStart, head.dataEnd, at);
  events++;
  windowEvents.add(head.id);
  const { arrived } = batch;
  for (let i = 0; i < arrived.length; i++) delay.add(at - arrived[i]!);
  hitsDelivered += arrived.length;
  transit.add(at - batch.newest);
}

function open(url: string, onOpen: (ok: boolean, error?: string) => void, slow = false): http.ClientRequest {
  const splitter = new BlockSplitter();
  const req = http.get(`${url}/api/stream`, { agent: false, headers: { accept: 'text/event-stream' } });
  clients.add(req);
  let settled = false;
  const settle = (ok: boolean, error?: string) => {
    if (settled) return;
    settled = true;
    onOpen(ok, error);
  };
  req.on('error', (error) => settle(false, error.message));
  req.on('close', () => {
    if (clients.delete(req)) closed++;
    if (slow) send({ type: 'slow-closed', at: now() });
  });
  req.on('response', (res) => {
    if (res.statusCode !== 200) {
      settle(false, `status ${res.statusCode}`);
      res.resume();
      return;
    }
    settle(true);
    res.on('data', (chunk: Buffer) => {
      if (slow) return;
      const at = now();
      bytes += chunk.length;
      splitter.push(chunk, (block) => onBlock(block, at));
    });
  });
  return req;
}

function send(message: PoolAnswer): void {
  process.send?.(message);
}

let slowReq: http.ClientRequest | undefined;

process.on('message', (raw: PoolRequest) => {
  switch (raw.type) {
    case 'open': {
      let pending = raw.count;
      let failed = 0;
      const errors: string[] = [];
      // In waves, so the relay's listen backlog is not flooded.
      const wave = (left: number) => {
        const n = Math.min(50, left);
        for (let i = 0; i < n; i++) {
          open(raw.url, (ok, error) => {
            if (!ok) {
              failed++;
              if (errors.length < 5 && error) errors.push(error);
            }
            if (--pending === 0) send({ type: 'opened', open: clients.size, failed, errors });
          });
        }
        if (left > n) setTimeout(() => wave(left - n), 20);
      };
      if (raw.count === 0) send({ type: 'opened', open: clients.size, failed: 0, errors: [] });
      else wave(raw.count);
      break;
    }
    case 'slow': {
      slowReq = open(
        raw.url,
        (ok, error) => {
          if (!ok) send({ type: 'error', message: `slow client: ${error ?? 'failed'}` });
          else send({ type: 'slow-opened', localPort: (slowReq!.socket!.address() as AddressInfo).port });
        },
        true,
      );
      break;
    }
    case 'stop-reading': {
      // Stop reading the socket: the kernel buffers fill, then the relay's writes stop draining.
      slowReq?.socket?.pause();
      const res = (slowReq as unknown as { res?: http.IncomingMessage } | undefined)?.res;
      res?.pause();
      break;
    }
    case 'window': {
      resetWindow();
      break;
    }
    case 'report': {
      const cpu = process.cpuUsage(cpuStart);
      send({
        type: 'report',
        windowMs: performance.now() - windowStart,
        delay: delay.sparse(),
        delayMax: delay.max,
        transit: transit.sparse(),
        transitMax: transit.max,
        events,
        hitsDelivered,
        bytes,
        sampledEvents,
        resets,
        open: clients.size,
        closed,
        cpuS: (cpu.user + cpu.system) / 1e6,
        distinctEvents: windowEvents.size,
      });
      if (raw.reset) resetWindow();
      break;
    }
    case 'close': {
      for (const req of clients) req.destroy();
      setTimeout(() => process.exit(0), 100);
      break;
    }
  }
});

function resetWindow(): void {
  delay = new Histogram();
  transit = new Histogram();
  windowStart = performance.now();
  cpuStart = process.cpuUsage();
  events = 0;
  hitsDelivered = 0;
  bytes = 0;
  sampledEvents = 0;
  resets = 0;
  windowEvents.clear();
}

// Forget batches every client has had time to receive.
setInterval(() => {
  const cutoff = now() - 30_000;
  for (const [id, batch] of batches) if (batch.firstSeen < cutoff) batches.delete(id);
}, 5_000).unref();

process.on('disconnect', () => process.exit(0));
