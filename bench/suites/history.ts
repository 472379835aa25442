/**
 * History (issue 14): a store filled by the generator (src/simulator/generator/history-fill.ts:
 * 30 days of minutes and top lists, 25 h of seconds, at 500 hits/s on a weekday's average) in the
 * relay's SQLite store, then:
 * - the fill's time and the store's size on disk (`history.sqlite` and its `-wal`/`-shm`);
 * - the relay as in production (`src/relay/main.ts`, its own process, the embedded simulator as
 *   upstream) on that DATA_DIR: `GET /api/history` for a day and for 30 days (1,000 points) and
 *   `GET /api/top` for 30 days over HTTP, their time and size;
 * - the dashboard in headless Chromium at 1440×900, a fresh browser context a run: from the
 *   navigation to `/?window=86400` (and `2592000`) until the long-window chart says it has drawn
 *   its data (`data-state="ready"` on its figure), and from a click on the window's button (the
 *   page loaded on a live window) until the same;
 * - the relay's restart cost with that store: spawn → `/healthz` 200, the full store and an empty
 *   DATA_DIR alternated in the same run.
 * The page clock times are taken in the page (`performance.now()`: from the navigation's start;
 * a MutationObserver registered before the app's first script sees the attribute change).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { freePort } from '../../src/relay/testing/free-port.ts';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync, inflateSync } from 'node:zlib';
import type { Browser, Page } from '@playwright/test';
import { MINUTES_KEPT_S, type HistoryResponse } from '../../src/contract/index.ts';
import { SqliteHistoryStore } from '../../src/relay/store/sqlite-history-store.ts';
import { fillHistory } from '../../src/simulator/generator/history-fill.ts';
import { spawnTracked } from '../lib/children.ts';
import { ensureBuilt, launchChromium } from '../lib/chromium.ts';
import { machine, machineBusy } from '../lib/machine.ts';
import { figure } from '../lib/figures.ts';
import { ROOT } from '../lib/paths.ts';
import { sleep, startRelayProcess, type RelayProcess } from '../lib/relay-process.ts';
import type { Suite } from '../lib/suite.ts';

/** Mean hits per second of a weekday in the generated month (peaks near 1.7× that, nights a fifth of the peak). */
const BASE_RATE = 500;
const SEED = 14;
const DAY = 86_400;
const MB = 1e6;
/** The long-window traffic chart once it has drawn its data. */
export const READY_SELECTOR = '[data-testid="chart-history"][data-state="ready"]';
const READY_TIMEOUT_MS = 30_000;
const TARGET_MS = 1000;

/** The windows measured, as the dashboard's window selector labels them (`formatWindow`). */
const WINDOWS = [
  { seconds: DAY, label: '24 h', name: '24-hour' },
  { seconds: 30 * DAY, label: '30 d', name: '30-day' },
] as const;
/** The live window the page opens on before a switch (the dashboard's default). */
const LIVE_WINDOW = 900;

/** Runs in the page before any of its scripts: when the ready selector first matches (after a click, when armed). */
const INIT = `(() => {
  const SEL = ${JSON.stringify(READY_SELECTOR)};
  const h = (window.__hist = { readyAt: undefined, frameAt: undefined, clickAt: undefined, armed: false });
  const check = () => {
    if (h.readyAt !== undefined || !document.querySelector(SEL)) return;
    h.readyAt = performance.now();
    requestAnimationFrame(() => { h.frameAt = performance.now(); });
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  addEventListener('click', () => {
    if (!h.armed) return;
    h.armed = false;
    h.clickAt = performance.now();
    h.readyAt = undefined;
    h.frameAt = undefined;
  }, true);
})();`;

interface PageTimes {
  readyAt: number;
  frameAt: number | undefined;
  clickAt: number | undefined;
}

/**
 * The SQLite store, instrumented: it flushes once a day of minutes is buffered (bounded memory),
 * the writes are timed and what was added is counted.
 */
