import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProblem } from '../../contract/index.ts';
import { FileProblemLog } from './file-problem-log.ts';
import { FileShardMemory } from './file-shard-memory.ts';

/** Disk conditions a relay meets in the wild, made real: a full disk is /dev/full, a file that became a folder is a folder. */

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lsm-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function hooks() {
  const errors: string[] = [];
  const recovered: string[] = [];
  return {
    errors,
    recovered,
    hooks: {
      onWriteError: (_what: string, error: unknown) => errors.push((error as NodeJS.ErrnoException).code ?? 'no code'),
      onWriteRecovered: (what: string) => recovered.push(what),
    },
  };
}

const leftovers = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.tmp'));

describe('FileShardMemory on a hostile disk', () => {
  it('keeps working in memory when the disk is full, says so once, and leaves no temporary file', () => {
    const dir = dataDir();
    const seen = hooks();
    const memory = new FileShardMemory(dir, 'http://up/x', { hooks: seen.hooks });
    // The temporary file is /dev/full: every write to it fails with ENOSPC.
    symlinkSync('/dev/full', join(dir, `shards.json.${process.pid}.tmp`));
    memory.update(0, { lastLossAt: 1000 });
    expect(seen.errors).toEqual(['ENOSPC']);
    expect(memory.get(0).lastLossAt).toBe(1000);
    expect(leftovers(dir)).toEqual([]);
    // The next write goes through (the failed temporary was removed): one recovery, no new error.
    memory.update(0, { lastLossAt: 2000 });
    expect(seen.errors).toEqual(['ENOSPC']);
    expect(seen.recovered).toHaveLength(1);
  });

  it('survives its file becoming a folder: one report for many failed writes, no temporary files piling up', () => {
    const dir = dataDir();
    const seen = hooks();
    const memory = new FileShardMemory(dir, 'http://up/x', { hooks: seen.hooks });
    memory.update(0, { lastLossAt: 1 });
    rmSync(join(dir, 'shards.json'));
    mkdirSync(join(dir, 'shards.json', 'inside'), { recursive: true });
    for (let i = 0; i < 50; i++) memory.update(0, { open: true, aliveAt: i });
    expect(seen.errors).toHaveLength(1);
    expect(memory.get(0).aliveAt).toBe(49);
    expect(leftovers(dir)).toEqual([]);
  });

  it.each([
    ['garbage', (path: string) => writeFileSync(path, '{"version":1,"shards":{"0":{"lastLossAt":'), /not JSON/],
    ['a folder', (path: string) => mkdirSync(path), /not a regular file/],
    [
      'a loss in the future',
      (path: string) =>
        writeFileSync(path, JSON.stringify({ version: 1, shards: { '0': { lastLossAt: Date.now() + 86_400_000 } } })),
      /in the future/,
    ],
    [
      'another version',
      (path: string) => writeFileSync(path, JSON.stringify({ version: 9, shards: {} })),
      /unexpected/,
    ],
  ])('assumes the worst when the file is %s: a loss at its last change for every shard', (_name, damage, reason) => {
    const dir = dataDir();
    const path = join(dir, 'shards.json');
    damage(path);
    const changedAt = Date.now() - 30_000;
    utimesSync(path, changedAt / 1000, changedAt / 1000);
    const memory = new FileShardMemory(dir, 'http://up/x');
    expect(memory.unreadable?.reason).toMatch(reason);
    expect(Math.abs(memory.unreadable!.lossAt - changedAt)).toBeLessThan(1000);
    expect(memory.effectiveLastLoss(0)).toBe(memory.unreadable!.lossAt);
    expect(memory.effectiveLastLoss(5)).toBe(memory.unreadable!.lossAt);
  });

  it('never assumes a loss later than now, whatever the file time says', () => {
    const dir = dataDir();
    const path = join(dir, 'shards.json');
    writeFileSync(path, 'not json');
    const future = Date.now() / 1000 + 86_400;
    utimesSync(path, future, future);
    const memory = new FileShardMemory(dir, 'http://up/x');
    expect(memory.unreadable!.lossAt).toBeLessThanOrEqual(Date.now());
  });

  it("starts clean, without complaint, on another stream's memory, and removes temporary files a crash left", () => {
    const dir = dataDir();
    writeFileSync(
      join(dir, 'shards.json'),
      JSON.stringify({ version: 1, upstream: 'http://other/y', shards: { '0': { lastLossAt: 5 } } }),
    );
    writeFileSync(join(dir, 'shards.json.12345.tmp'), '');
    const memory = new FileShardMemory(dir, 'http://up/x');
    expect(memory.unreadable).toBeUndefined();
    expect(memory.effectiveLastLoss(0)).toBeUndefined();
    expect(existsSync(join(dir, 'shards.json.12345.tmp'))).toBe(false);
  });
});

describe('FileProblemLog on a hostile disk', () => {
  const problem = (n: number) => makeProblem({ code: 'connection_lost', source: 'upstream', details: `#${n}` });

  it('keeps serving from memory when appends fail (disk full), reporting once', () => {
    const dir = dataDir();
    symlinkSync('/dev/full', join(dir, 'problems.ndjson'));
    const seen = hooks();
    const log = new FileProblemLog(dir, { hooks: seen.hooks });
    for (let i = 0; i < 20; i++) log.add(problem(i));
    expect(seen.errors).toEqual(['ENOSPC']);
    expect(log.list(5).map((p) => p.details)).toEqual(['#19', '#18', '#17', '#16', '#15']);
  });

  it('starts when DATA_DIR is a file, and says the log cannot be written', () => {
    const file = join(dataDir(), 'not-a-folder');
    writeFileSync(file, '');
    const seen = hooks();
    const log = new FileProblemLog(file, { hooks: seen.hooks });
    log.add(problem(1));
    expect(seen.errors).toHaveLength(1);
    expect(log.size).toBe(1);
  });

  it('tells an unreadable log from a missing one', () => {
    const dir = dataDir();
    expect(new FileProblemLog(dir).unreadable).toBeUndefined();
    mkdirSync(join(dir, 'problems.ndjson'));
    expect(new FileProblemLog(dir).unreadable).toMatch(/not a regular file/);
  });
});
