import { axeSerious } from '../support/axe.ts';
import { expect, test } from '../support/mock-app.ts';

/** axe on the healthy dashboard in mock mode: serious and critical violations. */
test('healthy dashboard: axe finds no serious or critical violation', async ({ page, mock }, testInfo) => {
  await mock.open({ scenario: 'healthy' });
  await expect(page.getByRole('grid', { name: 'Live hits, newest first' }).getByRole('row').nth(3)).toBeVisible();
  const serious = await axeSerious(page, testInfo);
  console.log(JSON.stringify(serious, null, 2));
  expect(serious).toEqual([]);
});
