import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { axeSerious } from '../support/axe.ts';
import { expect, test } from '../support/mock-app.ts';

/**
 * Issue 14, the history as an operator meets it in mock mode (the mock relay's history reaches 30
 * days back, made in a worker as the page opens: src/mocks/mock-history.ts): the 24-hour and
 * 30-day windows draw from `/api/history` with date ticks, what one point is, the outages shaded
 * with their verdicts; "Compare with yesterday" lays yesterday over today, with its legend entry;
 * the chart's CSV holds what it draws. On a desk (1440×900) and a phone (390×844), light and dark,
 * with axe. Real time: the chart says it is drawn (`data-state="ready"`) after an animation frame.
 */

const VIEWPORTS = [
  { name: 'desk', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const THEMES = ['light', 'dark'] as const;

/** A date tick: `28 Nov`. */
const DATE_TICK = /^\d{1,2} [A-Z][a-z]{2}$/;

const chart = (page: Page) => page.getByTestId('chart-history');
const windowButton = (page: Page, name: string) =>
  page.getByRole('group', { name: 'Time window' }).getByRole('button', { name, exact: true });

/** The x axis's tick labels of the long-window chart. */
async function xTicks(page: Page): Promise<string[]> {
  return chart(page)
    .locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')
    .evaluateAll((els) => els.map((el) => el.textContent?.trim() ?? ''));
}

async function drawn(page: Page) {
  await expect(chart(page)).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(chart(page)).toHaveAttribute('aria-busy', 'false');
  await expect(chart(page).locator('.traffic-hits-line path.recharts-curve')).toHaveCount(1);
}

for (const viewport of VIEWPORTS) {
  for (const theme of THEMES) {
    test.describe(`history, ${viewport.name} ${viewport.width}×${viewport.height}, ${theme}`, () => {
      test.use({ viewport: { width: viewport.width, height: viewport.height }, colorScheme: theme });
      test.slow();

      test('24 h and 30 d draw from the history with dates, points and outages; compare with yesterday; CSV of what is drawn', async ({
        page,
        mock,
      }, testInfo) => {
        await mock.open({ scenario: 'healthy', query: { window: '86400' } });

        // 24 h: hours with the date at midnight, what one point is, the outage of the morning shaded.
        await expect(windowButton(page, '24 h')).toHaveAttribute('aria-pressed', 'true');
        await drawn(page);
        const dayTicks = await xTicks(page);
        expect(dayTicks.length).toBeGreaterThanOrEqual(4);
        expect(dayTicks.some((t) => DATE_TICK.test(t))).toBe(true);
        expect(dayTicks.filter((t) => !DATE_TICK.test(t)).every((t) => /^\d{2}:00$/.test(t))).toBe(true);
        await expect(chart(page).getByTestId('chart-step')).toHaveText(/^1 point = \d+ (s|min|h)$/);
        await expect(chart(page).locator('.traffic-outage')).not.toHaveCount(0);
        await expect(chart(page).locator('figcaption')).toContainText(/outages? \(shaded\).*recovered/);

        // 30 d: dates only, coarser points, the month's outages with both verdicts.
        await windowButton(page, '30 d').click();
        await expect(page).toHaveURL(/window=2592000/);
        await expect(chart(page)).toContainText('over the last 30 d');
        await drawn(page);
        const monthTicks = await xTicks(page);
        expect(monthTicks.length).toBeGreaterThanOrEqual(3);
        expect(monthTicks.every((t) => DATE_TICK.test(t))).toBe(true);
        await expect(chart(page).getByTestId('chart-step')).toHaveText(/^1 point = \d+ h$/);
        expect(await chart(page).locator('.traffic-outage').count()).toBeGreaterThanOrEqual(2);
        await expect(chart(page).locator('figcaption')).toContainText('probably lost');
        // The long window's top lists come from the history too.
        await expect(page.getByRole('heading', { name: /Top in the last 30 d/ })).toBeVisible();
        await expect(page.getByTestId('top-pages').locator('li').first()).toBeVisible();

        // Compare with yesterday: the dashed overlay and its legend entry.
        await page.getByLabel('Compare with').selectOption('1d');
        await expect(page).toHaveURL(/compare=1d/);
        const legend = chart(page).getByTestId('compare-legend');
        await expect(legend).toHaveText('Yesterday, same time');
        await expect(chart(page).locator('.traffic-compare-line path.recharts-curve')).toHaveCount(1);
        await expect(chart(page).getByTestId('compare-missing')).toHaveCount(0);

        // The CSV: time columns and units, one row per point, yesterday beside today.
        const downloading = page.waitForEvent('download');
        await chart(page).getByRole('button', { name: 'Export the hits per second of the last 30 d as CSV' }).click();
        const download = await downloading;
        expect(download.suggestedFilename()).toMatch(/^livestream-hits-30d-\d{8}T\d{6}Z\.csv$/);
        const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\r\n');
        expect(lines[0]).toBe(
          'time (ISO 8601 UTC),time (epoch s),hits/s (mean of the point),lowest second (hits/s),highest second (hits/s),"Yesterday, same time (hits/s)"',
        );
        const rows = lines.slice(1).map((l) => l.split(','));
        // One row per point of the 30 days: as many as the chart's step makes (its edges rounded).
        const stepH = Number(/= (\d+) h$/.exec((await chart(page).getByTestId('chart-step').textContent()) ?? '')?.[1]);
        expect(Math.abs(rows.length - (30 * 24) / stepH)).toBeLessThanOrEqual(1);
        for (const [iso, epoch, mean, low, high] of rows.slice(0, 50)) {
          expect(new Date(iso!).getTime()).toBe(Number(epoch) * 1000);
          if (mean !== '') expect(Number(low)).toBeLessThanOrEqual(Number(high));
        }
        expect(rows.filter((r) => r[2] !== '').length).toBeGreaterThan(rows.length / 2);
        expect(rows.filter((r) => r[5] !== '').length).toBeGreaterThan(rows.length / 2);

        // Back to 24 h with the comparison on: yesterday over today there too.
        await windowButton(page, '24 h').click();
        await drawn(page);
        await expect(chart(page).getByTestId('compare-legend')).toHaveText('Yesterday, same time');
        await expect(chart(page).locator('.traffic-compare-line path.recharts-curve')).toHaveCount(1);

        expect(
          await axeSerious(page, testInfo, `history-${viewport.name}-${theme}`, '[data-testid="traffic-panel"]'),
        ).toEqual([]);
      });
    });
  }
}

test.describe('compare on a live window', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('the 15-minute chart shows yesterday as a dashed line with its legend, or says it has no data', async ({
    page,
    mock,
  }) => {
    await mock.open({ scenario: 'healthy', query: { window: '900', compare: '1d' } });
    const hits = page.getByTestId('chart-hits');
    await expect(hits.getByTestId('compare-legend')).toHaveText('Yesterday, same time', { timeout: 30_000 });
    await expect(hits.locator('.traffic-compare-line .recharts-area-curve')).toHaveCount(1);
    await expect(hits.getByTestId('chart-step')).toHaveText(/^1 point = \d+ s$/);

    // A period the relay has no data for: said in words, no line.
    const endS = await page.evaluate(() => Math.ceil(Date.now() / 60_000) * 60 - 604_800);
    await mock.override({
      method: 'get',
      path: '/api/history',
      json: { window: 960, end: endS, step: 2, resolution: 'second', buckets: [], outages: [] },
    });
    await page.getByLabel('Compare with').selectOption('7d');
    await expect(hits.getByTestId('compare-missing')).toHaveText('No data for last week at this time.');
    await expect(hits.getByTestId('compare-legend')).toHaveCount(0);
    await expect(hits.locator('.traffic-compare-line')).toHaveCount(0);

    await page.getByLabel('Compare with').selectOption('');
    await expect(page).not.toHaveURL(/compare=/);
    await expect(hits.getByTestId('compare-missing')).toHaveCount(0);
  });
});
