import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '../support/mock-app.ts';

/**
 * Issue 17, "traffic on Adobe's clock": the stream was lost for a minute and Livestream resent
 * what was missed on reconnect. On Adobe's clock the gap is filled (no hole, no spike), and the
 * outage says what came back — on a desk and on a phone, light and dark.
 */

const VIEWPORTS = [
  { name: 'desk', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

for (const viewport of VIEWPORTS) {
  for (const theme of ['light', 'dark'] as const) {
    test.describe(`${viewport.name}, ${theme}`, () => {
      test.use({ viewport: { width: viewport.width, height: viewport.height }, colorScheme: theme });

      test("catch-up: the outage is filled on Adobe's clock and says what came back", async ({ page, mock }) => {
        await mock.open({ scenario: 'catch-up', query: { window: '900' } });
        const chart = page.getByTestId('chart-site');
        await expect(chart.getByText("Site traffic on Adobe's clock")).toBeVisible();
        await expect(chart).toContainText(
          /Shard 0 stopped at \d\d:\d\d:\d\d.*: recovered: [\d,]+ hits of the \d+-second gap arrived late\./,
        );
        // The figures: about the site's 50 hits/s, not the thousands of the resend.
        const average = Number(
          /Average ([\d.,]+) hits\/s/.exec((await chart.textContent()) ?? '')?.[1]?.replace(/,/g, ''),
        );
        expect(average).toBeGreaterThan(10);
        expect(average).toBeLessThan(200);
        await chart.scrollIntoViewIfNeeded();
        const box = await chart.boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
        const axe = await new AxeBuilder({ page }).include('[data-testid="chart-site"]').analyze();
        expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      });
    });
  }
}
