import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../api/server.ts';
import { loadConfig } from '../config.ts';
import { createRelay, type Relay, type RelayDeps } from '../relay.ts';

/** Test helpers: a real relay on an ephemeral port, and a real SSE reader. Not used in production. */

export interface TestRelay {
  relay: Relay;
  app: FastifyInstance;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestRelay(env: Record<string, string> = {}, deps: RelayDeps = {}): Promise<TestRelay> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'lsm-test-'));
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    SIM_CHURN_WINDOW_S: '0',
    RECONNECT_COOLDOWN_S: '1',
    // The client-credentials grant needs ADOBE_SCOPES; unused when the grant is not.
    ADOBE_SCOPES: 'openid',
    ...env,
  });
  const relay = await createRelay(config, '0.0.0-test', deps);
  const app = await createServer(relay);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    relay,
    app,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    async close() {
      await relay.stop();
      await app.close();
    },
  };
}

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

export interface SseReader {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: SseEvent[];
  /** Everything received, comments included. */
  raw(): string;
  waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
  closed: Promise<void>;
}

/** Opens `/api/stream` and parses events as EventSource would. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } });
    req.on('error', reject);
    req.on('response', (res) => {
      const events: SseEvent[] = [];
      let raw = '';
      let buffer = '';
      const waiters = new Set<() => void>();
      let closeResolve: () => void = () => undefined;
      const closed = new Promise<void>((r) => (closeResolve = r));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon === -1 ? line : line.slice(0, colon);
            const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') event.event = value;
            else if (field === 'id') event.id = value;
            else if (field === 'data') {
              event.data += (hasData ? '\n' : '') + value;
              hasData = true;
            }
          }
          if (hasData) events.push(event);
        }
        for (const wake of waiters) wake();
      });
      res.on('close', () => {
        closeResolve();
        for (const wake of waiters) wake();
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        raw: () => raw,
        closed,
        close: () => {
          req.destroy();
        },
        waitFor(predicate, timeoutMs = 10_000) {
          return new Promise<void>((done, fail) => {
            if (predicate(events)) return done();
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`SSE wait timed out; got ${events.map((e) => e.event).join(',')}`));
            }, timeoutMs);
            const check = () => {
              if (predicate(events)) {
                clearTimeout(timer);
                waiters.delete(check);
                done();
              }
            };
            waiters.add(check);
          });
        },
      });
    });
  });
}

/** `hits` event payloads, flattened to their seqs. */
export function seqsOf(events: SseEvent[]): number[] {
  return events
    .filter((e) => e.event === 'hits')
    .flatMap((e) => (JSON.parse(e.data) as { hits: { seq: number }[] }).hits.map((h) => h.seq));
}
