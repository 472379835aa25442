import { test as base, expect, type Page } from '@playwright/test';
import type { HandlerOverride } from '../../src/mocks/overrides.ts';

/**
 * Mock mode for a test: `mock.open({scenario})` loads the SPA with `?scenario=` (MSW playing the
 * mock relay in the page), optionally with the browser clock installed first (`page.clock`) so
 * a 60 s countdown runs in milliseconds, and with handler overrides applied before the app makes
 * its first request. `mock.override()` adds one while the page runs; `mock.advance()` moves the
 * clock in small jumps so the stream keeps flowing between them.
 */

/** The scenarios of `src/mocks/scenarios.ts` (`open()` checks the page plays the one asked for). */
export type ScenarioName =
  | 'healthy'
  | 'churn-409'
  | 'no-traffic-503'
  | 'token-expired'
  | 'stall'
  | 'shards-partial'
  | 'burst'
  | 'catch-up'
  | 'unstable'
  | 'relay-down'
  | 'unknown-action'
  | 'bad-records'
  | 'alerts';

/** What `src/mocks/browser.ts` exposes as `window.__msw` in demo mode (the part tests use). */
interface MockControls {
  scenario: string;
  override(spec: HandlerOverride): void;
  reset(): void;
}

declare global {
  interface Window {
    __msw?: MockControls;
    __mswOverrides?: HandlerOverride[];
  }
}

/** An evening in UTC: the mock traffic rhythm is near its peak. */
export const CLOCK_START = Date.UTC(2025, 0, 15, 18, 0, 0);

/**
 * The relay link drops a stream silent for 45 s: two jumps made before the stream could deliver
 * must stay below that. Each jump costs a render of everything that arrived, so jumps are big.
 */
const MAX_JUMP_MS = 20_000;
/** Real time given to the page between jumps, for the stream's bytes to arrive (I/O is not on the fake clock). */
const BREATH_MS = 30;

export interface OpenOptions {
  scenario: ScenarioName;
  /**
   * Install `page.clock` before navigation, starting at this time (`true`: {@link CLOCK_START}).
   * Once mock mode is up the clock is paused and the first second played: from then on time
   * moves only with `mock.advance()`, so countdowns are exact. Default: real time.
   */
  clock?: number | boolean;
  /** Handlers in front of the scenario's from the very first request. */
  overrides?: HandlerOverride[];
  /** Fixes the mock traffic. Default 1. */
  seed?: number;
  /** More query parameters (e.g. `window`, `q`). */
  query?: Record<string, string>;
}

export class MockApp {
  constructor(readonly page: Page) {}

  async open(options: OpenOptions): Promise<void> {
    const { page } = this;
    if (options.clock !== undefined && options.clock !== false) {
      await page.clock.install({ time: options.clock === true ? CLOCK_START : options.clock });
    }
    if (options.overrides?.length) {
      await page.addInitScript((specs) => {
        window.__mswOverrides = specs;
      }, options.overrides);
    }
    const query = new URLSearchParams({
      scenario: options.scenario,
      seed: String(options.seed ?? 1),
      ...options.query,
    });
    // The first status answer lands before the clock is paused, so it cannot arrive after (and
    // overwrite) newer state events.
    const statusAnswered = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/status');
    await page.goto(`./?${query.toString()}`);
    await page.waitForFunction(() => window.__msw !== undefined);
    await statusAnswered;
    expect(await page.evaluate(() => window.__msw?.scenario)).toBe(options.scenario);
    if (options.clock !== undefined && options.clock !== false) {
      // pauseAt only moves forward: on a busy machine the half second can pass before it runs.
      for (let tries = 0; ; tries++) {
        try {
          await page.clock.pauseAt(await page.evaluate(() => Date.now() + 500));
          break;
        } catch (error) {
          if (tries >= 5 || !String(error).includes('past')) throw error;
        }
      }
      await this.advance(1_000);
    }
  }

  /** Puts a handler in front of the scenario's while the page runs. */
  async override(spec: HandlerOverride): Promise<void> {
    await this.page.evaluate((s) => window.__msw?.override(s), spec);
  }

  async resetOverrides(): Promise<void> {
    await this.page.evaluate(() => window.__msw?.reset());
  }

  /**
   * Moves the paused clock forward by `ms` in jumps of at most 20 s (`fastForward`: due timers
   * fire once, as after a laptop lid is reopened; the mock relay catches up step by step), with
   * a breath of real time between jumps for the stream's bytes to arrive; then 100 ms more so
   * what arrived last is drawn (the live store flushes on animation frames).
   */
  async advance(ms: number): Promise<void> {
    const { clock } = this.page;
    let left = ms;
    while (left > 0) {
      const jump = Math.min(MAX_JUMP_MS, left);
      await clock.fastForward(jump);
      left -= jump;
      await this.page.waitForTimeout(BREATH_MS);
    }
    await clock.fastForward(100);
    await this.page.waitForTimeout(BREATH_MS);
  }
}

export const test = base.extend<{ mock: MockApp }>({
  mock: async ({ page }, provide) => {
    await provide(new MockApp(page));
  },
});

export { expect };
