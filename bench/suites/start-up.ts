import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked } from '../lib/children.ts';
import { ensureBuilt, launchChromium } from '../lib/chromium.ts';
import { figure } from '../lib/figures.ts';
import { ROOT } from '../lib/paths.ts';
import type { Suite } from '../lib/suite.ts';

/**
 * Start-up: from spawning `npm start` (installed, SPA built, fresh DATA_DIR, PORT=0) to the first
 * hit rendered as a row of the live feed in Chromium. Chromium is launched first (not counted);
 * a page opens the URL the relay prints as soon as it prints it.
 */
export const startUpSuite: Suite = {
  name: 'start-up',
  title: 'Start-up: `npm start` to the first hit in the live feed',
  async run(ctx, result) {
    if (await ensureBuilt())
      result.notes.push('The SPA was older than its sources: `vite build` ran first (not measured).');
    const runs = ctx.quick ? 1 : 3;
    const total: number[] = [];
    const listening: number[] = [];
    const loaded: number[] = [];
    const browser = await launchChromium();
    try {
      for (let r = 0; r < runs; r++) {
        const dataDir = mkdtempSync(join(tmpdir(), 'lsm-bench-start-'));
        const page = await browser.newPage();
        const t0 = performance.now();
        // Its own process group: npm, the shell and node are stopped together, by that group's id.
        const npm = spawnTracked('npm', ['start'], {
          cwd: ROOT,
          detached: true,
          env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
          logName: `start-up-${r + 1}`,
        });
        try {
          const [, url] = await npm.waitForLine(/dashboard at (http:\/\/\S+)/, 60_000);
          const t1 = performance.now();
          await page.goto(url!);
          const t2 = performance.now();
          await page.waitForSelector('[data-testid="feed-grid"] tr.feed-table__row', { timeout: 60_000 });
          const t3 = performance.now();
          total.push((t3 - t0) / 1000);
          listening.push((t1 - t0) / 1000);
          loaded.push((t2 - t1) / 1000);
          ctx.log(
            `start-up: run ${r + 1}: ${((t3 - t0) / 1000).toFixed(2)} s (listening ${((t1 - t0) / 1000).toFixed(2)} s, page loaded +${((t2 - t1) / 1000).toFixed(2)} s, first row +${((t3 - t2) / 1000).toFixed(2)} s)`,
          );
        } finally {
          await page.close();
          await npm.stop();
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
    } finally {
      await browser.close();
    }
    result.figures.push(
      figure('npm start → first hit rendered in the live feed', 's', total, {
        target: { op: '<', value: 10 },
        decimals: 2,
        note: `${runs} run(s), each with a fresh DATA_DIR; measured from the spawn of \`npm start\``,
      }),
      figure('npm start → relay listening (URL printed)', 's', listening, { decimals: 2 }),
      figure('URL printed → page loaded', 's', loaded, { decimals: 2 }),
      figure(
        'page loaded → first feed row',
        's',
        total.map((t, i) => t - listening[i]! - loaded[i]!),
        { decimals: 2, note: 'upstream connect (redirect, token) + the first 200-ms feed batch + SSE + render' },
      ),
    );
  },
};
