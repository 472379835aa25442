import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';
import type { Status } from '../../../../contract/index.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/** What a support bundle says about the relay, from the status the page already holds. */
export interface RelayContext {
  version?: string | undefined;
  mode?: string | undefined;
  runId?: string | undefined;
  upstreamUrl?: string | undefined;
  /** Malformed records so far, live (the `counters` event): a report's own count is of its time. */
  malformed?: number | undefined;
  /** Error objects active in the relay's whole log, live: a problems list holds only the newest. */
  activeProblems?: number | undefined;
}

/**
 * The relay's status as cached (the `hello` event and the connection map's query keep it
 * current), read without a query of its own: the error objects add no request, and never
 * replace the status query's options.
 */
export function useRelayContext(): RelayContext {
  const queryClient = useQueryClient();
  const subscribe = useCallback(
    (onChange: () => void) => queryClient.getQueryCache().subscribe(onChange),
    [queryClient],
  );
  const status = useSyncExternalStore(subscribe, () => queryClient.getQueryData<Status>(queryKeys.status()));
  return {
    version: status?.relay.version,
    mode: status?.relay.mode,
    runId: status?.relay.runId,
    upstreamUrl: status?.upstream.url,
    malformed: status?.counters.malformed,
    activeProblems: status?.counters.activeProblems,
  };
}
