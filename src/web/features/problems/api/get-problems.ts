import { queryOptions, useQuery } from '@tanstack/react-query';
import { ProblemsResponseSchema } from '../../../../contract/index.ts';
import { fetchJson } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/** How many error objects the panel asks for. */
export const PROBLEMS_LIMIT = 200;

export function getProblems(limit: number) {
  return fetchJson(`/api/problems?limit=${limit}`, ProblemsResponseSchema);
}

/** The error log. `problem` SSE events are prepended to this cached list by the live store. */
export function problemsQueryOptions(limit: number = PROBLEMS_LIMIT) {
  return queryOptions({
    queryKey: queryKeys.problems(limit),
    queryFn: () => getProblems(limit),
    staleTime: 5 * 60_000,
  });
}

export function useProblems(limit: number = PROBLEMS_LIMIT) {
  return useQuery(problemsQueryOptions(limit));
}
