import { expect, test } from '@playwright/test';
import { RelayProcess } from '../support/relay-process.ts';

/**
 * Issue 12 against the real relay and its simulator: a stream not yet switched to the latest API
 * answers 424; the dashboard says so with the enable call, an operator sends it from the page,
 * reconnects the shard, and the 2026 payload streams, with the figures Adobe's docs say to watch.
 */

const PORT = 18090;
const relay = new RelayProcess({
  port: PORT,
  simPort: 18091,
  env: { RECONNECT_COOLDOWN_S: '4', SIM_CHURN_WINDOW_S: '0', SIM_RATE: '60', SIM_REQUIRE_ENABLE: '1' },
});

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await relay.start();
});

test.afterAll(async () => {
  await relay.stop();
});

test('a 424 gives the enable call, sent from the dashboard; then the 2026 payload streams with its figures', async ({
  page,
}) => {
  test.slow();
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await expect(page.getByTestId('shard-state-0')).toHaveText('failed');
  const details = page.getByTestId('connection-details');
  await expect(details.getByTestId('upstream-api-version')).toHaveText('API 2 · 2026 payload');
  const card = page.getByRole('article', { name: 'stream_not_enabled' });
  await expect(card).toContainText(`/api/2/enable/demo`);
  await expect(details).toContainText(`GET http://127.0.0.1:18091/api/2/enable/demo`);

  const sent = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/upstream/enable'));
  await details.getByTestId('send-enable-call').click();
  expect((await sent).status()).toBe(202);
  await expect(details.getByTestId('enable-call-answer')).toContainText('Adobe answered 200');

  // The operator reconnects the failed shard once the cooldown is over.
  await expect(page.getByTestId('reconnect-0')).toBeEnabled({ timeout: 10_000 });
  await page.getByTestId('reconnect-0').click();
  await expect(page.getByTestId('shard-state-0')).toHaveText('streaming');
  // Its error object is resolved: collapsed among the resolved ones.
  await expect(
    page
      .getByTestId('problem-resolved')
      .filter({ has: page.locator('summary code', { hasText: 'stream_not_enabled' }) }),
  ).toBeVisible();

  const quality = page.getByTestId('stream-quality');
  await expect(quality.getByTestId('quality-lag')).toContainText(/Median · p95\s*\d+(\.\d+)? s/, { timeout: 20_000 });
  await expect(quality.getByTestId('quality-suites')).toContainText('summitoutfittersprod');
  await expect(page.getByTestId('report-suites')).toHaveText('summitoutfittersprod');
  await expect(quality.getByTestId('quality-excluded')).toContainText(/\d+(\.\d+)?%/);
  await expect(quality.getByTestId('quality-shard-row')).toHaveCount(1);
});
