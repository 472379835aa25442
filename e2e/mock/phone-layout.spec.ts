import type { Locator, Page } from '@playwright/test';
import { axeSerious } from '../support/axe.ts';
import { CLOCK_START, expect, test } from '../support/mock-app.ts';

/**
 * Issue 17, "operator truth": the page as a person sees it on a desk (1440×900) and on a phone
 * (390×844), light and dark. On the phone nothing but the feed table scrolls sideways and the
 * connection state (Livestream, with the shard's state) is the first thing, whole, in view; on
 * both the header keeps its height through state changes (nothing below it jumps), a countdown
 * never wraps, and the UTC switch changes the times shown. Plus axe on each.
 */

const VIEWPORTS = [
  { name: 'desk', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const THEMES = ['light', 'dark'] as const;

/** An operator in New York: in January local time is UTC − 5 h, so the switch visibly moves every time. */
const TIMEZONE = 'America/New_York';

const livestream = (page: Page) => page.locator('.map-node--livestream');

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not rendered');
  return b;
}

/** Header height and where the panels start: what would move if the header changed height. */
async function headerGeometry(page: Page) {
  return page.evaluate(() => ({
    header: document.querySelector('[data-testid="app-header"]')!.getBoundingClientRect().height,
    mainTop: document.querySelector('[data-testid="app-main"]')!.getBoundingClientRect().top + scrollY,
  }));
}

/** "13:04:05" → seconds of the day. */
function secondsOfDay(text: string): number {
  const [h, m, s] = text.split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
}

for (const viewport of VIEWPORTS) {
  for (const theme of THEMES) {
    test.describe(`${viewport.name} ${viewport.width}×${viewport.height}, ${theme}`, () => {
      test.use({
        viewport: { width: viewport.width, height: viewport.height },
        colorScheme: theme,
        timezoneId: TIMEZONE,
      });

      test('the connection state comes first, whole; the header keeps its height through stalled, waiting and streaming; the countdown stays on one line', async ({
        page,
        mock,
      }) => {
        await mock.open({ scenario: 'stall', clock: true });
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        const state = page.getByTestId('shard-state-0');
        await expect(state).toHaveText('streaming');

        // Nothing scrolls sideways but the feed table.
        if (viewport.name === 'phone') {
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        }

        // Livestream with the shard's state is whole in the first screen, above everything else of the header.
        const node = await box(livestream(page));
        expect(node.x).toBeGreaterThanOrEqual(0);
        expect(node.y).toBeGreaterThanOrEqual(0);
        expect(node.x + node.width).toBeLessThanOrEqual(viewport.width);
        expect(node.y + node.height).toBeLessThanOrEqual(viewport.height);
        await expect(livestream(page).getByTestId('shard-state-0')).toBeInViewport({ ratio: 1 });
        if (viewport.name === 'phone') {
          for (const other of [
            page.locator('.map-node--browser'),
            page.locator('.map-node--relay'),
            page.locator('.app-header__controls'),
          ]) {
            expect((await box(other)).y, 'Livestream comes before the other header parts').toBeGreaterThan(node.y);
          }
        }

        const streaming = await headerGeometry(page);
        await mock.advance(26_000);
        await expect(state).toHaveText('stalled');
        expect(await headerGeometry(page)).toEqual(streaming);

        await mock.advance(15_000);
        await expect(state).toHaveText('waiting');
        expect(await headerGeometry(page)).toEqual(streaming);
        // The countdown is one line ("58 s", never "58" over "s"), and whole in view.
        const time = page.getByTestId('shard-countdown-0').locator('time');
        await expect(time).toHaveText(/^\d+ s$/);
        expect(await time.evaluate((el) => el.getClientRects().length)).toBe(1);
        const countdownText = await box(page.getByTestId('shard-countdown-0').locator('.countdown__text'));
        const lineHeight = await time.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 20);
        expect(countdownText.height).toBeLessThan(lineHeight * 1.5);
        await expect(page.getByTestId('shard-countdown-0')).toBeInViewport({ ratio: 1 });
        if (viewport.name === 'phone') {
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        }

        await mock.advance(61_000);
        await expect(state).toHaveText('streaming');
        expect(await headerGeometry(page)).toEqual(streaming);
      });

      test('axe finds no serious or critical violation with a shard waiting', async ({ page, mock }, testInfo) => {
        // Real time (axe runs on timers, which a paused clock would hold): the 409 wait lasts a minute.
        await mock.open({ scenario: 'churn-409' });
        await expect(page.getByTestId('shard-state-0')).toHaveText('waiting');
        await expect(page.getByTestId('shard-countdown-0')).toBeVisible();
        if (viewport.name === 'phone') {
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        }
        expect(await axeSerious(page, testInfo)).toEqual([]);
      });

      test('the UTC switch changes the times shown, and is remembered', async ({ page, mock }) => {
        await mock.open({ scenario: 'churn-409', clock: true });
        const details = page.getByRole('region', { name: 'Connection details' });
        const sinceCell = details.getByRole('row').nth(1).getByRole('cell').nth(2);
        const zoneSwitch = page.getByRole('group', { name: 'Times in' });

        await expect(zoneSwitch.getByRole('button', { name: 'Local (EST)' })).toHaveAttribute('aria-pressed', 'true');
        await expect(details.getByRole('columnheader', { name: 'Since (EST)' })).toBeVisible();
        const local = secondsOfDay((await sinceCell.textContent()) ?? '');
        // The clock starts at 18:00 UTC: 13:00 in New York.
        expect(Math.floor(local / 3600)).toBe(new Date(CLOCK_START).getUTCHours() - 5);
        const gapNote = page.getByTestId('chart-hits').getByText(/^No data: reconnect wait /);
        await mock.advance(5_000);
        await expect(gapNote).toContainText(' EST ');

        await zoneSwitch.getByRole('button', { name: 'UTC' }).click();
        await expect(details.getByRole('columnheader', { name: 'Since (UTC)' })).toBeVisible();
        const utc = secondsOfDay((await sinceCell.textContent()) ?? '');
        expect((utc - local + 86_400) % 86_400).toBe(5 * 3600);
        await expect(gapNote).toContainText(' UTC ');
        await expect(page.getByTestId('traffic-zone')).toHaveText('Times in UTC');
        await expect(page).toHaveURL(/[?&]tz=utc(&|$)/);

        // Remembered like the theme: a fresh visit, without the URL parameter, still shows UTC.
        await page.goto('./?scenario=churn-409&seed=1');
        await expect(
          page.getByRole('group', { name: 'Times in' }).getByRole('button', { name: 'UTC' }),
        ).toHaveAttribute('aria-pressed', 'true');
      });
    });
  }
}
