import { describe, expect, it } from 'vitest';
import { problemFixture, T0 } from '../../../test/fixtures.ts';
import { countActive, filterProblems, groupProblems } from './group-problems.ts';

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

  it('puts active groups first and resolved ones after, a code with both in two groups', () => {
    const groups = groupProblems([
      problemFixture({ code: 'connection_lost', at: T0, resolvedAt: T0 + 5_000 }),
      problemFixture({ code: 'connection_lost', at: T0 + 10_000 }),
      problemFixture({ code: 'stream_stalled', at: T0 - 60_000 }),
      problemFixture({ code: 'too_many_connections', at: T0 + 20_000, resolvedAt: T0 + 30_000 }),
      problemFixture({ code: 'connection_lost', at: T0 - 5_000, resolvedAt: T0 + 5_000 }),
    ]);
    expect(groups.map((g) => [g.code, g.lifecycle, g.count, g.resolvedAt])).toEqual([
      ['connection_lost', 'active', 1, undefined],
      ['stream_stalled', 'active', 1, undefined],
      ['too_many_connections', 'resolved', 1, T0 + 30_000],
      ['connection_lost', 'resolved', 2, T0 + 5_000],
    ]);
  });

  it('is acknowledged once every occurrence is, and counts active ones', () => {
    const [group] = groupProblems([
      problemFixture({ acknowledgedAt: T0 + 1 }),
      problemFixture({ acknowledgedAt: T0 + 2 }),
    ]);
    expect(group!.acknowledgedAt).toBe(T0 + 2);
    const [partly] = groupProblems([problemFixture({ acknowledgedAt: T0 }), problemFixture()]);
    expect(partly!.acknowledgedAt).toBeUndefined();
    expect(partly!.unacknowledged).toHaveLength(1);
    expect(countActive([problemFixture(), problemFixture({ resolvedAt: T0 }), problemFixture()])).toBe(2);
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
