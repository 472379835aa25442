import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { SSE_HEADERS } from '../../core/hub/broadcaster.ts';
import { METRICS_CONTENT_TYPE, metricsText } from '../../core/metrics.ts';
import { ASYNC_CORE_ROUTES, CORE_ROUTES, type RouteRequest } from '../../core/routes/routes.ts';
import type { Relay } from '../relay.ts';
import { Auth, loginPage } from './auth.ts';
import { answerClientError } from './client-error.ts';
import { hostProblem } from './host-guard.ts';
import { createProcessMetrics } from './metrics.ts';
import { originProblem } from './origin-guard.ts';
import { relayProblem, sendProblem as send } from './problem-reply.ts';
import { RouteMethods } from './route-methods.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

/**
 * The relay's HTTP surface (docs/api.md, "Routes"): REST, the SSE stream (written to the raw socket
 * through the hub), `/metrics`, `/healthz`, and the built SPA, on one origin. Every error is
 * `{error: Problem}` with the matching status and the security headers, including those decided
 * before routing (Node's parser, Fastify's router); bad input is a 400/404 Problem, never a 500.
 *
 * Every request but `/healthz` passes, in this order: the `Host` rule (host-guard.ts), the
 * `Origin` rule for state-changing methods (origin-guard.ts), then the password when one is set
 * (auth.ts, throttled per address). A known path called with a method it does not take is a 405
 * with `Allow` (route-methods.ts).
 */

export interface ServerOptions {
  /** Folder of the built SPA (`dist/`); not served when missing. */
  spaDir?: string;
  logger?: boolean | Record<string, unknown>;
  /** Epoch ms for the password throttle and the sessions. Default `Date.now`. */
  now?: () => number;
}

/** 429 for an address locked out of password attempts: a Problem, or the sign-in page saying so. */
function refuseLocked(reply: FastifyReply, retryAfterS: number, asPage: boolean): FastifyReply {
  const problem = relayProblem({
    code: 'too_many_requests',
    message: `Too many wrong passwords from this address: password attempts are refused for ${retryAfterS} s.`,
    retryAfter: retryAfterS,
  });
  if (!asPage) return send(reply, problem);
  return reply
    .code(429)
    .header('retry-after', String(retryAfterS))
    .type('text/html; charset=utf-8')
    .send(loginPage(problem.message));
}

