/**
 * `npm start`: builds the SPA when `dist/` is missing or older than its sources, then starts the
 * relay (SPA + API + SSE on one origin; the embedded simulator when LIVESTREAM_URL is unset).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const builtIndex = join(root, 'dist', 'index.html');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const sources = [
  'src/web',
  'src/contract',
  'src/simulator/generator',
  'public',
  'index.html',
  'vite.config.ts',
  'package.json',
];
const sourcesChanged = Math.max(...sources.map((s) => newestMtime(join(root, s))));
if (!existsSync(builtIndex) || statSync(builtIndex).mtimeMs < sourcesChanged) {
  console.log('Building the dashboard (vite build)...');
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const result = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('livestream-monitor: the dashboard build failed (see above).');
    process.exit(result.status ?? 1);
  }
}

await import('../src/relay/main.ts');
