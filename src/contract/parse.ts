import type { z } from 'zod';

/** The outcome of checking untrusted data against a contract schema. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * One readable line for a failed parse, e.g.
 * `code: expected string, received undefined; shards.0.state: too small`.
 */
export function explainZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Parses without throwing; the reason names each field that failed. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, reason: explainZodError(result.error) };
}
