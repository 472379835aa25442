/**
 * Whether the built SPA (`dist/`) is older than its sources: the check `npm start` makes before
 * building, shared with the benchmarks so that no suite measures a build.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the SPA build reads, relative to the project root. */
export const SPA_SOURCES = [
  'src/web',
  'src/contract',
  'src/simulator/generator',
  'public',
  'index.html',
  'vite.config.ts',
  'package.json',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when `dist/index.html` is missing or older than any source of the build. */
export function spaNeedsBuild(root: string): boolean {
  const index = join(root, 'dist', 'index.html');
  if (!existsSync(index)) return true;
  const changed = Math.max(...SPA_SOURCES.map((s) => newestMtime(join(root, s))));
  return statSync(index).mtimeMs < changed;
}
