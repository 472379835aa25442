import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { axeSerious } from '../support/axe.ts';
import { expect, test } from '../support/mock-app.ts';

/**
 * Operator truth (issue 17): every number on the page is live or says how old it is; a top-list
 * entry leads into the feed (and back); the feed and the top lists export as CSV and NDJSON.
 * On a desktop and a phone, in both themes, with axe on what the operator then sees.
 */

const VIEWPORTS = [
  { name: 'desktop', size: { width: 1440, height: 900 } },
  { name: 'phone', size: { width: 390, height: 844 } },
] as const;
const THEMES = ['light', 'dark'] as const;

const details = (page: Page) => page.getByTestId('connection-details');
const reconnects = (page: Page) => details(page).locator('dt:text-is("Reconnects") + dd');
const hitsCaption = (page: Page) => page.getByTestId('chart-hits');

for (const viewport of VIEWPORTS) {
  for (const theme of THEMES) {
    test.describe(`live numbers, explore and export, ${viewport.name}, ${theme}`, () => {
      test.use({ viewport: viewport.size, colorScheme: theme });
      test.slow();

      test('a failed shard: no rate "now", the gap named as a failure, counters live without waiting for a poll', async ({
        page,
        mock,
      }) => {
        // 401 healed by a fresh token, 20 s of streaming, lost, a 60 s wait, then 401 twice: failed.
        await mock.open({ scenario: 'token-expired', clock: true });
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await mock.advance(4_000);
        await expect(reconnects(page)).toHaveText('1');
        await expect(hitsCaption(page)).toContainText(/Now \d+ hits\/s/);

        // Lost after 20 s: the wait is a gap named as such, and nothing is "now".
        await mock.advance(30_000);
        await expect(hitsCaption(page)).toContainText(/No data now: reconnect wait since \d\d:\d\d:\d\d \S+/);
        await expect(hitsCaption(page)).not.toContainText(/Now \d/);
        await expect(page.getByTestId('chart-lag')).toContainText('No lag now: no hits since');

        // The attempt after the cooldown fails for good (~81 s). Two seconds later the status
        // poll (every 30 s, last at 60 s) has not run: what shows came live.
        await mock.advance(49_000);
        await expect(page.getByTestId('shard-state-0')).toHaveText('failed');
        await expect(reconnects(page)).toHaveText('3');
        await expect(hitsCaption(page)).toContainText(/No data now: shard failed since \d\d:\d\d:\d\d \S+/);
        await expect(hitsCaption(page)).toContainText(/No data: reconnect wait [^;]+; shard failed /);
      });

      test('the relay link drops: the shards are greyed as "last known", then live again', async ({ page, mock }) => {
        await mock.open({ scenario: 'relay-down', clock: true });
        await expect(page.getByTestId('shard-card-0')).not.toHaveAttribute('data-stale', 'true');
        await expect(page.getByTestId('shard-card-0')).toContainText('hits/s');
        await mock.advance(8_000);
        const card = page.getByTestId('shard-card-0');
        await expect(card).toHaveAttribute('data-stale', 'true');
        await expect(page.getByTestId('shard-stale-0')).toHaveText('last known');
        await expect(card).not.toContainText('hits/s');
        await expect(page.getByTestId('livestream-stale')).toContainText(/last known, as of \d\d:\d\d:\d\d/);
        await expect(page.getByTestId('traffic-stale')).toContainText('data as of');
        await mock.advance(40_000);
        await expect(card).not.toHaveAttribute('data-stale', 'true');
        await expect(page.getByTestId('livestream-stale')).toHaveCount(0);
      });

      test('a top-list entry filters the feed and says so, with a way back; feed and lists export', async ({
        page,
        mock,
      }, testInfo) => {
        await mock.open({ scenario: 'healthy', clock: true });
        await mock.advance(6_000);
        const feed = page.getByRole('grid', { name: 'Live hits, newest first' });
        await expect(feed.getByRole('row').nth(3)).toBeVisible();

        const pages = page.getByTestId('top-pages');
        const first = pages.getByRole('button').first();
        const key = (await first.getAttribute('title'))!.replace(/: show these hits in the live feed$/, '');
        await first.click();
        await expect(page).toHaveURL(new RegExp(`[?&]pick=pages%3A`));
        const notice = page.getByTestId('feed-pick');
        await expect(notice).toContainText(`Showing only hits whose page is “${key}”`);
        await expect(notice).toBeInViewport();
        await expect(first).toHaveAttribute('aria-pressed', 'true');
        // Every row shown is one of that page's hits.
        const pageCells = feed.getByRole('row').locator('td:nth-child(2)');
        await expect(pageCells.first()).toBeVisible();
        for (const text of await pageCells.allInnerTexts()) expect(text).toBe(key);
        await expect(page.getByTestId('feed-count')).toHaveText(/^\d[\d,]* of \d[\d,]* hits$/);

        // The feed's rows, as shown, in both formats.
        const [csv] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: /^Export the [\d,]+ hits shown as CSV$/ }).click(),
        ]);
        expect(csv.suggestedFilename()).toMatch(/^livestream-feed-\d{8}T\d{6}Z\.csv$/);
        const csvLines = (await readFile(await csv.path(), 'utf8')).trim().split('\r\n');
        expect(csvLines[0]).toMatch(/^seq,hitId,shard,arrivedAt,timeGMT,receivedTimeGMT,reportSuite,pageName,/);
        expect(csvLines.length).toBeGreaterThan(1);
        const [ndjson] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: /^Export the [\d,]+ hits shown as NDJSON$/ }).click(),
        ]);
        const records = (await readFile(await ndjson.path(), 'utf8'))
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { pageName?: string; hitId: string });
        expect(records.length).toBe(csvLines.length - 1);
        for (const record of records) {
          expect(record.pageName).toBe(key);
          expect(record.hitId).toMatch(/^\d+-\d+$/);
        }
        const [top] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: /^Export the top lists of the last 15 min as CSV$/ }).click(),
        ]);
        const topText = await readFile(await top.path(), 'utf8');
        expect(topText.split('\r\n')[0]).toBe('window_s,at,list,key,count,share');
        expect(topText).toContain(`,pages,`);

        expect(await axeSerious(page, testInfo, 'picked')).toEqual([]);

        // The way back.
        await page.getByTestId('feed-pick-clear').click();
        await expect(page.getByTestId('feed-pick')).toHaveCount(0);
        await expect(page).not.toHaveURL(/[?&]pick=/);
        await expect(page.getByTestId('feed-count')).toHaveText(/^\d[\d,]* hits$/);
      });
    });
  }
}
