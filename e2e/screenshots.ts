/**
 * `npm run screenshots`: the dashboard on the real relay and simulator, healthy and waiting, in
 * light and dark, written to docs/screenshots/ for the README.
 */
import { chromium } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.ts';
import { RelayProcess } from './support/relay-process.ts';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const relay = new RelayProcess({ port: 18700, simPort: 18701, env: { SIM_RATE: '150', SIM_CHURN_WINDOW_S: '0' } });

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
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await relay.stop();
}
