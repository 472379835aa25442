import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ProblemAckResponseSchema, type Problem } from '../../../../contract/index.ts';
import { fetchJson } from '../../../lib/api-client.ts';
import { withProblem, type ProblemsData } from '../../../lib/live-store/index.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/**
 * `POST /api/problems/:id/ack`: 200 `{problem}` with `acknowledgedAt`; 404 `problem_not_found`
 * arrives as an `ApiProblemError`. The relay also sends the Problem again on the stream.
 */
export async function acknowledgeProblem(id: string): Promise<Problem> {
  const { problem } = await fetchJson(`/api/problems/${encodeURIComponent(id)}/ack`, ProblemAckResponseSchema, {
    method: 'POST',
  });
  return problem;
}

/**
 * Acknowledges several error objects (every unacknowledged occurrence of a card) and writes the
 * answers into the cached error log at once, so the card says so even while the stream is down.
 */
export function useAcknowledgeProblems() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: readonly string[]) => Promise.all(ids.map(acknowledgeProblem)),
    onSuccess: (problems) => {
      for (const [key, data] of queryClient.getQueriesData<ProblemsData>({ queryKey: queryKeys.problemsAll() })) {
        if (!data) continue;
        let next: ProblemsData | undefined = data;
        for (const problem of problems) next = withProblem(next, problem, Math.max(data.problems.length, 1));
        queryClient.setQueryData<ProblemsData>(key, next);
      }
    },
  });
}
