import {
  DEFAULT_HISTORY_POINTS,
  LIVE_WINDOW_S,
  MAX_HISTORY_POINTS,
  MAX_HISTORY_WINDOW_S,
  MAX_STATS_WINDOW_S,
  TOP_WINDOWS_S,
  isProblem,
  makeProblem,
  type Problem,
  type ProblemInit,
} from '../../contract/index.ts';
import type { RelayCore } from '../relay-core.ts';
import { reconnectRefusal } from '../upstream/reconnect.ts';
import { parseIntParam } from './params.ts';

/**
 * The relay's REST routes (docs/api.md, "Routes") as plain functions from a request to an
 * answer, so the Node host (Fastify) and the mock host (MSW) answer alike: same statuses, same
 * bodies, same `{error: Problem}` with `Retry-After`. Each host adapts a route in a few lines and
 * keeps only what is its own (the stream's transport, sign-in, static files, `/healthz`).
 */

export interface RouteRequest {
  /** Path parameters by name (`:hitId` → `hitId`). */
  params: Record<string, string>;
  /** The query string's parameters (first value of each). */
  query: Record<string, string | undefined>;
}

export interface RouteAnswer {
  status: number;
  /** Extra headers (`Retry-After`). */
  headers: Record<string, string>;
  contentType: string;
  /** The body, already serialized. */
  body: string;
}

