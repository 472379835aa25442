/**
 * `npm run screenshots`: the dashboard on the real relay and simulator, healthy and waiting, in
 * light and dark, on a desk and on a phone, then after the outage recovered (the backlog the
 * simulator resent fills the gap on Adobe's clock), written to docs/screenshots/ for the README.
 * A 30-s cooldown keeps the run short (about 4 minutes).
 */
import { chromium } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.ts';
import { RelayProcess } from './support/relay-process.ts';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const relay = new RelayProcess({
  port: 18700,
  simPort: 18701,
  env: { SIM_RATE: '150', SIM_CHURN_WINDOW_S: '0', RECONNECT_COOLDOWN_S: '30' },
});

await relay.start();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const pages = await Promise.all(
    (['light', 'dark'] as const).map(async (colorScheme) => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme });
      const page = await context.newPage();
      await page.goto(`${relay.url}/?window=300`);
      return { colorScheme, page };
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 20_000));
  for (const { colorScheme, page } of pages) {
    await page.getByTestId('shard-state-0').filter({ hasText: 'streaming' }).waitFor();
    await page.screenshot({ path: `${OUT}healthy-${colorScheme}.png`, fullPage: true });
  }
  await relay.sim('drop');
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  for (const { colorScheme, page } of pages) {
    await page.getByTestId('shard-state-0').filter({ hasText: 'waiting' }).waitFor();
    await page.screenshot({ path: `${OUT}waiting-${colorScheme}.png`, fullPage: true });
  }
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  const phonePage = await phone.newPage();
  await phonePage.goto(`${relay.url}/?window=300`);
  await phonePage.getByTestId('shard-state-0').filter({ hasText: 'waiting' }).waitFor();
  await phonePage.screenshot({ path: `${OUT}phone-waiting-dark.png` });
  // Back streaming, the backlog resent; the outage's verdict once its late hits have had time.
  const { page } = pages[0]!;
  await page.getByTestId('shard-state-0').filter({ hasText: 'streaming' }).waitFor({ timeout: 60_000 });
  await page
    .getByTestId('chart-site')
    .getByText(/recovered: /)
    .waitFor({ timeout: 200_000 });
  await page.getByTestId('traffic-panel').screenshot({ path: `${OUT}outage-recovered-light.png` });
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await relay.stop();
}
