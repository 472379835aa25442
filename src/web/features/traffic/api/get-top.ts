import { queryOptions } from '@tanstack/react-query';
import { TopSchema, type Top } from '../../../../contract/index.ts';
import { fetchJson } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/** `GET /api/top?window=S` with S one of `TOP_WINDOWS_S` (60, 300, 900, 3600). */
export function getTop(windowS: number, signal?: AbortSignal): Promise<Top> {
  return fetchJson(`/api/top?window=${windowS}`, TopSchema, { signal });
}

/** Top lists for one window; the `top` SSE event refreshes them every second, so never stale on its own. */
export function getTopOptions(windowS: number) {
  return queryOptions({
    queryKey: queryKeys.top(windowS),
    queryFn: ({ signal }) => getTop(windowS, signal),
    staleTime: Infinity,
  });
}
