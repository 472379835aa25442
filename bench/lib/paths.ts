import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (bench/ sits at the top level). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH_DIR = join(ROOT, 'bench');
/** Git-ignored: logs, raw profiles, cached corpora, the last results of every suite. */
export const OUT_DIR = join(BENCH_DIR, 'out');
