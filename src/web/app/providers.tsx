import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { LiveStoreProvider, type LiveStore } from '../lib/live-store/index.ts';

/** Query cache and live store for everything below. */
export function AppProviders({
  queryClient,
  store,
  children,
}: {
  queryClient: QueryClient;
  store: LiveStore;
  children: ReactNode;
}) {
  return (
    <QueryClientProvider client={queryClient}>
      <LiveStoreProvider store={store}>{children}</LiveStoreProvider>
    </QueryClientProvider>
  );
}
