import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '../support/mock-app.ts';

/** axe on the healthy dashboard in mock mode: serious and critical violations. */
test('healthy dashboard: axe finds no serious or critical violation', async ({ page, mock }, testInfo) => {
  await mock.open({ scenario: 'healthy' });
  await expect(page.getByRole('grid', { name: 'Live hits, newest first' }).getByRole('row').nth(3)).toBeVisible();
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  await testInfo.attach('axe-serious.json', {
    body: JSON.stringify(serious, null, 2),
    contentType: 'application/json',
  });
  console.log(JSON.stringify(serious, null, 2));
  expect(serious).toEqual([]);
});
