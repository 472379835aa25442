import { ApiErrorSchema, makeProblem, parseWith, type Problem } from '../../contract/index.ts';
import type { z } from 'zod';

/** A failed API call, carrying the relay's Problem (or one built for a network failure). */
export class ApiProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.code}: ${problem.message}`);
    this.name = 'ApiProblemError';
  }
}

/** The error object a failed request gives: the relay's own, or an `internal_error` around anything else. */
export function problemOfError(error: Error | null | undefined): Problem | undefined {
  if (error instanceof ApiProblemError) return error.problem;
  return error ? makeProblem({ code: 'internal_error', source: 'relay', details: String(error) }) : undefined;
}

/**
 * GETs a relay route and validates the answer against its contract schema. Relay errors arrive
 * as `{error: Problem}`; anything else unexpected becomes a Problem with `source: "relay"`.
 */
export async function fetchJson<S extends z.ZodType>(
  path: string,
  schema: S,
  init?: RequestInit,
): Promise<z.output<S>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch (cause) {
    throw new ApiProblemError(
      makeProblem({
        code: 'network_connection_failure',
        source: 'relay',
        status: 503,
        action: 'retry',
        details: String(cause),
      }),
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = parseWith(ApiErrorSchema, body);
    if (parsed.ok) throw new ApiProblemError(parsed.value.error);
    throw new ApiProblemError(
      makeProblem({
        code: 'internal_error',
        source: 'relay',
        status: response.status,
        details: `${path} answered ${response.status}`,
      }),
    );
  }
  const parsed = parseWith(schema, body);
  if (!parsed.ok) {
    throw new ApiProblemError(
      makeProblem({ code: 'internal_error', source: 'relay', action: 'none', details: `${path}: ${parsed.reason}` }),
    );
  }
  return parsed.value;
}
