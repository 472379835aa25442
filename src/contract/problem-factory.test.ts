import { describe, expect, it } from 'vitest';
import { ProblemSchema, makeProblem } from './index.ts';

describe('makeProblem', () => {
  it('fills status, action and message from the catalogue, with a fresh trace', () => {
    const a = makeProblem({ code: 'too_many_connections', source: 'upstream', shard: 1, at: 5 });
    const b = makeProblem({ code: 'too_many_connections', source: 'upstream' });
    expect(a).toMatchObject({ status: 409, action: 'retry-after', source: 'upstream', shard: 1, at: 5 });
    expect(a.message.length).toBeGreaterThan(10);
    expect(a.trace).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.trace).not.toBe(b.trace);
    expect(a.id).not.toBe(b.id);
    expect(ProblemSchema.parse(a)).toEqual(a);
  });

  it("lets the object's own status and action win over the catalogue default", () => {
    const p = makeProblem({
      code: 'internal_error',
      source: 'upstream',
      action: 'retry-after',
      status: 500,
      retryAfter: 60,
    });
    expect(p).toMatchObject({ status: 500, action: 'retry-after', retryAfter: 60 });
  });

  it('keeps an upstream trace, and drops a helpUrl that is not absolute', () => {
    const p = makeProblem({ code: 'stream_not_found', source: 'upstream', trace: 'adobe-trace', helpUrl: 'help/404' });
    expect(p.trace).toBe('adobe-trace');
    expect(p).not.toHaveProperty('helpUrl');
  });

  it('builds a valid problem for a code it does not know', () => {
    const p = makeProblem({ code: 'novel_code', source: 'relay' });
    expect(p).toMatchObject({ status: 500, action: 'none', message: 'Unexpected error: novel_code' });
    expect(ProblemSchema.safeParse(p).success).toBe(true);
  });
});
