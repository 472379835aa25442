import { http, HttpResponse, matchRequestUrl, type HttpHandler, type PathParams } from 'msw';
import { SSE_HEADERS } from '../core/hub/broadcaster.ts';
import { METRICS_CONTENT_TYPE, metricsText } from '../core/metrics.ts';
import { ASYNC_CORE_ROUTES, CORE_ROUTES, methodNotAllowed, notFound, type RouteAnswer } from '../core/routes/routes.ts';
import { LIVE_WINDOW_S } from '../contract/index.ts';
import type { MockHost } from './mock-host.ts';
import type { SubscriberStream } from './stream-sink.ts';

/**
 * MSW carries the core's routes as Fastify does in `src/relay/api/server.ts`: the REST routes
 * (`CORE_ROUTES`, and `ASYNC_CORE_ROUTES`: the enable call, answered by the mock host's own
 * Livestream), `/metrics` (`metricsText`), 404 and 405 with `Allow` (`notFound`,
 * `methodNotAllowed`), and the SSE stream through the core's broadcaster (`stream-sink.ts`).
 * Every answer first brings the host's clock up to the page's. What is the host's own: no
 * dashboard password (sign-in answers as the relay does without one), `/healthz`, and the
 * browser's link to the relay: while the scenario says it is down, the stream fails as a network
 * error and every other route answers 503, as a proxy in front of a stopped relay would.
 */

export interface HandlerOptions {
  /** Origin the routes live on: '' (the page's own, in the browser) or e.g. `http://relay.test` (Node). */
  baseUrl?: string;
  /**
   * A new stream closes the ones opened before it: the page holds one link to the relay, so a
   * stream it abandoned without the cancel reaching the handler cannot stay subscribed.
   */
  oneStreamAtATime?: boolean;
}

const PROXY_503 =
  '<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>';

/** The stream's headers but `connection` (the transport's business, and forbidden in a Response). */
const { connection: _connection, ...STREAM_HEADERS } = SSE_HEADERS;

/** Every path the relay serves and the methods it takes (GET routes answer HEAD too, as Fastify's). */
const ROUTE_TABLE: { path: string; methods: string[] }[] = [
  ...CORE_ROUTES.map((route) => ({
    path: route.path,
    methods: route.method === 'GET' ? ['GET', 'HEAD'] : [route.method],
  })),
  ...ASYNC_CORE_ROUTES.map((route) => ({ path: route.path, methods: [route.method] })),
  { path: '/api/stream', methods: ['GET', 'HEAD'] },
  { path: '/api/login', methods: ['POST'] },
  { path: '/api/logout', methods: ['POST'] },
  { path: '/metrics', methods: ['GET', 'HEAD'] },
  { path: '/healthz', methods: ['GET', 'HEAD'] },
];

function respond(answer: RouteAnswer, withBody = true): Response {
  return new HttpResponse(withBody ? answer.body : null, {
    status: answer.status,
    headers: { ...answer.headers, 'content-type': answer.contentType },
  });
}

/** The query as the Node host reads it: one value per name, a repeated one joined with commas. */
function queryOf(request: Request): Record<string, string> {
  const params = new URL(request.url).searchParams;
  const query: Record<string, string> = {};
  for (const name of new Set(params.keys())) query[name] = params.getAll(name).join(',');
  return query;
}

function paramsOf(params: PathParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (typeof value === 'string') out[name] = value;
  return out;
}

function lastEventIdOf(request: Request): string | undefined {
  const id = request.headers.get('last-event-id') || new URL(request.url).searchParams.get('lastEventId') || undefined;
  return id?.slice(0, 100);
}

/** `GET /api/history`, and the stats and top lists of a window longer than the live hour. */
function readsHistory(path: string, request: Request): boolean {
  if (path === '/api/history') return true;
  if (path !== '/api/stats' && path !== '/api/top') return false;
  return Number(new URL(request.url).searchParams.get('window')) > LIVE_WINDOW_S;
}

