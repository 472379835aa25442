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
  };
}
