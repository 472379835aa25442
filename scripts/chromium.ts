/**
 * Debian's Chromium, as every browser-driving part of the project launches it (Playwright tests,
 * screenshots, benchmarks). Playwright cannot download its own browsers here; without the
 * networking flags Chromium floods the closed network with connection attempts.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
