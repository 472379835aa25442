import { QueryClient } from '@tanstack/react-query';
import { ApiProblemError } from './api-client.ts';

/** A relay answer of 4xx will not change by asking again (wrong password, unknown hit). */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiProblemError && error.problem.status >= 400 && error.problem.status < 500) return false;
  return failureCount < 2;
}

/**
 * The page's query client. Live data arrives over SSE and is written into this cache, so REST
 * answers stay fresh for long; a reconnect of the stream invalidates what may have been missed.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: shouldRetry, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
