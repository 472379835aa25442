import { queryOptions } from '@tanstack/react-query';
import { LIVE_WINDOW_S, StatsResponseSchema, type StatsResponse } from '../../../../contract/index.ts';
import { fetchJson } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/** `GET /api/stats?window=S`: one Stats per second, oldest first, relay-computed over every hit. */
export function getStats(windowS: number, signal?: AbortSignal): Promise<StatsResponse> {
  return fetchJson(`/api/stats?window=${windowS}`, StatsResponseSchema, { signal });
}

/**
 * The stats history. Defaults to the full hour: the live store appends each `stats` event to
 * `queryKeys.stats(3600)`, and the panel windows it client-side, so one entry serves every
 * window. Never stale on its own: the stream keeps it current (the live store invalidates it
 * after a gap it cannot replay).
 */
export function getStatsOptions(windowS: number = LIVE_WINDOW_S) {
  return queryOptions({
    queryKey: queryKeys.stats(windowS),
    queryFn: ({ signal }) => getStats(windowS, signal),
    staleTime: Infinity,
    // An hour of seconds, rewritten every second (live-store/cache-bridge.ts): the new array
    // already keeps each unchanged second by reference. Structural sharing would compare it,
    // shifted by a second, deep against the old one, entry by entry, and copy every entry.
    structuralSharing: false,
  });
}
