import { queryOptions } from '@tanstack/react-query';
import { ApiErrorSchema, makeProblem, parseWith, type Problem } from '../../../../contract/index.ts';
import { ApiProblemError } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { isExactRecord, parseExactJson, type ExactRecord } from '../utils/exact-json.ts';

/** The relay answered 404: the hit has left its memory (ring buffer). Not retried. */
export class HitGoneError extends ApiProblemError {
  constructor(problem: Problem) {
    super(problem);
    this.name = 'HitGoneError';
  }
}

function problemOf(text: string): Problem | undefined {
  try {
    const parsed = parseWith(ApiErrorSchema, JSON.parse(text));
    return parsed.ok ? parsed.value.error : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `GET /api/hits/:hitId`: the full raw record (redacted by the relay, unknown fields kept),
 * read as text and parsed losslessly: the 64-bit ids come back as bigints with exact digits.
 * Throws {@link HitGoneError} on 404 and `ApiProblemError` on any other failure.
 */
export async function getHit(hitId: string, signal?: AbortSignal): Promise<ExactRecord> {
  const path = `/api/hits/${encodeURIComponent(hitId)}`;
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal: signal ?? null });
  } catch (cause) {
    throw new ApiProblemError(
      makeProblem({ code: 'network_connection_failure', source: 'relay', status: 503, details: String(cause) }),
    );
  }
  const text = await response.text();
  if (!response.ok) {
    const problem =
      problemOf(text) ??
      makeProblem({
        code: response.status === 404 ? 'hit_not_found' : 'internal_error',
        source: 'relay',
        status: response.status,
        details: `${path} answered ${response.status}`,
      });
    throw response.status === 404 ? new HitGoneError(problem) : new ApiProblemError(problem);
  }
  let record: ReturnType<typeof parseExactJson>;
  try {
    record = parseExactJson(text);
  } catch (cause) {
    throw new ApiProblemError(
      makeProblem({ code: 'internal_error', source: 'relay', action: 'none', details: `${path}: ${String(cause)}` }),
    );
  }
  if (!isExactRecord(record)) {
    throw new ApiProblemError(
      makeProblem({ code: 'internal_error', source: 'relay', action: 'none', details: `${path}: not a JSON object` }),
    );
  }
  return record;
}

/**
 * One hit's full record. A record never changes, so it never goes stale; a 404 is final.
 * Data holds bigints: do not persist this query with a JSON serializer.
 */
export function getHitOptions(hitId: string) {
  return queryOptions({
    queryKey: queryKeys.hit(hitId),
    queryFn: ({ signal }) => getHit(hitId, signal),
    staleTime: Infinity,
    retry: (failureCount, error) => !(error instanceof HitGoneError) && failureCount < 2,
  });
}
