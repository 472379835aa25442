import { queryOptions, useQuery } from '@tanstack/react-query';
import { AlertsResponseSchema } from '../../../../contract/index.ts';
import { fetchJson } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export function getAlerts() {
  return fetchJson('/api/alerts', AlertsResponseSchema);
}

/**
 * `GET /api/alerts`: firing first, then those resolved in the last 24 h. Asked once when the page
 * starts and again whenever the stream (re)connects (its `hello`); in between, `alert` events are
 * merged into this cached list by the live store.
 */
export function alertsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.alerts(),
    queryFn: getAlerts,
    staleTime: 5 * 60_000,
  });
}

export function useAlerts() {
  return useQuery(alertsQueryOptions());
}
