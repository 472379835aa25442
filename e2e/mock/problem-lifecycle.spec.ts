import type { Page } from '@playwright/test';
import { axeSerious } from '../support/axe.ts';
import { expect, test } from '../support/mock-app.ts';

/**
 * An error object's life as an operator sees it (docs/api.md, "Problem"): active while the
 * trouble lasts (first in the panel, counted in the page title, with Acknowledge), resolved when
 * the shard streams again (collapsed to "resolved <time>", the title back to bare, nothing to do).
 * On a desktop and a phone, in both themes, with axe on what recovery leaves on the page.
 */

const VIEWPORTS = [
  { name: 'desktop', size: { width: 1440, height: 900 } },
  { name: 'phone', size: { width: 390, height: 844 } },
] as const;
const THEMES = ['light', 'dark'] as const;

const TITLE = 'Livestream Monitor';

const panel = (page: Page) => page.getByRole('region', { name: 'Error objects' });
const activeList = (page: Page) => panel(page).getByRole('list', { name: 'Active error objects' });
const resolvedItem = (page: Page, code: string) =>
  panel(page)
    .getByTestId('problem-resolved')
    .filter({ has: page.locator('summary code', { hasText: code }) });

for (const viewport of VIEWPORTS) {
  for (const theme of THEMES) {
    test.describe(`error object lifecycle, ${viewport.name}, ${theme}`, () => {
      test.use({ viewport: viewport.size, colorScheme: theme });
      // Minutes of the relay's time, played in jumps, and axe: more than the default minute on a busy machine.
      test.slow();

      test('stall: active and counted in the title, acknowledged, then resolved and collapsed when it streams again', async ({
        page,
        mock,
      }, testInfo) => {
        await mock.open({ scenario: 'stall', clock: true });
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expect(page.getByRole('list', { name: 'Shards' }).getByText('streaming', { exact: true })).toBeVisible();
        await expect(page).toHaveTitle(TITLE);

        // Silent for the stall timeout: lost, waiting; the error object is active and leads.
        await mock.advance(41_000);
        const stalled = activeList(page).getByRole('article', { name: 'stream_stalled' });
        await expect(stalled).toBeVisible();
        await expect(stalled.getByTestId('problem-lifecycle')).toHaveText('active');
        await expect(stalled.getByTestId('problem-guidance')).toContainText('Wait: the relay reconnects by itself');
        await expect(page).toHaveTitle(`(1) ${TITLE}`);

        const acknowledged = page.waitForResponse(
          (r) => r.request().method() === 'POST' && /\/api\/problems\/[^/]+\/ack$/.test(r.url()),
        );
        await stalled.getByRole('button', { name: 'Acknowledge' }).click();
        expect((await acknowledged).status()).toBe(200);
        // The page's timers (the query cache's notifications) run only as the paused clock moves.
        await mock.advance(1_000);
        await expect(stalled.getByTestId('problem-acknowledged')).toHaveText(
          /^acknowledged \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+$/,
        );
        await expect(stalled.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);
        // Seen is not over: still active, still counted.
        await expect(page).toHaveTitle(`(1) ${TITLE}`);
        await testInfo.attach(`active-${viewport.name}-${theme}.png`, {
          body: await panel(page).screenshot(),
          contentType: 'image/png',
        });

        // The cooldown passes, the shard streams: resolved, collapsed, the title bare again, and
        // the panel no longer leads with "What to do: Wait…" beside a green stream.
        await mock.advance(61_000);
        await expect(page.getByRole('list', { name: 'Shards' }).getByText('streaming', { exact: true })).toBeVisible();
        await expect(page).toHaveTitle(TITLE);
        await expect(panel(page).getByTestId('problems-all-clear')).toHaveText(/^No active error objects/);
        await expect(activeList(page)).toHaveCount(0);
        const resolved = resolvedItem(page, 'stream_stalled');
        await expect(resolved.locator('summary')).toHaveText(/once, resolved \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+$/);
        await expect(panel(page).getByText(/What to do/)).toHaveCount(0);

        await resolved.locator('summary').click();
        const card = resolved.getByRole('article', { name: 'stream_stalled' });
        await expect(card.getByTestId('problem-guidance')).toHaveText(/^Resolved .*nothing to do/);
        await expect(card.getByTestId('problem-acknowledged')).toBeVisible();
        await testInfo.attach(`resolved-${viewport.name}-${theme}.png`, {
          body: await panel(page).screenshot(),
          contentType: 'image/png',
        });
        expect(await axeSerious(page, testInfo, `${viewport.name}-${theme}`, '[data-testid="problems-panel"]')).toEqual(
          [],
        );
      });

      test('token-expired: the 401 a fresh token healed is resolved with nothing to do; the second one stays active', async ({
        page,
        mock,
      }) => {
        await mock.open({ scenario: 'token-expired', clock: true });
        const healed = resolvedItem(page, 'access_token_expired');
        await expect(healed.locator('summary')).toHaveText(/once, resolved/);
        await expect(page).toHaveTitle(TITLE);
        await healed.locator('summary').click();
        await expect(healed.getByTestId('problem-guidance')).toContainText('nothing to do');
        await expect(healed.getByTestId('problem-guidance')).not.toContainText('restart the relay');
        await healed.locator('summary').click();

        // Lost after 20 s, then refused twice with fresh tokens: failed, active, counted.
        await mock.advance(82_000);
        const failed = activeList(page).getByRole('article', { name: 'access_token_expired' });
        await expect(failed.getByText('Livestream refused a freshly issued access token (401 twice).')).toBeVisible();
        await expect(failed.getByTestId('problem-guidance')).toContainText('restart the relay');
        await expect(activeList(page).getByRole('article', { name: 'connection_lost' })).toBeVisible();
        await expect(page).toHaveTitle(/^\(3\) Livestream Monitor$/);
      });
    });
  }
}
