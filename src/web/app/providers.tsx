import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { LiveStore } from '../lib/live-store.ts';
import { LiveStoreProvider } from '../lib/live-store-react.tsx';

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
