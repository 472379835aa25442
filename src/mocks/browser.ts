import { http, HttpResponse } from 'msw';
import { setupWorker, type SetupWorker } from 'msw/browser';
import { createHandlers } from './handlers.ts';
import { MockHost } from './mock-host.ts';
import { BROWSER_HISTORY, type HistoryDump, type HistoryFiller } from './mock-history.ts';
import type { PackedHistory } from './history-worker.ts';
import { ArrayList, PackedList } from './packed.ts';
import type { HistoryMinute, MinuteTop, Stats, TrafficSecond } from '../contract/index.ts';
import { overrideHandler, type HandlerOverride } from './overrides.ts';
import { mountScenarioPanel } from './scenario-panel.ts';
import { isScenarioName, scenarioByName, SCENARIOS } from './scenarios.ts';

/**
 * Mock mode in the browser (`npm run demo`, `npm run build:demo`): a `MockHost` running the
 * relay's core on the scenario named by `?scenario=` (default `healthy`; `?seed=` fixes the
 * traffic), answered by MSW's service worker, plus the scenario panel. `src/web/main.tsx` awaits `startMocks()` before
 * the app mounts, so the very first request is mocked. Only ever imported in mode `demo`.
 */

/** What a test (or a curious demo viewer) can reach as `window.__msw`. */
export interface MockControls {
  worker: SetupWorker;
  /** The host: its core (`host.core`), its clock. */
  host: MockHost;
  scenario: string;
  /** Puts a handler described as data in front of the scenario's. */
  override(spec: HandlerOverride): void;
  /** Drops every override. */
  reset(): void;
  /** MSW's builders, for a test that writes its handler in `page.evaluate`. */
  http: typeof http;
  HttpResponse: typeof HttpResponse;
}

declare global {
  interface Window {
    __msw?: MockControls;
    /** Set by a test before the page loads (`page.addInitScript`): applied before the app starts. */
    __mswOverrides?: HandlerOverride[];
  }
}

const APP_VERSION = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0';

/** The history made in a worker (a second or two for the month), so the page's start does not wait for it. */
const fillInWorker: HistoryFiller = (options) =>
  new Promise<HistoryDump>((resolve, reject) => {
    const worker = new Worker(new URL('./history-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<PackedHistory>) => {
      const started = performance.now();
      const { seconds, minutes, traffic, tops, hourTops, outages } = event.data;
      const dump: HistoryDump = {
        seconds: new PackedList<Stats>(seconds),
        minutes: new PackedList<HistoryMinute>(minutes),
        traffic: new PackedList<TrafficSecond>(traffic),
        tops: new ArrayList(JSON.parse(tops) as MinuteTop[]),
        hourTops: new ArrayList(JSON.parse(hourTops) as MinuteTop[]),
        outages,
      };
      dump.pageMs = performance.now() - started;
      resolve(dump);
      worker.terminate();
    };
    worker.onerror = (event) => {
      reject(new Error(event.message));
      worker.terminate();
    };
    worker.postMessage(options);
  });

export async function startMocks(): Promise<MockControls | undefined> {
  const params = new URLSearchParams(location.search);
  const requested = params.get('scenario');
  const scenario = scenarioByName(requested);
  const panel = mountScenarioPanel({ scenarios: SCENARIOS, current: scenario.name });
  if (requested !== null && !isScenarioName(requested)) {
    panel.showError(`No scenario named "${requested}": playing "${scenario.name}".`);
  }
  if (!('serviceWorker' in navigator)) {
    panel.showError(
      'Mock mode could not start: this page cannot use a service worker. Open the demo over https or on localhost.',
    );
    return undefined;
  }

  const seed = Number(params.get('seed'));
  const host = new MockHost({
    scenario,
    version: APP_VERSION,
    ...(params.has('seed') && Number.isSafeInteger(seed) ? { seed } : {}),
    history: BROWSER_HISTORY,
    historyFiller: fillInWorker,
  });
  const worker = setupWorker(...createHandlers(host, { oneStreamAtATime: true }));
  for (const spec of window.__mswOverrides ?? []) worker.use(overrideHandler(spec));

  // Relative to the page (base "./" in the demo build): the worker and its scope follow the
  // folder the site is served from, whatever the static host's sub-path.
  const base = import.meta.env.BASE_URL;
  try {
    await worker.start({
      quiet: true,
      serviceWorker: { url: `${base}mockServiceWorker.js`, options: { scope: base } },
      onUnhandledRequest(request, print) {
        if (new URL(request.url).pathname.startsWith('/api/')) print.warning();
      },
    });
  } catch (error) {
    panel.showError(`Mock mode could not start its service worker: ${String(error)}`);
    return undefined;
  }
  host.start();

  const controls: MockControls = {
    worker,
    host,
    scenario: scenario.name,
    override: (spec) => worker.use(overrideHandler(spec)),
    reset: () => worker.resetHandlers(),
    http,
    HttpResponse,
  };
  window.__msw = controls;
  return controls;
}
