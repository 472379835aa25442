import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';

/** The WCAG rule sets the dashboard is held to. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe's serious and critical violations on the page (or inside `include`), attached to the test
 * as `axe-<name>.json`. A paused page clock is resumed first: axe schedules its work on timers.
 */
export async function axeSerious(page: Page, testInfo: TestInfo, name = 'serious', include?: string) {
  await page.clock.resume().catch(() => undefined);
  let builder = new AxeBuilder({ page }).withTags(AXE_TAGS);
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  await testInfo.attach(`axe-${name}.json`, {
    body: JSON.stringify(serious, null, 2),
    contentType: 'application/json',
  });
  return serious;
}
