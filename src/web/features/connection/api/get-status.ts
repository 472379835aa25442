import { queryOptions, useQuery } from '@tanstack/react-query';
import { StatusSchema, type Status } from '../../../../contract/index.ts';
import { fetchJson } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { relayClock } from '../../../lib/relay-clock.ts';

/** `GET /api/status`. Also measures the clock skew from `relay.now`. */
export async function getStatus(): Promise<Status> {
  const status = await fetchJson('/api/status', StatusSchema);
  if (status.relay.now !== undefined) relayClock.observe(status.relay.now, Date.now());
  return status;
}

/**
 * The relay's status. `hello` and `state` events keep the cached copy current; the interval is a
 * safety net for when the stream is down.
 */
export function statusQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.status(),
    queryFn: getStatus,
    refetchInterval: 30_000,
  });
}

export function useStatus() {
  return useQuery(statusQueryOptions());
}
