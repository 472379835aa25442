import { axeSerious } from '../support/axe.ts';
import { expect, test } from '../support/mock-app.ts';

/**
 * Issue 12 in mock mode (the relay's core on the generator's 2026 records): what Adobe's docs say
 * an operator should watch, on a desktop and a phone: lag against the 20 s–5 min band, the
 * timestamped, excluded and truncated shares, revenue per currency, the report suite (also in the
 * header), the shards' spread, the API and payload read, the `reset` configured.
 */

const CASES = [
  { name: 'desktop, light', viewport: { width: 1440, height: 900 }, theme: 'light' },
  { name: 'phone, dark', viewport: { width: 390, height: 844 }, theme: 'dark' },
] as const;

for (const c of CASES) {
  test.describe(`Adobe's 2026 stream in mock mode, ${c.name}`, () => {
    test.use({ viewport: c.viewport, colorScheme: c.theme });
    test.slow();

    test('stream quality, report suite, device, API version and reset', async ({ page, mock }, testInfo) => {
      // Four shards, one of them waiting: the spread shows it.
      await mock.open({ scenario: 'shards-partial', clock: true });
      await mock.advance(3_000);
      const quality = page.getByTestId('stream-quality');
      await expect(quality.getByRole('heading', { name: 'Stream quality' })).toBeVisible();
      await expect(quality.getByTestId('quality-age')).toHaveText(/^Live/);

      const lag = quality.getByTestId('quality-lag');
      await expect(lag).toContainText('Lag against Adobe’s 20 s–5 min band');
      await expect(lag).toContainText(/Median · p95\s*\d+(\.\d+)? s · \d+(\.\d+)? (s|min)/);
      await expect(quality.getByTestId('quality-lag-beyond')).toContainText(/Beyond 5 min\s*\d+(\.\d+)?% \([\d,]+\)/);
      await expect(quality.getByTestId('quality-timestamped')).toContainText(/\d+(\.\d+)?%/);
      await expect(quality.getByTestId('quality-excluded')).toContainText(
        /Excluded by Adobe\s*\d+(\.\d+)?% \([\d,]+\)/,
      );
      await expect(quality.getByTestId('quality-truncated')).toBeVisible();
      // Sales in several currencies, each in its own.
      await expect.poll(() => quality.getByTestId('quality-revenue-row').count()).toBeGreaterThan(1);
      const amounts = await quality.getByTestId('quality-revenue-row').allInnerTexts();
      expect(new Set(amounts.map((a) => a.replace(/[\d.,\s]/g, ''))).size).toBeGreaterThan(1);
      await expect(quality.getByTestId('quality-suites')).toContainText('summitoutfittersprod');
      await expect(quality.getByTestId('quality-shard-row')).toHaveCount(4);

      // The report suite in the header, and the device read from the mobile fields.
      await expect(page.getByTestId('report-suites')).toHaveText('summitoutfittersprod');
      await expect(
        page
          .getByTestId('top-devices')
          .getByText(/^(Apple|Samsung|Google) /)
          .first(),
      ).toBeVisible();

      const details = page.getByTestId('connection-details');
      await expect(details.getByTestId('upstream-api-version')).toHaveText('API 1 · 2024 payload');
      await expect(details.getByTestId('upstream-api-reset')).toContainText('none');

      expect(await axeSerious(page, testInfo, 'stream-quality', '[data-testid="stream-quality"]')).toEqual([]);
    });
  });
}
