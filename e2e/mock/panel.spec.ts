import { expect, test } from '../support/mock-app.ts';

/** The scenario panel, by keyboard only: it names the scenario playing and switches to another. */
test('the scenario panel switches scenario from the keyboard', async ({ page, mock }) => {
  await mock.open({ scenario: 'healthy', query: { window: '300' } });
  const panel = page.getByRole('complementary', { name: 'Mock mode' });
  await expect(panel).toContainText('Mock mode: Healthy');

  await page.keyboard.press('Tab');
  await expect(panel.getByText('Mock mode:')).toBeFocused();
  await page.keyboard.press('Enter');
  const nav = panel.getByRole('navigation', { name: 'Mock scenarios' });
  // One link per scenario of src/mocks/scenarios.ts.
  await expect(nav.getByRole('link')).toHaveCount(13);
  await expect(nav.getByRole('link', { name: 'Healthy' })).toHaveAttribute('aria-current', 'page');

  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: 'Healthy' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: '409 churn' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/[?&]scenario=churn-409(&|$)/);
  await expect(page).toHaveURL(/[?&]window=300(&|$)/);
  await expect(page.getByRole('complementary', { name: 'Mock mode' })).toContainText('Mock mode: 409 churn');
  await expect(page.getByTestId('shard-state-0')).toHaveText(/connecting|waiting/);
});
