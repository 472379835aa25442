import { http, HttpResponse, type HttpHandler } from 'msw';

/**
 * A handler override described as plain data, so a Playwright test can send it into the page
 * (`page.addInitScript` before the app starts, or `window.__msw.override()` later) without
 * shipping a function across. Overrides go in front of the scenario's handlers.
 */
export interface HandlerOverride {
  method?: 'get' | 'post' | 'all';
  /** An MSW path on the page's origin, e.g. `/api/catalog` or `/api/hits/:hitId`. */
  path: string;
  /** Default 200. */
  status?: number;
  /** A JSON body (e.g. `{error: Problem}`). */
  json?: unknown;
  /** A text body, sent when `json` is absent. */
  body?: string;
  headers?: Record<string, string>;
  /** The request fails as a network error. */
  networkError?: boolean;
  /** Answer only the first matching request. */
  once?: boolean;
}

export function overrideHandler(spec: HandlerOverride): HttpHandler {
  const method = spec.method ?? 'get';
  return http[method](
    spec.path,
    () => {
      if (spec.networkError) return HttpResponse.error();
      const init = { status: spec.status ?? 200, headers: spec.headers ?? {} };
      if (spec.json !== undefined) return HttpResponse.json(spec.json, init);
      return new HttpResponse(spec.body ?? null, init);
    },
    { once: spec.once ?? false },
  );
}