function instrument(store: SqliteHistoryStore) {
  const stats = { writeMs: 0, seconds: 0, traffic: 0, minutes: 0, tops: 0, hourTops: 0, outages: 0 };
  const flush = store.flush.bind(store);
  const addSecond = store.addSecond.bind(store);
  const putTraffic = store.putTraffic.bind(store);
  const addMinute = store.addMinute.bind(store);
  const addHourTop = store.addHourTop.bind(store);
  const putOutages = store.putOutages.bind(store);
  let sinceFlush = 0;
  store.flush = () => {
    const t0 = performance.now();
    flush();
    stats.writeMs += performance.now() - t0;
    sinceFlush = 0;
  };
  store.addSecond = (s) => {
    stats.seconds++;
    addSecond(s);
  };
  store.putTraffic = (seconds) => {
    stats.traffic += seconds.length;
    putTraffic(seconds);
  };
  store.addMinute = (minute, top) => {
    stats.minutes++;
    if (top) stats.tops++;
    addMinute(minute, top);
    if (++sinceFlush >= 1440) store.flush();
  };
  store.addHourTop = (top) => {
    stats.hourTops++;
    addHourTop(top);
  };
  store.putOutages = (outages) => {
    stats.outages += outages.length;
    putOutages(outages);
  };
  return stats;
}

/** The store's files and their sizes (bytes). */
function filesOnDisk(dataDir: string): { name: string; bytes: number }[] {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('history.sqlite'))
    .map((name) => ({ name, bytes: statSync(join(dataDir, name)).size }));
}

interface HttpAnswer {
  ms: number;
  status: number;
  /** Bytes on the wire (the body as sent, compressed or not) and decoded. */
  wireBytes: number;
  bytes: number;
  encoding: string | undefined;
  body: string;
}

