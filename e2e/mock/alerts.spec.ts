import type { Locator, Page } from '@playwright/test';
import { axeSerious } from '../support/axe.ts';
import { expect, test, type MockApp } from '../support/mock-app.ts';

/**
 * Issue 13, alerts as an operator meets them, in mock mode's `alerts` scenario: the relay's own
 * rules (shortened) fire on what the scripted upstream does, and all four resolve by about 80 s
 * after the page opened (src/mocks/scenarios.ts has the timeline). The banner above the header
 * appears when one fires and clears when the last resolves, one line each; the Alerts panel keeps
 * the history; the opt-in browser notification shows for an alert that fires while the tab is
 * hidden, once. On a desk (1440×900) and a phone (390×844), light and dark, with axe.
 */

const VIEWPORTS = [
  { name: 'desk', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const THEMES = ['light', 'dark'] as const;
const RULES = ['lag_high', 'shard_failed', 'stream_down', 'traffic_drop'];

const banner = (page: Page) => page.getByTestId('alert-banner');
const bannerLine = (page: Page, rule: string) =>
  banner(page).locator(`[data-testid="alert-line"][data-rule="${rule}"]`);
const panel = (page: Page) => page.getByRole('region', { name: 'Alerts' });

/** Seconds of page time since the mock relay's page opened (the scenario's timeline counts from there). */
function pageSeconds(page: Page): Promise<number> {
  return page.evaluate(
    () => (Date.now() - (window as unknown as { __msw: { host: { openedAt: number } } }).__msw.host.openedAt) / 1000,
  );
}

/** Moves the paused page clock to `s` seconds after the page opened. */
async function advanceTo(mock: MockApp, page: Page, s: number): Promise<void> {
  const now = await pageSeconds(page);
  if (s > now) await mock.advance(Math.ceil((s - now) * 1000));
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not rendered');
  return b;
}

async function rulesIn(lines: Locator): Promise<string[]> {
  return (await lines.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.rule ?? ''))).sort();
}

