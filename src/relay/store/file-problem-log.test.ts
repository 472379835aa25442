import { appendFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProblem, ProblemSchema } from '../../contract/index.ts';
import { FileProblemLog } from './file-problem-log.ts';

/** The error log's later life (resolved, acknowledged) survives a restart of the relay. */

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lsm-problems-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 0, 1, 12);
const problem = (n: number) =>
  makeProblem({ code: 'connection_lost', source: 'upstream', shard: 0, at: T0 + n, details: `#${n}` });

describe('FileProblemLog: resolved and acknowledged across a restart', () => {
  it('reads back resolvedAt and acknowledgedAt, in place, without duplicates', () => {
    const dir = dataDir();
    const log = new FileProblemLog(dir);
    const [a, b, c] = [problem(1), problem(2), problem(3)];
    for (const p of [a, b, c]) log.add(p);
    expect(log.update(a.id, { resolvedAt: T0 + 10 })).toMatchObject({ changed: true });
    expect(log.update(b.id, { acknowledgedAt: T0 + 20 })).toMatchObject({ changed: true });
    // A second resolution changes nothing and writes nothing.
    expect(log.update(a.id, { resolvedAt: T0 + 99 })).toMatchObject({ changed: false });
    expect(log.update('unknown', { resolvedAt: T0 })).toBeUndefined();
    const lines = readFileSync(join(dir, 'problems.ndjson'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);

    const again = new FileProblemLog(dir);
    expect(again.list(10).map((p) => [p.id, p.resolvedAt, p.acknowledgedAt])).toEqual([
      [c.id, undefined, undefined],
      [b.id, undefined, T0 + 20],
      [a.id, T0 + 10, undefined],
    ]);
    expect(again.active().map((p) => p.id)).toEqual([b.id, c.id]);
  });

  it('keeps the folded life through compaction', () => {
    const dir = dataDir();
    const log = new FileProblemLog(dir, { keep: 5, maxLines: 8 });
    const problems = Array.from({ length: 6 }, (_, i) => problem(i));
    for (const p of problems) log.add(p);
    for (const p of problems.slice(2)) log.update(p.id, { resolvedAt: T0 + 100 });
    // 6 Problems + 4 updates: compacted past 8 lines, to the kept Problems with their updates folded in.
    const lines = readFileSync(join(dir, 'problems.ndjson'), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(8);
    for (const line of lines.slice(0, 5)) expect(ProblemSchema.safeParse(JSON.parse(line)).success).toBe(true);
    const again = new FileProblemLog(dir, { keep: 5 });
    expect(again.list(5).map((p) => p.resolvedAt)).toEqual([T0 + 100, T0 + 100, T0 + 100, T0 + 100, undefined]);
  });

  it('skips a torn update line and an update for an id it does not hold, never crashing', () => {
    const dir = dataDir();
    const log = new FileProblemLog(dir);
    const a = problem(1);
    log.add(a);
    const path = join(dir, 'problems.ndjson');
    appendFileSync(path, `${JSON.stringify({ update: 'gone', resolvedAt: 1 })}\n{"update":"${a.id}","resol`);
    const again = new FileProblemLog(dir);
    expect(again.list(10)).toEqual([a]);
  });

  it('keeps updates in memory when the disk is full, reporting once', () => {
    const dir = dataDir();
    symlinkSync('/dev/full', join(dir, 'problems.ndjson'));
    const errors: unknown[] = [];
    const log = new FileProblemLog(dir, { hooks: { onWriteError: (_what, error) => errors.push(error) } });
    const a = problem(1);
    log.add(a);
    expect(log.update(a.id, { acknowledgedAt: T0 + 5 })?.problem.acknowledgedAt).toBe(T0 + 5);
    expect(log.list(1)[0]!.acknowledgedAt).toBe(T0 + 5);
    expect(errors).toHaveLength(1);
  });
});
