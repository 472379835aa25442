/**
 * `npm start`: builds the SPA when `dist/` is missing or older than its sources, then starts the
 * relay (SPA + API + SSE on one origin; the embedded simulator when LIVESTREAM_URL is unset).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spaNeedsBuild } from './spa-build.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

if (spaNeedsBuild(root)) {
  console.log('Building the dashboard (vite build)...');
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const result = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('livestream-monitor: the dashboard build failed (see above).');
    process.exit(result.status ?? 1);
  }
}

await import('../src/relay/main.ts');