export interface CoreRoute {
  method: 'GET' | 'POST';
  /** Fastify/MSW-style path with `:name` parameters. */
  path: string;
  answer(core: RelayCore, request: RouteRequest): RouteAnswer;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function json(status: number, value: unknown): RouteAnswer {
  return { status, headers: {}, contentType: JSON_TYPE, body: JSON.stringify(value) };
}

/** A Problem of the relay's own HTTP surface (source `relay`). */
export function relayProblem(init: Omit<ProblemInit, 'source'>): Problem {
  return makeProblem({ source: 'relay', ...init });
}

/** `{error: Problem}` with its status, and `Retry-After` when the action is `retry-after`. */
export function problemAnswer(problem: Problem): RouteAnswer {
  const answer = json(problem.status, { error: problem });
  if (problem.action === 'retry-after' && problem.retryAfter !== undefined) {
    answer.headers['retry-after'] = String(Math.ceil(problem.retryAfter));
  }
  return answer;
}

export const CORE_ROUTES: readonly CoreRoute[] = [
  { method: 'GET', path: '/api/status', answer: (core) => json(200, core.status()) },
  { method: 'GET', path: '/api/catalog', answer: (core) => json(200, core.catalog()) },
  { method: 'GET', path: '/api/alerts', answer: (core) => json(200, { alerts: core.alerts() }) },
  {
    method: 'GET',
    path: '/api/problems',
    answer: (core, { query }) => {
      const limit = parseIntParam('limit', query.limit, 1, 1000, 100);
      return isProblem(limit) ? problemAnswer(limit) : json(200, { problems: core.problems(limit) });
    },
  },
  {
    method: 'POST',
    path: '/api/problems/:id/ack',
    answer: (core, { params }) => {
      const id = params.id ?? '';
      const problem = id.length <= 100 ? core.acknowledge(id) : undefined;
      if (problem) return json(200, { problem });
      return problemAnswer(
        relayProblem({
          code: 'problem_not_found',
          message:
            'No error object with this id is in the error log: it is older than what the log keeps, or never existed.',
          details: `id=${id.slice(0, 100)}`,
        }),
      );
    },
  },
  {
    method: 'GET',
    path: '/api/stats',
    answer: (core, { query }) => {
      const windowS = parseIntParam('window', query.window, 1, MAX_STATS_WINDOW_S, 300);
      if (isProblem(windowS)) return problemAnswer(windowS);
      return { status: 200, headers: {}, contentType: JSON_TYPE, body: core.seriesJson(windowS) };
    },
  },
  {
    method: 'GET',
    path: '/api/history',
    answer: (core, { query }) => {
      const windowS = parseIntParam('window', query.window, 60, MAX_HISTORY_WINDOW_S, 86_400);
      if (isProblem(windowS)) return problemAnswer(windowS);
      const points = parseIntParam('points', query.points, 10, MAX_HISTORY_POINTS, DEFAULT_HISTORY_POINTS);
      if (isProblem(points)) return problemAnswer(points);
      const end = query.end === undefined ? undefined : parseIntParam('end', query.end, 0, 2 ** 40, 0);
      if (isProblem(end)) return problemAnswer(end);
      return json(200, core.history(windowS, points, end));
    },
  },
  {
    method: 'GET',
    path: '/api/traffic',
    answer: (core, { query }) => {
      const windowS = parseIntParam('window', query.window, 1, LIVE_WINDOW_S, 300);
      return isProblem(windowS) ? problemAnswer(windowS) : json(200, core.traffic(windowS));
    },
  },
  {
    method: 'GET',
    path: '/api/top',
    answer: (core, { query }) => {
      const windowS = parseIntParam('window', query.window, 1, MAX_HISTORY_WINDOW_S, 300);
      const top = isProblem(windowS) ? undefined : core.top(windowS);
      if (top) return json(200, top);
      return problemAnswer(
        relayProblem({
          code: 'invalid_parameter_value',
          message: `The parameter "window" must be one of ${TOP_WINDOWS_S.join(', ')} (seconds), or longer than ${LIVE_WINDOW_S} up to ${MAX_HISTORY_WINDOW_S} (the history's minutes).`,
          details: `window=${String(query.window).slice(0, 50)}`,
        }),
      );
    },
  },
  {
    method: 'GET',
    path: '/api/hits/:hitId',
    answer: (core, { params }) => {
      const hitId = params.hitId ?? '';
      const text = hitId.length <= 64 ? core.hit(hitId) : undefined;
      if (text !== undefined) return { status: 200, headers: {}, contentType: JSON_TYPE, body: text };
      return problemAnswer(
        relayProblem({
          code: 'hit_not_found',
          message: 'This hit is not in memory: it is older than what the relay keeps, or never arrived.',
          details: `hitId=${hitId.slice(0, 64)}`,
        }),
      );
    },
  },
  {
    method: 'POST',
    path: '/api/upstream/:shard/reconnect',
    answer: (core, { params }) => {
      const shards = core.settings.maxConnections;
      const raw = params.shard ?? '';
      const shard = parseIntParam('shard', raw, 0, shards - 1, -1);
      if (isProblem(shard) || shard < 0) {
        return problemAnswer(
          relayProblem({
            code: 'shard_not_found',
            message: `No shard ${raw.slice(0, 20)}: this relay has shards 0 to ${shards - 1}.`,
          }),
        );
      }
      const answer = core.reconnect(shard);
      if (!answer) return problemAnswer(relayProblem({ code: 'shard_not_found', message: `No shard ${shard}.` }));
      if (!answer.ok) return problemAnswer(reconnectRefusal(shard, answer));
      return json(202, { accepted: true, shard: core.upstream.supervisors[shard]!.snapshot() });
    },
  },
];

/** A route whose answer needs a call outside the relay (the host's HTTP): answered asynchronously. */
export interface AsyncCoreRoute {
  method: 'POST';
  path: string;
  answer(core: RelayCore, request: RouteRequest): Promise<RouteAnswer>;
}

/**
 * `POST /api/upstream/enable`: the enable call for this stream (`GET <origin>/api/2/enable/<name>`
 * with the stream's credentials), sent when an operator asks, never by the relay on its own. 202
 * with what Livestream said; 429 + `Retry-After` within a minute of the last one (or while one is
 * under way); 502/504 with the Problem when Livestream refused it or could not be reached; 409
 * when the stream URL names no endpoint.
 */
export const ENABLE_ROUTE: AsyncCoreRoute = {
  method: 'POST',
  path: '/api/upstream/enable',
  answer: async (core) => {
    const outcome = await core.enableStream();
    if (outcome.ok) return json(202, outcome.accepted);
    const answer = json(outcome.httpStatus, { error: outcome.problem });
    if (
      outcome.problem.retryAfter !== undefined &&
      (outcome.httpStatus === 429 || outcome.problem.action === 'retry-after')
    ) {
      answer.headers['retry-after'] = String(Math.ceil(outcome.problem.retryAfter));
    }
    return answer;
  },
};

/** The routes answered asynchronously, beside `CORE_ROUTES`; the hosts register both. */
export const ASYNC_CORE_ROUTES: readonly AsyncCoreRoute[] = [ENABLE_ROUTE];

/** `route_not_found` for a path no route serves. */
export function notFound(method: string, path: string): RouteAnswer {
  return problemAnswer(relayProblem({ code: 'route_not_found', message: `No route ${method} ${path.slice(0, 100)}.` }));
}

/** 405 `invalid_http_method` with `Allow`, for a path served with other methods. */
export function methodNotAllowed(method: string, path: string, allow: readonly string[]): RouteAnswer {
  const answer = problemAnswer(
    relayProblem({
      code: 'invalid_http_method',
      message: `${method} is not a method of ${path.slice(0, 100)}; it takes ${allow.join(', ')}.`,
    }),
  );
  answer.headers.allow = allow.join(', ');
  return answer;
}
