/**
 * The fan-out suite's same-run baseline: a bare Node SSE server with no ingest, no relay, that
 * writes one `hits` event every `intervalMs` to every client: as many hits and bytes per second
 * as the relay's feed carries, each hit's `arrivedAt` set to the moment of sending. The client
 * pool's delay against it is what this machine, loopback TCP and the pool itself cost; what the
 * relay adds on top is the relay's.
 *
 *   node --import tsx bench/lib/floor-server.ts <intervalMs> <hitsPerS> <bytesPerHit>
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const [intervalArg, rateArg, bytesArg] = process.argv.slice(2);
const intervalMs = Number(intervalArg ?? 200);
const rate = Number(rateArg ?? 1000);
const bytesPerHit = Number(bytesArg ?? 480);
const clients = new Set<http.ServerResponse>();
const filler = 'x'.repeat(Math.max(0, bytesPerHit - 40));
let seq = 0;
let carry = 0;
let last = performance.now();

const server = http.createServer((req, res) => {
  if (!req.url?.startsWith('/api/stream')) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.socket?.setNoDelay(true);
  res.write('retry: 2000\n\n');
  clients.add(res);
  res.on('close', () => clients.delete(res));
});

function tick(): void {
  const now = performance.now();
  carry += ((now - last) / 1000) * rate;
  last = now;
  const n = Math.floor(carry);
  carry -= n;
  if (n > 0) {
    const at = Date.now();
    const hits = [];
    for (let i = 0; i < n; i++) hits.push({ seq: ++seq, arrivedAt: at, pad: filler });
    const bytes = Buffer.from(`event: hits\nid: floor.${seq}\ndata: ${JSON.stringify({ hits })}\n\n`);
    for (const res of clients) res.write(bytes);
  }
  setTimeout(tick, intervalMs);
}

server.listen(0, '127.0.0.1', () => {
  console.log(`FLOOR http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  setTimeout(tick, intervalMs);
});
process.on('SIGTERM', () => process.exit(0));
