import { queryOptions } from '@tanstack/react-query';
import { LIVE_WINDOW_S, TrafficSchema, type Traffic } from '../../../../contract/index.ts';
import { fetchJson } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/**
 * `GET /api/traffic?window=S`: the site's hits per second on Adobe's clock (each hit in the second
 * of its `receivedTimeGMT`), zeros included, and the outages of the last hour with their verdict.
 */
export function getTraffic(windowS: number, signal?: AbortSignal): Promise<Traffic> {
  return fetchJson(`/api/traffic?window=${windowS}`, TrafficSchema, { signal });
}

/**
 * The whole hour, kept current by the stream: the live store folds each `traffic` event (the
 * seconds late hits changed, and the outages) into `queryKeys.traffic(3600)`; the panel windows
 * it client-side.
 */
export function getTrafficOptions(windowS: number = LIVE_WINDOW_S) {
  return queryOptions({
    queryKey: queryKeys.traffic(windowS),
    queryFn: ({ signal }) => getTraffic(windowS, signal),
    staleTime: Infinity,
    // An hour of seconds, rebuilt whole by each `traffic` event (live-store/traffic-merge.ts) and
    // read whole by the chart. Structural sharing would compare it, shifted by a second, deep
    // against the old one, entry by entry, every second, for no reader.
    structuralSharing: false,
  });
}
