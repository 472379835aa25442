import { http, HttpResponse, sse, type HttpHandler } from 'msw';
import {
  MAX_STATS_WINDOW_S,
  SHARD_STATES,
  TOP_WINDOWS_S,
  isProblem,
  makeProblem,
  type Problem,
  type ProblemInit,
  type SseEventName,
} from '../contract/index.ts';
import { parseIntParam } from '../core/routes/params.ts';
import { reconnectRefusal } from '../core/upstream/reconnect.ts';
import type { MockRelay, StreamSink } from './mock-relay.ts';

/**
 * MSW handlers for every route of the relay (CONTRACT.md §3, §4), answered by a `MockRelay`:
 * the same bodies, statuses, `Retry-After` headers and `{error: Problem}` answers as
 * `src/relay/api/server.ts`. While the scenario says the browser's link is down, the stream
 * fails as a network error and every other route answers 503, as a proxy in front of a
 * stopped relay would.
 */

export interface HandlerOptions {
  /** Origin the routes live on: '' (the page's own, in the browser) or e.g. `http://relay.test` (Node). */
  baseUrl?: string;
  /**
   * How the SSE stream is served: MSW's `sse()` (needs a global `EventSource`, so browsers only),
   * or a plain streamed response written in the relay's own framing. Default: `sse` where
   * `EventSource` exists.
   */
  stream?: 'sse' | 'response';
  /**
   * A new stream closes the ones opened before it. For the browser: the page holds one link to
   * the relay, and a stream the page aborted is never reported to MSW's handler through the
   * service worker, so without this it would stay subscribed (and counted in `clients`).
   */
  oneStreamAtATime?: boolean;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
} as const;

const PROXY_503 =
  '<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>';

function relayProblem(init: Omit<ProblemInit, 'source'>): Problem {
  return makeProblem({ source: 'relay', ...init });
}

/** `{error: Problem}` with the Problem's status, and `Retry-After` for a `retry-after` action. */
function problemResponse(problem: Problem): Response {
  const headers: Record<string, string> = {};
  if (problem.action === 'retry-after' && problem.retryAfter !== undefined) {
    headers['retry-after'] = String(Math.ceil(problem.retryAfter));
  }
  return HttpResponse.json({ error: problem }, { status: problem.status, headers });
}

function lastEventIdOf(request: Request): string | undefined {
  const id = request.headers.get('last-event-id') || new URL(request.url).searchParams.get('lastEventId') || undefined;
  return id?.slice(0, 100);
}

/** Calls `done` once when the browser goes away (aborted request, cancelled body, MSW closing the stream). */
function onGone(request: Request, done: () => void, emitter?: unknown): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    done();
  };
  request.signal.addEventListener('abort', once, { once: true });
  // MSW's SSE client announces its end on an internal emitter (`Symbol.for`, so reachable);
  // without it a closed stream would stay subscribed.
  const on = (emitter as { on?: (type: string, listener: () => void) => unknown } | undefined)?.on;
  if (typeof on === 'function') {
    on.call(emitter, 'close', once);
    on.call(emitter, 'error', once);
  }
}

function sseStream(relay: MockRelay, path: string, oneAtATime: boolean): HttpHandler {
  const open = new Set<() => void>();
  return sse<Record<SseEventName, string>>(path, ({ client, request }) => {
    if (oneAtATime) {
      for (const close of open) close();
      open.clear();
    }
    const sink: StreamSink = {
      retry: (ms) => client.send({ retry: ms }),
      send: (event, data, id) => client.send(id ? { event, data, id } : { event, data }),
      // MSW's client writes events only; the stats event every second keeps the link alive.
      comment: () => undefined,
      error: () => client.error(),
    };
    const unsubscribe = relay.subscribe(sink, lastEventIdOf(request));
    const close = () => {
      open.delete(close);
      unsubscribe();
      client.close();
    };
    open.add(close);
    onGone(request, close, (client as unknown as Record<symbol, unknown>)[Symbol.for('kClientEmitter')]);
  });
}

function responseStream(relay: MockRelay, path: string): HttpHandler {
  return http.get(path, ({ request }) => {
    const encoder = new TextEncoder();
    let unsubscribe: (() => void) | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        let open = true;
        const write = (text: string) => {
          if (!open) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            open = false;
            unsubscribe?.();
          }
        };
        const sink: StreamSink = {
          retry: (ms) => write(`retry: ${ms}\n\n`),
          send: (event, data, id) => write(`event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${data}\n\n`),
          comment: (text) => write(`: ${text}\n\n`),
          error: () => {
            open = false;
            controller.error(new TypeError('the relay link is down'));
          },
        };
        unsubscribe = relay.subscribe(sink, lastEventIdOf(request));
        onGone(request, () => {
          open = false;
          unsubscribe?.();
        });
      },
      cancel() {
        unsubscribe?.();
      },
    });
    return new HttpResponse(body, { status: 200, headers: SSE_HEADERS });
  });
}

