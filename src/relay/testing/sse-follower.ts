import http from 'node:http';

/**
 * A browser-like SSE client for tests and benchmarks: reads `/api/stream`, and when the stream
 * ends or breaks (a relay killed, restarted, a proxy moving it), connects again after `retryMs`
 * with `Last-Event-ID`, as `EventSource` and the dashboard's stream link do. Keeps every `hits`
 * event's seqs, every `reset`, and the receipt time of each hit.
 */

export interface FollowedHit {
  seq: number;
  hitId: string;
  arrivedAt: number;
  receivedAt: number;
}

export interface SseFollower {
  hits: FollowedHit[];
  resets: number;
  connects: number;
  lastEventId(): string | undefined;
  stop(): void;
}

export function followSse(url: string, options: { retryMs?: number } = {}): SseFollower {
  const state: SseFollower = {
    hits: [],
    resets: 0,
    connects: 0,
    lastEventId: () => lastId,
    stop,
  };
  let lastId: string | undefined;
  let stopped = false;
  let request: http.ClientRequest | undefined;
  let timer: NodeJS.Timeout | undefined;

  function connect(): void {
    if (stopped) return;
    state.connects++;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastId) headers['last-event-id'] = lastId;
    request = http.get(url, { headers }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        res.on('end', again);
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          event(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      });
      res.on('end', again);
      res.on('error', again);
    });
    request.on('error', again);
  }

  let scheduled = false;
  function again(): void {
    if (stopped || scheduled) return;
    scheduled = true;
    timer = setTimeout(() => {
      scheduled = false;
      connect();
    }, options.retryMs ?? 250);
  }

  function event(block: string): void {
    let name = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (id !== undefined) lastId = id;
    if (name === 'reset') state.resets++;
    if (name !== 'hits') return;
    const receivedAt = Date.now();
    const body = JSON.parse(data.join('\n')) as { hits: { seq: number; hitId: string; arrivedAt: number }[] };
    for (const hit of body.hits)
      state.hits.push({ seq: hit.seq, hitId: hit.hitId, arrivedAt: hit.arrivedAt, receivedAt });
  }

  function stop(): void {
    stopped = true;
    if (timer) clearTimeout(timer);
    request?.destroy();
  }

  connect();
  return state;
}
