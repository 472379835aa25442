import { expect, test } from '../support/mock-app.ts';

/** Issue 2's smoke test: the dashboard renders its layout and live-looking data (mock `healthy`). */
test('the dashboard renders its layout and live hits', async ({ page, mock }) => {
  await mock.open({ scenario: 'healthy' });
  const header = page.getByRole('banner');
  await expect(header.getByRole('heading', { name: 'Livestream Monitor', level: 1 })).toBeVisible();
  const map = header.getByRole('region', { name: 'Connection map' });
  await expect(map).toBeVisible();
  await expect(map.getByText('connected')).toBeVisible();
  await expect(map.getByTestId('shard-state-0')).toHaveText('streaming');

  const main = page.getByRole('main');
  for (const name of ['Traffic', 'Live feed', 'Error objects', 'Connection details']) {
    await expect(main.getByRole('heading', { name, level: 2 })).toBeVisible();
  }
  const feed = page.getByRole('grid', { name: 'Live hits, newest first' });
  await expect(feed.getByRole('row').nth(3)).toBeVisible();
  const before = await page.getByTestId('feed-count').textContent();
  await expect(page.getByTestId('feed-count')).not.toHaveText(before ?? '');
  await expect(page.getByRole('contentinfo')).toContainText('simulator');
});

/**
 * The feed's rows change up to 60 times a second; Chromium lays them out without the rest of the
 * page only when their scroll box is strictly contained and is no flex or grid item (a
 * "relayout boundary"). As a grid item of the feed panel it was not, and every feed frame laid
 * the whole page out again (bench/suites/browser.ts).
 */
test('the live feed is laid out apart from the page', async ({ page, mock }) => {
  await mock.open({ scenario: 'healthy' });
  const feed = page.getByRole('grid', { name: 'Live hits, newest first' });
  await expect(feed.getByRole('row').nth(3)).toBeVisible();
  const box = await feed.evaluate((table) => {
    const scroll = table.parentElement!;
    const style = getComputedStyle(scroll);
    return {
      contain: style.contain,
      overflowY: style.overflowY,
      parentDisplay: getComputedStyle(scroll.parentElement!).display,
    };
  });
  expect(box.contain).toBe('strict');
  expect(box.overflowY).toBe('auto');
  expect(box.parentDisplay).toBe('block');
});
