import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import {
  HistoryResponseSchema,
  MAX_HISTORY_POINTS,
  TopSchema,
  type HistoryResponse,
} from '../../../../contract/index.ts';
import { fetchJson } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/** How often a long window is fetched again: its newest minute has closed by then. */
export const HISTORY_REFETCH_MS = 60_000;

/**
 * Buckets to ask for: about one per two pixels of the plot (each keeps its lowest and highest
 * second, so a spike narrower than a point still shows), within the relay's bounds. Measured: a
 * 720-point month took 118 ms of the main thread to draw (bench, browser suite), 360 half that.
 */
export function historyPoints(widthPx: number, most = 480): number {
  return Math.max(60, Math.min(most, MAX_HISTORY_POINTS, Math.round(widthPx / 2)));
}

/**
 * `GET /api/history?window=S&points=N[&end=T]`: the span of `windowS` seconds ending at `endS`
 * (epoch s; now when absent), downsampled by the relay into at most `points` buckets.
 */
export function getHistory(
  windowS: number,
  points: number,
  endS?: number,
  signal?: AbortSignal,
): Promise<HistoryResponse> {
  const end = endS === undefined ? '' : `&end=${endS}`;
  return fetchJson(`/api/history?window=${windowS}&points=${points}${end}`, HistoryResponseSchema, { signal });
}

/** A long window ending now, fetched again every minute (no stream: the history moves by minutes). */
export function getHistoryOptions(windowS: number, points: number) {
  return queryOptions({
    queryKey: queryKeys.history(windowS, points, undefined),
    queryFn: ({ signal }) => getHistory(windowS, points, undefined, signal),
    staleTime: HISTORY_REFETCH_MS / 2,
    refetchInterval: HISTORY_REFETCH_MS,
    // A wider plot asks for more points: the chart keeps drawing the previous answer meanwhile.
    placeholderData: (previous) => (previous?.window === windowS ? previous : undefined),
  });
}

/** A span in the past (the period compared with): it never changes, so it is fetched once per `endS`. */
export function getHistoryAtOptions(windowS: number, points: number, endS: number) {
  return queryOptions({
    queryKey: queryKeys.history(windowS, points, endS),
    queryFn: ({ signal }) => getHistory(windowS, points, endS, signal),
    staleTime: Infinity,
    gcTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });
}

/** `GET /api/top?window=S` for a long window: summed from the history's minutes, fetched again every minute. */
export function getLongTopOptions(windowS: number) {
  return queryOptions({
    queryKey: queryKeys.top(windowS),
    queryFn: ({ signal }) => fetchJson(`/api/top?window=${windowS}`, TopSchema, { signal }),
    staleTime: HISTORY_REFETCH_MS / 2,
    refetchInterval: HISTORY_REFETCH_MS,
  });
}
