import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT, serveStatic, viteBuild, type StaticSite } from '../support/static-site.ts';

/**
 * The static demo: `vite build --mode demo` (what `npm run build:demo` runs) writes `dist-demo/`;
 * a plain static file server serves it from a sub-path, and Chromium shows live-looking data
 * (MSW's worker registered under that sub-path). And the normal build carries no mock code.
 */

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let site: StaticSite | undefined;

test.beforeAll(async () => {
  await viteBuild({ mode: 'demo' });
  site = await serveStatic(join(ROOT, 'dist-demo'), 'livestream-monitor');
});

test.afterAll(async () => {
  await site?.close();
});

test('dist-demo served by python3 -m http.server from a sub-path shows live data', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${site!.url}?scenario=shards-partial`);
  await expect(
    page.getByRole('region', { name: 'Connection map' }).getByText('connected', { exact: true }),
  ).toBeVisible();
  await expect(page.getByText('3 of 4 streaming')).toBeVisible();
  const rows = page.getByRole('grid', { name: 'Live hits, newest first' }).getByRole('row');
  await expect(rows.nth(5)).toBeVisible();
  await expect(page.getByText(/^Now [\d.,]+ hits\/s; average/)).toBeVisible();
  // The worker lives beside the page and controls only that folder.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope);
  expect(scope).toBe(site!.url);
  // Switching scenario from the panel stays under the sub-path.
  await page.getByText('Mock mode:').click();
  await page.getByRole('navigation', { name: 'Mock scenarios' }).getByRole('link', { name: 'Burst' }).click();
  await expect(page).toHaveURL(/\/livestream-monitor\/\?scenario=burst$/);
  await expect(page.getByRole('region', { name: 'Traffic' }).getByText(/^1 in \d+ shown$/)).toBeVisible();
  expect(errors).toEqual([]);
});

// eslint-disable-next-line no-empty-pattern -- no fixture needed, only testInfo
test('the normal build carries no mock code', async ({}, testInfo) => {
  const outDir = mkdtempSync(join(tmpdir(), 'lsm-dist-'));
  try {
    await viteBuild({ outDir });
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(outDir);
    const shipped = files.filter((f) => !f.endsWith('.map') && !f.endsWith('mockServiceWorker.js'));
    expect(shipped.some((f) => f.endsWith('index.html'))).toBe(true);
    // Strings only the mock code holds (scenario names, MSW's worker API, the panel).
    const markers = ['churn-409', 'shards-partial', 'mockServiceWorker', 'Mock mode:', '__msw', 'MOCK_ACTIVATE'];
    for (const file of shipped) {
      const text = readFileSync(file, 'utf8');
      for (const marker of markers)
        expect(text.includes(marker), `${relative(outDir, file)} holds "${marker}"`).toBe(false);
    }
    if (files.some((f) => f.endsWith('mockServiceWorker.js'))) {
      // Vite copies public/ into every build; only vite.config.ts can keep it out (reported).
      testInfo.annotations.push({
        type: 'note',
        description: 'mockServiceWorker.js is copied from public/ into the normal build (never registered there).',
      });
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
