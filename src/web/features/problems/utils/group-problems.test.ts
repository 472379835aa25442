import { describe, expect, it } from 'vitest';
import { problemFixture, T0 } from '../../../test/fixtures.ts';
import { filterProblems, groupProblems } from './group-problems.ts';

describe('groupProblems', () => {
  it('groups by code, newest group first, with count and first/last seen', () => {
    const groups = groupProblems([
      problemFixture({ code: 'a', at: T0 }),
      problemFixture({ code: 'b', at: T0 - 1_000 }),
      problemFixture({ code: 'a', at: T0 - 5_000 }),
    ]);
    expect(groups.map((g) => [g.code, g.count, g.firstAt, g.lastAt])).toEqual([
      ['a', 2, T0 - 5_000, T0],
      ['b', 1, T0 - 1_000, T0 - 1_000],
    ]);
  });

  it('filters by action and source', () => {
    const problems = [
      problemFixture({ action: 'retry-after', source: 'upstream' }),
      problemFixture({ action: 'configuration', source: 'upstream' }),
      problemFixture({ action: 'retry-after', source: 'token' }),
    ];
    expect(filterProblems(problems, { action: 'retry-after' })).toHaveLength(2);
    expect(filterProblems(problems, { action: 'retry-after', source: 'token' })).toHaveLength(1);
    expect(filterProblems(problems, { action: null, source: null })).toHaveLength(3);
  });
});
