import { vi } from 'vitest';

/** A JSON body answered with 200, or a handler returning its own Response. */
type Route = unknown;
type Handler = (url: URL, init?: RequestInit) => Response | Promise<Response>;

/**
 * Replaces `fetch` with a router over paths (`/api/status`): a value is answered as JSON 200, a
 * function returns its own Response. Unknown paths answer 404 with a Problem.
 */
export function mockFetch(routes: Record<string, Route>) {
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      'http://localhost',
    );
    const route = routes[url.pathname];
    if (route === undefined) {
      return json(
        {
          error: {
            status: 404,
            code: 'route_not_found',
            message: 'no route',
            trace: 't',
            action: 'none',
            at: 0,
            source: 'relay',
            id: 'x',
          },
        },
        404,
      );
    }
    return typeof route === 'function' ? (route as Handler)(url, init) : json(route);
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}