export async function createServer(relay: Relay, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 16 * 1024,
    return503OnClosing: true,
    forceCloseConnections: true,
    // X-Forwarded-For/-Proto/-Host are believed only from these peers (TRUST_PROXY): they give
    // `request.ip` (the throttle's address) and `request.protocol` (the cookie's Secure).
    trustProxy: relay.config.trustProxy,
    // Node answers an HTTP/1.1 request without Host with an empty 400; host-guard.ts answers it
    // with a Problem instead.
    http: { requireHostHeader: false },
    // Malformed URLs and over-long path parameters: a Problem like every other error.
    frameworkErrors: (error, _request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      void send(
        reply,
        relayProblem({
          code: 'bad_request',
          status,
          message: 'The request URL could not be read.',
          details: error.message.slice(0, 300),
        }),
      );
    },
    // What Node's parser refuses (oversized headers, bytes that are not HTTP, slowloris).
    clientErrorHandler: answerClientError,
  });
  const auth = new Auth(relay.config.dashboardPassword, options.now);
  const processMetrics = createProcessMetrics({ historyBytes: () => relay.historyBytes() });
  const routes = new RouteMethods();
  app.addHook('onRoute', (route) => routes.record(route.url, route.method));

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.addHook('onSend', async (_request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) void reply.header(name, value);
  });

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    // Always answers (docs/api.md, "Routes"): a constant "ok", nothing to protect, probes must get in.
    if (path === '/healthz') return;
    const refusal =
      hostProblem({ host: request.headers.host, httpVersion: request.raw.httpVersion }, auth.enabled) ??
      originProblem({
        method: request.method,
        origin: request.headers.origin,
        protocol: request.protocol,
        host: request.host,
      });
    if (refusal) return send(reply, refusal);
    if (!auth.enabled || path === '/api/login') return;
    const verdict = auth.verify(request.headers, request.ip ?? '');
    if (verdict.kind === 'allowed') return;
    const wantsHtml =
      request.method === 'GET' &&
      !path.startsWith('/api/') &&
      path !== '/metrics' &&
      /text\/html/.test(request.headers.accept ?? '');
    if (verdict.kind === 'locked') return refuseLocked(reply, verdict.retryAfterS, wantsHtml);
    if (wantsHtml) {
      return reply.code(401).type('text/html; charset=utf-8').send(loginPage());
    }
    void reply.header('www-authenticate', 'Basic realm="Livestream Monitor", charset="UTF-8"');
    return send(
      reply,
      relayProblem({
        code: 'dashboard_authentication_required',
        message: 'This relay needs the dashboard password (HTTP Basic, or sign in).',
      }),
    );
  });

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'unhandled error');
    return send(
      reply,
      relayProblem(
        status === 500
          ? { code: 'internal_error', status, message: 'The relay failed to answer this request.' }
          : {
              code: status === 415 ? 'invalid_header' : 'bad_request',
              status,
              message: 'The request could not be read.',
              details: error.message.slice(0, 300),
            },
      ),
    );
  });

  app.get('/healthz', (_request, reply) => reply.type('text/plain; charset=utf-8').send('ok'));

  app.get('/metrics', async (_request, reply) =>
    reply.type(METRICS_CONTENT_TYPE).send(`${metricsText(relay)}${await processMetrics.metrics()}`),
  );

  // The REST routes are the core's (src/core/routes): Fastify only carries them.
  type CoreRequest = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, unknown> }>;
  const routeRequest = (request: CoreRequest): RouteRequest => {
    const query: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(request.query ?? {})) {
      // A repeated parameter is not one value: the route refuses "1,2" as it would any garbage.
      query[key] = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : undefined;
    }
    return { params: request.params ?? {}, query };
  };
  for (const route of CORE_ROUTES) {
    app.route({
      method: route.method,
      url: route.path,
      handler: (request: CoreRequest, reply) => {
        const answer = route.answer(relay, routeRequest(request));
        return reply.code(answer.status).headers(answer.headers).type(answer.contentType).send(answer.body);
      },
    });
  }
  // Those that call out (the enable call): the same, awaited.
  for (const route of ASYNC_CORE_ROUTES) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request: CoreRequest, reply) => {
        const answer = await route.answer(relay, routeRequest(request));
        return reply.code(answer.status).headers(answer.headers).type(answer.contentType).send(answer.body);
      },
    });
  }

  app.post('/api/login', (request: FastifyRequest<{ Body: { password?: unknown } | undefined }>, reply) => {
    const form = /x-www-form-urlencoded/.test(request.headers['content-type'] ?? '');
    if (!auth.enabled) return form ? reply.redirect('/', 303) : reply.code(204).send();
    const verdict = auth.login(request.body?.password, request.ip ?? '');
    if (verdict.kind === 'locked') return refuseLocked(reply, verdict.retryAfterS, form);
    if (verdict.kind !== 'allowed') {
      if (form) return reply.code(401).type('text/html; charset=utf-8').send(loginPage('Wrong password.'));
      return send(
        reply,
        relayProblem({ code: 'dashboard_authentication_required', message: 'Wrong dashboard password.' }),
      );
    }
    void reply.header('set-cookie', auth.cookie(auth.open(), request.protocol === 'https'));
    return form ? reply.redirect('/', 303) : reply.code(204).send();
  });

  app.post('/api/logout', (request, reply) => {
    auth.close(request.headers.cookie);
    return reply
      .header('set-cookie', auth.clearedCookie(request.protocol === 'https'))
      .code(204)
      .send();
  });

  // HEAD is answered here, not by running the GET handler: a HEAD must end at once, so it gets
  // the stream's headers and no subscriber is registered.
  app.head('/api/stream', (_request, reply) => {
    // Node decides `connection` from the request: this answer ends, so it may well be `close`.
    const { connection: _keepAlive, ...headers } = SSE_HEADERS;
    reply.hijack();
    reply.raw.writeHead(200, { ...headers, ...SECURITY_HEADERS });
    reply.raw.end();
  });

  app.get(
    '/api/stream',
    { exposeHeadRoute: false },
    (request: FastifyRequest<{ Querystring: { lastEventId?: string } }>, reply) => {
      const header = request.headers['last-event-id'];
      const query: unknown = request.query.lastEventId;
      const lastEventId =
        (Array.isArray(header) ? header[0] : header) || (typeof query === 'string' ? query : undefined);
      // The hub writes to the socket itself: serialize once, same bytes for every subscriber.
      reply.hijack();
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.raw.setHeader(name, value);
      relay.subscribeResponse(reply.raw, lastEventId?.slice(0, 100));
    },
  );

  const spaDir = options.spaDir;
  const spaBuilt = !!spaDir && existsSync(`${spaDir}/index.html`);
  if (spaBuilt) {
    await app.register(fastifyStatic, { root: spaDir, wildcard: false, index: ['index.html'] });
  }

  // The router sends here both unknown paths and known paths called with another method.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allow = routes.allowed(request.url);
    if (allow) {
      void reply.header('allow', allow.join(', '));
      return send(
        reply,
        relayProblem({
          code: 'invalid_http_method',
          message: `${request.method} is not a method of ${path.slice(0, 100)}; it takes ${allow.join(', ')}.`,
        }),
      );
    }
    if (
      spaBuilt &&
      request.method === 'GET' &&
      !path.startsWith('/api/') &&
      /text\/html/.test(request.headers.accept ?? '')
    ) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return send(
      reply,
      relayProblem({ code: 'route_not_found', message: `No route ${request.method} ${path.slice(0, 100)}.` }),
    );
  });

  return app;
}
