import { QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { AppProviders } from '../app/providers.tsx';
import { createLiveStore, type LiveStore } from '../lib/live-store/index.ts';
import { FakeTransport, manualScheduler } from './fake-transport.ts';

export function testQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
}

export interface Harness extends RenderResult {
  queryClient: QueryClient;
  store: LiveStore;
  transport: FakeTransport;
  frames: ReturnType<typeof manualScheduler>;
}

/** Renders `ui` inside the query client and a live store driven by a fake transport. */
export function renderWithProviders(ui: ReactNode, options: { queryClient?: QueryClient } = {}): Harness {
  const queryClient = options.queryClient ?? testQueryClient();
  const transport = new FakeTransport();
  const frames = manualScheduler();
  const store = createLiveStore({ transport, queryClient, scheduler: frames.scheduler });
  store.start();
  const result = render(
    <AppProviders queryClient={queryClient} store={store}>
      {ui}
    </AppProviders>,
  );
  return { ...result, queryClient, store, transport, frames };
}