/** A GET as a browser sends it (accepting compression), timed to the last byte. */
function get(url: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      url,
      { headers: { 'accept-encoding': 'gzip, deflate, br', accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const ms = performance.now() - t0;
          const raw = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          const decoded =
            encoding === 'gzip'
              ? gunzipSync(raw)
              : encoding === 'br'
                ? brotliDecompressSync(raw)
                : encoding === 'deflate'
                  ? inflateSync(raw)
                  : raw;
          resolve({
            ms,
            status: res.statusCode ?? 0,
            wireBytes: raw.length,
            bytes: decoded.length,
            encoding,
            body: decoded.toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Spawns the relay on `dataDir` and times spawn → `/healthz` 200; stops it after. */
async function timeToHealthy(dataDir: string, logName: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const proc = spawnTracked(process.execPath, ['--import', 'tsx', join(ROOT, 'src/relay/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATA_DIR: dataDir },
    logName,
  });
  try {
    const until = t0 + 60_000;
    for (;;) {
      if (proc.done())
        throw new Error(`the relay exited before /healthz answered: ${proc.lines.slice(-10).join('\n')}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        await res.arrayBuffer();
        if (res.status === 200) return (performance.now() - t0) / 1000;
      } catch {
        // Not listening yet.
      }
      if (performance.now() > until) throw new Error('/healthz did not answer 200 within 60 s');
      await sleep(10);
    }
  } finally {
    await proc.stop();
  }
}

function readTimes(page: Page): Promise<PageTimes> {
  return page.evaluate<PageTimes>('({ ...window.__hist })');
}

/** Waits for the ready selector (as seen by the init script), or fails naming it. */
async function waitReady(page: Page, what: string): Promise<PageTimes> {
  // Polled with CDP evaluations: the dashboard's CSP forbids the string functions `waitForFunction` makes.
  const until = performance.now() + READY_TIMEOUT_MS;
  let times = await readTimes(page);
  while (times.readyAt === undefined) {
    if (performance.now() > until) {
      const present = await page
        .evaluate<string[]>(
          `[...document.querySelectorAll('[data-testid="chart-history"]')].map((e) => e.getAttribute('data-state') ?? '(no data-state)')`,
        )
        .catch(() => [] as string[]);
      throw new Error(
        `${what}: timed out after ${READY_TIMEOUT_MS / 1000} s waiting for ${READY_SELECTOR} (the long-window traffic chart drawn); ${
          present.length
            ? `[data-testid="chart-history"] is there with data-state ${present.join(', ')}`
            : 'no [data-testid="chart-history"] on the page'
        }`,
      );
    }
    await sleep(25);
    times = await readTimes(page);
  }
  // The frame after it (painted), when the page is still drawing.
  for (let i = 0; i < 40 && times.frameAt === undefined; i++) {
    await sleep(25);
    times = await readTimes(page);
  }
  return times;
}

interface BrowserRun {
  ms: number;
  frameMs: number | undefined;
  history: { url: string; bytes: number }[];
  /** Where the time went (ms from the same start as `ms`): DOMContentLoaded, the first `/api/history` request sent and answered. */
  dcl: number | undefined;
  historySent: number | undefined;
  historyAnswered: number | undefined;
}

interface PageMarks {
  dcl: number | undefined;
  history: [number, number][];
}

/** The page's navigation and `/api/history` resource timings (page clock). */
function marks(page: Page): Promise<PageMarks> {
  return page.evaluate<PageMarks>(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const history = performance.getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/history?'))
      .map((e) => [e.startTime, e.responseEnd]);
    return { dcl: nav ? nav.domContentLoadedEventEnd : undefined, history };
  })()`);
}

/** A fresh context (cold cache, its own SharedWorker), the dashboard at 1440×900. */
async function withPage<T>(
  browser: Browser,
  fn: (page: Page, history: BrowserRun['history']) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    await context.addInitScript(INIT);
    const page = await context.newPage();
    const history: BrowserRun['history'] = [];
    page.on('response', (response) => {
      const url = response.url();
      if (!/\/api\/(history|top)\?/.test(url)) return;
      void response
        .body()
        .then((body) => history.push({ url: url.replace(/^https?:\/\/[^/]+/, ''), bytes: body.length }))
        .catch(() => undefined);
    });
    return await fn(page, history);
  } finally {
    await context.close();
  }
}

async function loadRun(browser: Browser, relay: RelayProcess, windowS: number): Promise<BrowserRun> {
  return withPage(browser, async (page, history) => {
    await page.goto(`${relay.url}/?window=${windowS}`, { waitUntil: 'commit' });
    const times = await waitReady(page, `navigation to ?window=${windowS}`);
    const m = await marks(page);
    const first = m.history.find(([from]) => from <= times.readyAt);
    return {
      ms: times.readyAt,
      frameMs: times.frameAt,
      history,
      dcl: m.dcl,
      historySent: first?.[0],
      historyAnswered: first?.[1],
    };
  });
}

async function switchRun(browser: Browser, relay: RelayProcess, label: string): Promise<BrowserRun> {
  return withPage(browser, async (page, history) => {
    await page.goto(`${relay.url}/?window=${LIVE_WINDOW}`);
    await page.waitForSelector('[data-testid="feed-grid"] tr.feed-table__row', { timeout: 60_000 });
    await sleep(1000);
    await page.evaluate('window.__hist.armed = true');
    await page.getByRole('group', { name: 'Time window' }).getByRole('button', { name: label, exact: true }).click();
    const times = await waitReady(page, `click on "${label}"`);
    const clickAt = times.clickAt;
    if (clickAt === undefined) throw new Error(`the click on "${label}" was not seen by the page`);
    const m = await marks(page);
    const first = m.history.find(([from]) => from >= clickAt && from <= times.readyAt);
    return {
      ms: times.readyAt - clickAt,
      frameMs: times.frameAt === undefined ? undefined : times.frameAt - clickAt,
      history,
      dcl: undefined,
      historySent: first === undefined ? undefined : first[0] - clickAt,
      historyAnswered: first === undefined ? undefined : first[1] - clickAt,
    };
  });
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export const historySuite: Suite = {
  name: 'history',
  title: 'History: a 24-hour and a 30-day window from a month-full store',
  async run(ctx, result) {
    const browserRuns = ctx.quick ? 3 : 7;
    const httpRuns = ctx.quick ? 5 : 15;
    const restartRuns = ctx.quick ? 2 : 4;
    if (await ensureBuilt())
      result.notes.push('The SPA was older than its sources: `vite build` ran first (not measured).');
    const loadStart = loadavg().map((l) => l.toFixed(2));
    const dataDir = mkdtempSync(join(tmpdir(), 'lsm-bench-history-'));
    const emptyDirs: string[] = [];
    let relay: RelayProcess | undefined;
    let browser: Browser | undefined;
    try {
      // The store, as a relay that ran for a month would have left it.
      const nowS = Math.floor(Date.now() / 1000);
      const store = new SqliteHistoryStore(dataDir);
      const c = instrument(store);
      const t0 = performance.now();
      fillHistory(store, { nowS, baseHitsPerS: BASE_RATE, seed: SEED });
      store.close();
      const fillS = (performance.now() - t0) / 1000;
      const files = filesOnDisk(dataDir);
      const size = files.reduce((n, f) => n + f.bytes, 0);
      ctx.log(
        `history: filled in ${fillS.toFixed(1)} s (SQLite writes ${(c.writeMs / 1000).toFixed(1)} s): ${fmt(c.seconds)} seconds, ${fmt(c.minutes)} minutes, ${fmt(c.tops)} minute tops, ${fmt(c.hourTops)} hour tops; ${(size / MB).toFixed(1)} MB on disk`,
      );
      const rowsNote = `${fmt(c.seconds)} seconds (and as many on Adobe's clock: ${fmt(c.traffic)}), ${fmt(c.minutes)} minutes, ${fmt(c.tops)} minutes' top lists, ${fmt(c.hourTops)} hours' top lists, ${c.outages} outages; generated at ${BASE_RATE} hits/s on a weekday's average (seed ${SEED})`;
      result.figures.push(
        figure(
          'store fill: generator + SQLite writes (30 days of minutes and top lists, 25 h of seconds)',
          's',
          fillS,
          {
            decimals: 1,
            note: `${rowsNote}; of which SQLite writes (one transaction per day of minutes) ${(c.writeMs / 1000).toFixed(1)} s`,
          },
        ),
        figure('store size on disk (history.sqlite, -wal, -shm)', 'MB', size / MB, {
          decimals: 1,
          note: `${files.map((f) => `${f.name} ${(f.bytes / MB).toFixed(1)} MB`).join(', ')}, after close; the store's stated bound is under 450 MB whatever the records, capped at 512 MB (docs/decisions.md, "History")`,
        }),
      );

      // The relay on that store.
      relay = await startRelayProcess({ env: { DATA_DIR: dataDir }, logName: 'history-relay' });
      const r = relay;
      const http = async (path: string, name: string, check: (body: string) => string) => {
        const answers: HttpAnswer[] = [];
        for (let i = 0; i < httpRuns; i++) {
          const answer = await get(`${r.url}${path}`);
          if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.body.slice(0, 300)}`);
          answers.push(answer);
        }
        const last = answers[answers.length - 1]!;
        const what = check(last.body);
        ctx.log(
          `history: GET ${path}: ${answers.map((a) => a.ms.toFixed(0)).join(', ')} ms; ${fmt(last.bytes)} bytes${last.encoding ? ` (${fmt(last.wireBytes)} ${last.encoding})` : ''}`,
        );
        result.figures.push(
          figure(
            `${name}: GET ${path}`,
            'ms',
            answers.map((a) => a.ms),
            {
              decimals: 0,
              note: `${httpRuns} requests in a row over HTTP/1.1 to 127.0.0.1, to the last byte (the first ${answers[0]!.ms.toFixed(0)} ms); ${what}`,
            },
          ),
          figure(`${name}: answer size`, 'KB', last.bytes / 1000, {
            decimals: 1,
            note: last.encoding
              ? `${(last.wireBytes / 1000).toFixed(1)} KB on the wire (${last.encoding})`
              : 'sent uncompressed (no content-encoding)',
          }),
        );
      };
      const describeHistory = (body: string) => {
        const h = JSON.parse(body) as HistoryResponse;
        return `${h.buckets.length} buckets of ${h.step} s (${h.resolution}), ${h.outages.length} outages`;
      };
      await http('/api/history?window=86400&points=1000', '24 hours', describeHistory);
      await http('/api/history?window=2592000&points=1000', '30 days', describeHistory);
      await http(`/api/top?window=${MINUTES_KEPT_S}`, '30 days top lists', (body) => {
        const top = JSON.parse(body) as { hits: number; pages: unknown[] };
        return `${fmt(top.hits)} hits in the lists, ${top.pages.length} pages`;
      });

      // The dashboard.
      const busy = await machineBusy(1000);
      const loadBefore = loadavg().map((l) => l.toFixed(2));
      ctx.log(
        `history: before the browser runs: load ${loadBefore.join(' ')}, ${Math.round(busy * 100)} % of the CPUs busy (the relay included)`,
      );
      browser = await launchChromium();
      const b = browser;
      const pageUrls = new Set<string>();
      for (const w of WINDOWS) {
        const load: BrowserRun[] = [];
        const click: BrowserRun[] = [];
        for (let i = 0; i < browserRuns; i++) {
          const l = await loadRun(b, r, w.seconds);
          load.push(l);
          const s = await switchRun(b, r, w.label);
          click.push(s);
          for (const h of [...l.history, ...s.history]) pageUrls.add(`${h.url} (${fmt(h.bytes / 1000, 1)} KB)`);
          const at = (x: number | undefined) => (x === undefined ? '?' : x.toFixed(0));
          ctx.log(
            `history: ${w.name} window: navigation → ready ${l.ms.toFixed(0)} ms (DOMContentLoaded ${at(l.dcl)}, /api/history ${at(l.historySent)}–${at(l.historyAnswered)}), click → ready ${s.ms.toFixed(0)} ms (/api/history ${at(s.historySent)}–${at(s.historyAnswered)})`,
          );
        }
        const mid = (xs: (number | undefined)[]) => {
          const known = xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
          return known.length ? `${known[known.length >> 1]!.toFixed(0)} ms` : '–';
        };
        const breakdown = (runs: BrowserRun[]) =>
          `medians: ${runs[0]?.dcl === undefined ? '' : `DOMContentLoaded ${mid(runs.map((x) => x.dcl))}, `}first \`/api/history\` sent ${mid(runs.map((x) => x.historySent))} and answered ${mid(runs.map((x) => x.historyAnswered))}`;
        const frames = (runs: BrowserRun[]) =>
          runs
            .map((x) => x.frameMs)
            .filter((x): x is number => x !== undefined)
            .map((x) => x.toFixed(0))
            .join(', ');
        result.figures.push(
          figure(
            `${w.name} window: navigation → chart drawn`,
            'ms',
            load.map((x) => x.ms),
            {
              target: { op: '<', value: TARGET_MS },
              decimals: 0,
              note: `\`/?window=${w.seconds}\` in a fresh browser context (cold cache), until ${READY_SELECTOR}, from the navigation's start (page clock); ${breakdown(load)}; the next animation frame at ${frames(load)} ms`,
            },
          ),
          figure(
            `${w.name} window: click on "${w.label}" → chart drawn`,
            'ms',
            click.map((x) => x.ms),
            {
              target: { op: '<', value: TARGET_MS },
              decimals: 0,
              note: `page loaded on the ${LIVE_WINDOW / 60}-minute window (first feed row, then 1 s), a click on the window selector's "${w.label}", until ${READY_SELECTOR}; ${breakdown(click)}; the next animation frame at ${frames(click)} ms`,
            },
          ),
        );
      }
      result.notes.push(`What the dashboard asked for (a 1440×900 viewport): ${[...pageUrls].sort().join('; ')}.`);
      await browser.close();
      browser = undefined;
      await relay.stop();
      relay = undefined;

      // Restart cost: the full store against an empty DATA_DIR, alternated.
      const full: number[] = [];
      const empty: number[] = [];
      for (let i = 0; i < restartRuns; i++) {
        full.push(await timeToHealthy(dataDir, `history-restart-full-${i + 1}`));
        const dir = mkdtempSync(join(tmpdir(), 'lsm-bench-history-empty-'));
        emptyDirs.push(dir);
        empty.push(await timeToHealthy(dir, `history-restart-empty-${i + 1}`));
        ctx.log(
          `history: restart ${i + 1}: full store ${full[i]!.toFixed(2)} s, empty DATA_DIR ${empty[i]!.toFixed(2)} s`,
        );
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
      result.figures.push(
        figure('relay restart → /healthz 200, with the full store', 's', full, {
          decimals: 2,
          note: `spawn of \`node --import tsx src/relay/main.ts\` on the filled DATA_DIR (${(size / MB).toFixed(0)} MB) → the first 200 of /healthz (polled every 10 ms)`,
        }),
        figure('relay restart → /healthz 200, empty DATA_DIR', 's', empty, {
          decimals: 2,
          note: 'the same, a new empty DATA_DIR each run, alternated with the full store',
        }),
        figure('restart cost of the store (full − empty, medians)', 's', median(full) - median(empty), { decimals: 2 }),
      );
      const m = machine();
      result.notes.push(
        `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM; Node ${m.node}; ${m.chromium}. It is shared with other people's builds and tests: load average ${loadStart.join(' / ')} at the suite's start, ${loadBefore.join(' / ')} just before the browser runs (${Math.round(busy * 100)} % of the CPUs busy then, the suite's relay and its simulator included), ${m.loadAverage.join(' / ')} at the end. Every figure here is a wall-clock time on that machine, the browser ones with Chromium, the relay and the others' work sharing the two cores.`,
      );
    } finally {
      await browser?.close();
      await relay?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      for (const dir of emptyDirs) rmSync(dir, { recursive: true, force: true });
    }
  },
};
