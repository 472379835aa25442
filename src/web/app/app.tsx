import type { QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ActiveProblemsTitle } from '../features/problems/index.ts';
import { createLiveStore, type FlushScheduler } from '../lib/live-store/index.ts';
import { createQueryClient } from '../lib/query-client.ts';
import { chooseTransport, type StreamTransport } from '../lib/stream-link/index.ts';
import { Layout } from './layout.tsx';
import { AppProviders } from './providers.tsx';

export interface AppProps {
  /** Tests pass their own; the page makes one. */
  queryClient?: QueryClient;
  /** Tests pass a fake; the page picks SharedWorker, leader tab or direct. */
  transport?: StreamTransport;
  scheduler?: FlushScheduler;
}

/** The dashboard. */
export function App({ queryClient: givenClient, transport, scheduler }: AppProps) {
  const [queryClient] = useState(() => givenClient ?? createQueryClient());
  const [store] = useState(() =>
    createLiveStore({ transport: transport ?? chooseTransport(), queryClient, ...(scheduler ? { scheduler } : {}) }),
  );
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  return (
    <AppProviders queryClient={queryClient} store={store}>
      <ActiveProblemsTitle />
      <Layout />
    </AppProviders>
  );
}