/** Every route of the relay, answered by the host's core. Order matters: the link guard first, 404/405 last. */
export function createHandlers(host: MockHost, options: HandlerOptions = {}): HttpHandler[] {
  const base = options.baseUrl ?? '';
  const at = (path: string) => `${base}${path}`;
  const open = new Set<SubscriberStream>();
  const coreRoutes = CORE_ROUTES.map((route) =>
    (route.method === 'GET' ? http.get : http.post)(at(route.path), async ({ request, params }) => {
      // What reads the earlier run's history waits until it is in (made off the page's start).
      if (host.history && readsHistory(route.path, request)) await host.history.loaded;
      await host.sync();
      return respond(route.answer(host.core, { params: paramsOf(params), query: queryOf(request) }));
    }),
  );
  const asyncRoutes = ASYNC_CORE_ROUTES.map((route) =>
    http.post(at(route.path), async ({ request, params }) => {
      await host.sync();
      return respond(await route.answer(host.core, { params: paramsOf(params), query: queryOf(request) }));
    }),
  );

  /** What the relay answers a method a path does not take, or a path it does not serve. */
  const fallback = async ({ request }: { request: Request }) => {
    const { pathname } = new URL(request.url);
    const route = ROUTE_TABLE.find((r) => matchRequestUrl(new URL(request.url), at(r.path)).matches);
    if (!route) return respond(notFound(request.method, pathname));
    if (request.method === 'HEAD' && route.methods.includes('HEAD')) {
      // A GET route's answer without its body, as Fastify gives it.
      if (route.path === '/healthz' || route.path === '/metrics') return new HttpResponse(null, { status: 200 });
      const core = CORE_ROUTES.find((r) => r.path === route.path)!;
      const match = matchRequestUrl(new URL(request.url), at(core.path));
      await host.sync();
      return respond(core.answer(host.core, { params: paramsOf(match.params ?? {}), query: queryOf(request) }), false);
    }
    return respond(methodNotAllowed(request.method, pathname, route.methods));
  };

  return [
    // The browser's own link is down: the stream fails like a network error, REST answers 503.
    http.all(at('/api/*'), ({ request }) => {
      if (!host.linkDown()) return undefined;
      if (new URL(request.url).pathname === '/api/stream') return HttpResponse.error();
      return new HttpResponse(PROXY_503, { status: 503, headers: { 'content-type': 'text/html' } });
    }),

    http.get(at('/healthz'), () => HttpResponse.text('ok')),

    http.get(at('/metrics'), async () => {
      await host.sync();
      return new HttpResponse(metricsText(host.core), { headers: { 'content-type': METRICS_CONTENT_TYPE } });
    }),

    ...coreRoutes,
    ...asyncRoutes,

    // No dashboard password in mock mode: the relay answers 204 (a form post is redirected home).
    http.post(at('/api/login'), ({ request }) =>
      /x-www-form-urlencoded/.test(request.headers.get('content-type') ?? '')
        ? new HttpResponse(null, { status: 303, headers: { location: '/' } })
        : new HttpResponse(null, { status: 204 }),
    ),

    http.post(at('/api/logout'), () => new HttpResponse(null, { status: 204 })),

    // HEAD gets the stream's headers at once and registers no subscriber, as on the relay.
    http.head(at('/api/stream'), () => new HttpResponse(null, { status: 200, headers: STREAM_HEADERS })),

    http.get(at('/api/stream'), async ({ request }) => {
      await host.sync();
      if (options.oneStreamAtATime) {
        for (const earlier of open) earlier.end();
        open.clear();
      }
      const stream = host.subscribe(lastEventIdOf(request));
      if (!stream) return new HttpResponse(null, { status: 503, headers: { 'retry-after': '2' } });
      if (options.oneStreamAtATime) open.add(stream);
      request.signal.addEventListener('abort', () => stream.end(), { once: true });
      return new HttpResponse(stream.body, { status: 200, headers: STREAM_HEADERS });
    }),

    http.all(at('/api/*'), fallback),
    http.all(at('/metrics'), fallback),
    http.all(at('/healthz'), fallback),
  ];
}
