import type { SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startMockServer, type MockServer } from '../../mocks/node.ts';

/**
 * Answers this test file's `fetch` calls with the project's MSW handlers (`src/mocks/node.ts`):
 * a mock relay playing `scenario` (default `healthy`) on the page's origin, where the SPA's
 * relative paths (`/api/status`) resolve in jsdom. It has no timer of its own, so fake timers in a
 * test leave it alone.
 *
 * For an answer no scenario gives (a precise Problem, a 401), put a handler in front:
 * `server.use(http.get(url('/api/problems'), () => HttpResponse.json(...)))`; it is dropped
 * after each test, as is the list of `requests()`.
 */
export function setupMockRelay(scenario?: string) {
  const baseUrl = location.origin;
  let mock: MockServer | undefined;
  const requests: Request[] = [];
  // The scenario's history (minutes of traffic) is played here, once per file, not inside the
  // first test that asks the relay something.
  beforeAll(async () => {
    mock = startMockServer({ ...(scenario ? { scenario } : {}), baseUrl, autoAdvance: false });
    mock.server.events.on('request:start', ({ request }) => {
      requests.push(request);
    });
    await mock.host.ready;
  }, 30_000);
  afterEach(() => {
    mock?.server.resetHandlers();
    requests.length = 0;
  });
  afterAll(() => mock?.close());

  return {
    get server(): SetupServer {
      if (!mock) throw new Error('setupMockRelay: the server starts in beforeAll');
      return mock.server;
    },
    /** The absolute URL of a path on the mock relay, for `http.get(url('/api/…'))`. */
    url: (path: string) => `${baseUrl}${path}`,
    /** What this test asked for so far, as `METHOD /path?query`. */
    requests: () =>
      requests.map((request) => {
        const { pathname, search } = new URL(request.url);
        return `${request.method} ${pathname}${search}`;
      }),
  };
}

/** Fetches a route of the mock relay the way the page would (its own data, to compare with). */
export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return (await response.json()) as T;
}