function metricsText(relay: MockRelay): string {
  const status = relay.status();
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  const { counters } = status;
  metric('livestream_hits_total', 'counter', 'Distinct hits received from Livestream.', [['', counters.hits]]);
  metric('livestream_duplicates_total', 'counter', 'Duplicate hits dropped (same hit id).', [
    ['', counters.duplicates],
  ]);
  metric('livestream_malformed_records_total', 'counter', 'Records that were not JSON objects.', [
    ['', counters.malformed],
  ]);
  metric('livestream_reconnects_total', 'counter', 'Upstream connection attempts beyond the first, all shards.', [
    ['', counters.reconnects],
  ]);
  metric('livestream_upstream_bytes_total', 'counter', 'Compressed bytes read from Livestream.', [
    ['', counters.bytes],
  ]);
  metric('livestream_sse_clients', 'gauge', 'Browsers connected to the SSE stream.', [['', status.clients]]);
  metric(
    'livestream_shard_state',
    'gauge',
    'Current state of each upstream shard (1 for the current state).',
    status.shards.flatMap((s) =>
      SHARD_STATES.map((state): [string, number] => [
        `{shard="${s.shard}",state="${state}"}`,
        s.state === state ? 1 : 0,
      ]),
    ),
  );
  metric(
    'livestream_shard_retry_at_seconds',
    'gauge',
    'When a waiting shard will try again (epoch seconds); 0 when not waiting.',
    status.shards.map((s) => [`{shard="${s.shard}"}`, s.retryAt ? s.retryAt / 1000 : 0]),
  );
  return `${lines.join('\n')}\n`;
}

/** Every route of the relay, answered from `relay`. Order matters: the link guard first, the 404 last. */
export function createHandlers(relay: MockRelay, options: HandlerOptions = {}): HttpHandler[] {
  const base = options.baseUrl ?? '';
  const at = (path: string) => `${base}${path}`;
  const useSse = (options.stream ?? ('EventSource' in globalThis ? 'sse' : 'response')) === 'sse';

  return [
    // The browser's own link is down: the stream fails like a network error, REST answers 503.
    http.all(at('/api/*'), ({ request }) => {
      if (!relay.linkDown()) return undefined;
      if (new URL(request.url).pathname === '/api/stream') return HttpResponse.error();
      return new HttpResponse(PROXY_503, { status: 503, headers: { 'content-type': 'text/html' } });
    }),

    http.get(at('/healthz'), () => HttpResponse.text('ok')),

    http.get(at('/metrics'), () =>
      HttpResponse.text(metricsText(relay), {
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
      }),
    ),

    http.get(at('/api/status'), () => HttpResponse.json(relay.status())),

    http.get(at('/api/catalog'), () => HttpResponse.json(relay.catalog())),

    http.get(at('/api/problems'), ({ request }) => {
      const limit = parseIntParam('limit', new URL(request.url).searchParams.get('limit'), 1, 1000, 100);
      if (isProblem(limit)) return problemResponse(limit);
      return HttpResponse.json({ problems: relay.problems(limit) });
    }),

    http.get(at('/api/stats'), ({ request }) => {
      const windowS = parseIntParam(
        'window',
        new URL(request.url).searchParams.get('window'),
        1,
        MAX_STATS_WINDOW_S,
        300,
      );
      if (isProblem(windowS)) return problemResponse(windowS);
      return HttpResponse.json({ series: relay.series(windowS) });
    }),

    http.get(at('/api/top'), ({ request }) => {
      const raw = new URL(request.url).searchParams.get('window');
      const windowS = parseIntParam('window', raw, 1, MAX_STATS_WINDOW_S, 300);
      const top = isProblem(windowS) ? undefined : relay.top(windowS);
      if (!top) {
        return problemResponse(
          relayProblem({
            code: 'invalid_parameter_value',
            message: `The parameter "window" must be one of ${TOP_WINDOWS_S.join(', ')} (seconds).`,
            details: `window=${String(raw).slice(0, 50)}`,
          }),
        );
      }
      return HttpResponse.json(top);
    }),

    http.get<{ hitId: string }>(at('/api/hits/:hitId'), ({ params }) => {
      const hitId = params.hitId;
      const text = hitId.length <= 64 ? relay.hit(hitId) : undefined;
      if (text === undefined) {
        return problemResponse(
          relayProblem({
            code: 'hit_not_found',
            message: 'This hit is not in memory: it is older than what the relay keeps, or never arrived.',
            details: `hitId=${hitId.slice(0, 64)}`,
          }),
        );
      }
      return new HttpResponse(text, { headers: { 'content-type': 'application/json; charset=utf-8' } });
    }),

    http.post<{ shard: string }>(at('/api/upstream/:shard/reconnect'), ({ params }) => {
      const count = relay.scenario.shards.length;
      const shard = parseIntParam('shard', params.shard, 0, count - 1, -1);
      const result = isProblem(shard) ? undefined : relay.reconnect(shard);
      if (isProblem(shard) || !result) {
        return problemResponse(
          relayProblem({
            code: 'shard_not_found',
            message: `No shard ${params.shard.slice(0, 20)}: this relay has shards 0 to ${count - 1}.`,
          }),
        );
      }
      const { answer } = result;
      if (answer.ok) return HttpResponse.json({ accepted: true, shard: result.shard }, { status: 202 });
      return problemResponse(reconnectRefusal(shard, answer));
    }),

    // No dashboard password in mock mode: the relay answers 204 (a form post is redirected home).
    http.post(at('/api/login'), ({ request }) =>
      /x-www-form-urlencoded/.test(request.headers.get('content-type') ?? '')
        ? new HttpResponse(null, { status: 303, headers: { location: '/' } })
        : new HttpResponse(null, { status: 204 }),
    ),

    http.post(at('/api/logout'), () => new HttpResponse(null, { status: 204 })),

    useSse
      ? sseStream(relay, at('/api/stream'), options.oneStreamAtATime ?? false)
      : responseStream(relay, at('/api/stream')),

    http.all(at('/api/*'), ({ request }) => {
      const path = new URL(request.url).pathname;
      return problemResponse(
        relayProblem({ code: 'route_not_found', message: `No route ${request.method} ${path.slice(0, 100)}.` }),
      );
    }),
  ];
}
