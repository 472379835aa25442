import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { RelayProcess } from '../support/relay-process.ts';

/**
 * The dashboard against the real relay and its embedded simulator, with the cooldown shortened
 * to 4 s so a whole wait fits in a test. What is checked is what a person reads.
 */

const PORT = 18080;
const relay = new RelayProcess({
  port: PORT,
  simPort: 18081,
  env: { RECONNECT_COOLDOWN_S: '4', SIM_CHURN_WINDOW_S: '0', SIM_RATE: '60' },
});

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await relay.start();
});

test.afterAll(async () => {
  await relay.stop();
});

const shard0 = (page: Page) => page.getByTestId('shard-card-0');

/** The number of seconds a countdown shows ("42 s" or "1:05"). */
async function secondsShown(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).innerText()).trim();
  const minutes = /(\d+):(\d{2})/.exec(text);
  if (minutes) return Number(minutes[1]) * 60 + Number(minutes[2]);
  const seconds = /(\d+)\s*s/.exec(text);
  if (!seconds) throw new Error(`no countdown in "${text}"`);
  return Number(seconds[1]);
}

test('live hits appear and the shard is streaming', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await expect(shard0(page).getByTestId('shard-state-0')).toHaveText('streaming');
  await expect(page.getByTestId('link-state')).toHaveText('connected');
  await expect(page.getByText('simulator').first()).toBeVisible();
  await expect(page.getByText(/cooldown 4 s/i).first()).toBeVisible();
  const rows = page.getByRole('row');
  await expect.poll(async () => rows.count(), { timeout: 15_000 }).toBeGreaterThan(5);
});

test("the relay's cooldown badge is read whole on a desk", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`http://127.0.0.1:${PORT}/`);
  const badge = page.getByTestId('badge-cooldown');
  await expect(badge).toHaveText("cooldown 4 s (below Adobe's 60 s advice)");
  // The relay's card is a narrow column beside the shards: the badge wraps inside it, never cut.
  const inside = await badge.evaluate((el) => {
    const card = el.closest('.map-node')!.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return box.left >= card.left && box.right <= card.right && el.scrollWidth <= el.clientWidth;
  });
  expect(inside).toBe(true);
});

test('a dropped upstream shows waiting with a countdown that decreases, then streaming again', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await expect(shard0(page).getByTestId('shard-state-0')).toHaveText('streaming');
  await relay.sim('drop');
  await expect(shard0(page).getByTestId('shard-state-0')).toHaveText('waiting');
  await expect(page.getByTestId('shard-reason-0')).toContainText(/lost connection/i);
  const first = await secondsShown(page, 'shard-countdown-0');
  expect(first).toBeGreaterThanOrEqual(2);
  expect(first).toBeLessThanOrEqual(4);
  await expect.poll(() => secondsShown(page, 'shard-countdown-0'), { timeout: 5_000 }).toBeLessThan(first);
  await expect(page.getByTestId('reconnect-0')).toBeDisabled();
  await expect(shard0(page).getByTestId('shard-state-0')).toHaveText('streaming', { timeout: 15_000 });
  // The loss is over: its error object is listed as resolved, collapsed.
  await expect(page.getByTestId('problem-resolved').filter({ hasText: 'connection_lost' })).toBeVisible();
});

test('a 409 shows the error object with its action and guidance', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await expect(shard0(page).getByTestId('shard-state-0')).toHaveText('streaming');
  await relay.sim('next-connect', {
    status: 409,
    body: 'json',
    errorDescription: 'maxConnections=1 but another client is connected',
  });
  await relay.sim('drop');
  const card = page.getByTestId('problem-card').filter({ hasText: 'too_many_connections' });
  await expect(card).toBeVisible({ timeout: 20_000 });
  await expect(card).toContainText('409');
  await expect(card.getByTestId('action-badge')).toHaveText(/retry-after/);
  await expect(card.getByTestId('problem-guidance')).toContainText(/reconnects by itself/i);
  await expect(card).toContainText('maxConnections=1 but another client is connected');
  // The growing wait: the second wait after a 409 is twice the cooldown.
  await expect(page.getByTestId('shard-reason-0')).toContainText(/409|too many|more clients/i);
  await expect(shard0(page).getByTestId('shard-state-0')).toHaveText('streaming', { timeout: 30_000 });
});

test('a relay restart shows the relay link reconnecting, and the feed continues', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await expect(shard0(page).getByTestId('shard-state-0')).toHaveText('streaming');
  await expect.poll(() => page.getByRole('row').count(), { timeout: 15_000 }).toBeGreaterThan(5);
  await relay.stop();
  await expect(page.getByTestId('link-state')).toHaveText(/retrying|connecting/, { timeout: 20_000 });
  await relay.start();
  await expect(page.getByTestId('link-state')).toHaveText('connected', { timeout: 30_000 });
  // The restarted relay waits out the cooldown its previous run started, then streams again.
  await expect(shard0(page).getByTestId('shard-state-0')).toHaveText('streaming', { timeout: 30_000 });
  // New hits reach the feed again (a new relay run starts a fresh feed: seqs restart).
  const count = page.getByTestId('feed-count');
  const hits = async () => Number((await count.innerText()).replace(/\D/g, ''));
  await expect.poll(hits, { timeout: 15_000 }).toBeGreaterThan(0);
  const after = await hits();
  await expect.poll(hits, { timeout: 15_000 }).toBeGreaterThan(after);
});

test('has no serious accessibility violation', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await expect(shard0(page).getByTestId('shard-state-0')).toHaveText('streaming');
  await expect.poll(() => page.getByRole('row').count(), { timeout: 15_000 }).toBeGreaterThan(5);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
