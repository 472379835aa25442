import { makeProblem, type Problem } from '../../contract/index.ts';

/**
 * A query or path value that must be an integer within bounds: the number, the fallback when
 * absent, or a 400 `invalid_parameter_value` Problem naming it (source `relay`). Used by the relay
 * and by the mocks so both answer bad input the same way.
 */
export function parseIntParam(
  name: string,
  raw: unknown,
  min: number,
  max: number,
  fallback: number,
): number | Problem {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    return makeProblem({
      code: 'invalid_parameter_value',
      source: 'relay',
      message: `The parameter "${name}" must be an integer from ${min} to ${max}.`,
      details: `${name}=${text.slice(0, 50)}`,
    });
  }
  return value;
}