for (const viewport of VIEWPORTS) {
  for (const theme of THEMES) {
    test.describe(`alerts, ${viewport.name} ${viewport.width}×${viewport.height}, ${theme}`, () => {
      test.use({ viewport: { width: viewport.width, height: viewport.height }, colorScheme: theme });
      // A minute and a half of the relay's time, played in jumps, and axe.
      test.slow();

      test('the banner appears above the header when alerts fire, one line each, and clears when they resolve; the panel keeps them', async ({
        page,
        mock,
      }, testInfo) => {
        await mock.open({ scenario: 'alerts', clock: true });
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        // A quiet start: the first alert fires about 15 s after the page opened.
        expect(await pageSeconds(page)).toBeLessThan(14);
        await expect(panel(page).getByTestId('alerts-empty')).toBeVisible();
        await expect(banner(page)).toHaveCount(0);

        // traffic_drop, then shard_failed and lag_high.
        await advanceTo(mock, page, 24);
        await expect(banner(page)).toBeVisible();
        const lines = banner(page).getByTestId('alert-line');
        await expect(lines).toHaveCount(3);
        expect(await rulesIn(lines)).toEqual(['lag_high', 'shard_failed', 'traffic_drop']);
        const failed = bannerLine(page, 'shard_failed');
        await expect(failed.getByTestId('alert-severity')).toHaveText('critical');
        await expect(failed).toContainText('Livestream shard 1 failed');
        await expect(failed).toContainText('shard 1');
        await expect(failed).toContainText(/since \d\d:\d\d:\d\d UTC, \d+ s ago/);
        await expect(bannerLine(page, 'lag_high').getByTestId('alert-severity')).toHaveText('warning');
        await expect(banner(page)).toHaveClass(/alert-banner--critical/);
        await expect(page.getByTestId('alerts-announcer')).toContainText(/alert firing: /);

        // Above everything of the app, the header included; one line per alert; nothing scrolls sideways.
        const bannerBox = await box(banner(page));
        expect(bannerBox.y + bannerBox.height).toBeLessThanOrEqual((await box(page.getByTestId('app-header'))).y + 1);
        for (const line of await lines.all()) expect((await box(line)).height).toBeLessThanOrEqual(26);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
        await testInfo.attach(`banner-${viewport.name}-${theme}.png`, {
          body: await page.screenshot(),
          contentType: 'image/png',
        });
        expect(
          await axeSerious(page, testInfo, `banner-${viewport.name}-${theme}`, '[data-testid="alert-banner"]'),
        ).toEqual([]);

        // The panel lists the firing ones in full, newest first.
        const firing = panel(page).getByTestId('alert-entry').and(panel(page).locator('[data-state="firing"]'));
        await expect(firing).toHaveCount(3);

        // traffic_drop resolved; no shard streams: stream_down.
        await advanceTo(mock, page, 66);
        await expect(bannerLine(page, 'stream_down')).toBeVisible();
        await expect(bannerLine(page, 'traffic_drop')).toHaveCount(0);

        // Every alert resolved: the banner goes, the panel keeps all four, newest first.
        await advanceTo(mock, page, 90);
        await expect(banner(page)).toHaveCount(0);
        await expect(page.getByTestId('alerts-announcer')).toContainText(/Alert resolved: /);
        const resolved = panel(page).getByTestId('alert-resolved');
        await expect(resolved).toHaveCount(4);
        expect(await rulesIn(resolved)).toEqual(RULES);
        await expect(panel(page).getByTestId('alerts-summary')).toContainText('0 alerts firing, 4 resolved');

        // Keyboard: a resolved alert opens to its whole text.
        const drop = panel(page).locator('[data-testid="alert-resolved"][data-rule="traffic_drop"]');
        await drop.locator('summary').focus();
        await page.keyboard.press('Enter');
        await expect(drop).toHaveAttribute('open', '');
        const entry = drop.getByRole('article', { name: 'traffic_drop' });
        await expect(entry).toContainText(/Traffic down \d+ %/);
        await expect(entry).toContainText(/Started\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
        await expect(entry).toContainText(/Ended\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
        await expect(entry).toContainText(/Duration\d+ s/);
        await testInfo.attach(`panel-${viewport.name}-${theme}.png`, {
          body: await panel(page).screenshot(),
          contentType: 'image/png',
        });
        expect(
          await axeSerious(page, testInfo, `panel-${viewport.name}-${theme}`, '[data-testid="alerts-panel"]'),
        ).toEqual([]);
      });
    });
  }
}

test.describe('alert notifications, permission granted', () => {
  test.use({ viewport: { width: 1440, height: 900 } });
  test.slow();

  test('opted in: an alert that fires while the tab is hidden shows one notification, tagged with its id; none while visible', async ({
    page,
    context,
    mock,
    baseURL,
  }, testInfo) => {
    await context.grantPermissions(['notifications'], { origin: baseURL! });
    // Every Notification the page constructs is recorded (the real one is still made), and the
    // test decides whether the page is hidden.
    await page.addInitScript(() => {
      const w = window as unknown as {
        __notifications: { title: string; body?: string; tag?: string }[];
        __hidden: boolean;
      };
      w.__notifications = [];
      w.__hidden = false;
      const Real = window.Notification;
      const Recording = function (title: string, options?: NotificationOptions) {
        w.__notifications.push({ title, body: options?.body, tag: options?.tag });
        return new Real(title, options);
      } as unknown as typeof Notification;
      Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
      Object.defineProperty(Recording, 'requestPermission', { value: Real.requestPermission.bind(Real) });
      Recording.prototype = Real.prototype;
      window.Notification = Recording;
      Object.defineProperty(Document.prototype, 'visibilityState', {
        configurable: true,
        get: () => (w.__hidden ? 'hidden' : 'visible'),
      });
      Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => w.__hidden });
    });
    const notifications = () =>
      page.evaluate(
        () =>
          (window as unknown as { __notifications: { title: string; body?: string; tag?: string }[] }).__notifications,
      );
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        (window as unknown as { __hidden: boolean }).__hidden = h;
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);

    await mock.open({ scenario: 'alerts', clock: true });
    expect(await pageSeconds(page)).toBeLessThan(14);
    const optIn = panel(page).getByRole('checkbox', { name: 'Notify me when an alert fires' });
    await expect(optIn).not.toBeChecked();
    await optIn.click();
    await expect(optIn).toBeChecked();
    await expect(panel(page).getByTestId('alerts-notify-state')).toHaveText(
      'While this tab is hidden, each alert that fires shows a notification.',
    );
    expect(await page.evaluate(() => localStorage.getItem('livestream-monitor:alert-notifications'))).toBe('on');

    // Hidden while traffic_drop, shard_failed and lag_high fire: one notification each.
    await setHidden(true);
    await advanceTo(mock, page, 24);
    await expect(banner(page).getByTestId('alert-line')).toHaveCount(3);
    await expect.poll(async () => (await notifications()).length).toBe(3);
    const shown = await notifications();
    const ids = await panel(page)
      .getByTestId('alert-entry')
      .evaluateAll((els) => els.map((el) => el.getAttribute('aria-labelledby')!.replace(/^alert-/, '')));
    expect(shown.map((n) => n.tag).sort()).toEqual([...ids].sort());
    const failed = shown.find((n) => n.title.startsWith('Critical: Livestream shard 1 failed'));
    expect(failed?.body).toMatch(/^Livestream denied access to this stream/);
    expect(shown.filter((n) => n.title.startsWith('Warning: ')).map((n) => n.title)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Warning: Traffic down \d+ %/),
        expect.stringMatching(/^Warning: Hits arrive late/),
      ]),
    );

    // Visible again when stream_down fires: the banner says it, no notification; resolutions notify nothing.
    await setHidden(false);
    await advanceTo(mock, page, 66);
    await expect(bannerLine(page, 'stream_down')).toBeVisible();
    await advanceTo(mock, page, 90);
    await expect(banner(page)).toHaveCount(0);
    expect(await notifications()).toHaveLength(3);
    expect(await axeSerious(page, testInfo, 'notify-on', '[data-testid="alerts-panel"]')).toEqual([]);
  });
});
