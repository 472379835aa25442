import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.ts';

/**
 * End-to-end tests in Debian's Chromium (Playwright cannot download its own browsers here).
 * `npm run test:e2e` first runs scripts/ensure-chromium.mjs, which finds or installs it.
 *
 * Projects:
 * - `mock`: the SPA in mock mode (MSW in the browser), no server behind it.
 * - `live`: the real relay with its embedded simulator, cooldown shortened.
 * - `static`: `vite build --mode demo` served by `python3 -m http.server` from a sub-path (the
 *   spec builds and serves it itself), and the normal build checked for mock code.
 */

/** Override with MOCK_PORT when another run already holds the default (several checkouts, one machine). */
export const MOCK_PORT = Number(process.env.MOCK_PORT) || 14173;
export const LIVE_PORT = 18080;

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  projects: [
    {
      name: 'mock',
      testMatch: /mock\/.*\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${MOCK_PORT}` },
    },
    {
      // Each spec file starts (and restarts) its own relay: see e2e/support/relay-process.ts.
      name: 'live',
      testMatch: /live\/.*\.spec\.ts$/,
      use: { baseURL: `http://127.0.0.1:${LIVE_PORT}` },
    },
    {
      name: 'static',
      testMatch: /static\/.*\.spec\.ts$/,
    },
  ],
  webServer: [
    {
      command: `npx vite --mode demo --port ${MOCK_PORT} --strictPort`,
      url: `http://127.0.0.1:${MOCK_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
