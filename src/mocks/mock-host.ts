import { randomUuid } from '../contract/index.ts';
import { ManualClock } from '../core/clock.ts';
import { createRelayCore, type RelayCore, type RelayCoreDeps, type RelayLog } from '../core/relay-core.ts';
import { ProblemLog } from '../core/store/problem-log.ts';
import { MemoryShardMemory } from '../core/store/shard-memory.ts';
import { hashText } from '../simulator/generator/index.ts';
import { fillHere, MockHistoryStore, type HistoryFiller, type HistoryFillOptions } from './mock-history.ts';
import type { Scenario } from './scenarios.ts';
import { ScriptConnector } from './script-connector.ts';
import { SiteTraffic } from './site-traffic.ts';
import { subscribeStream, type SubscriberStream } from './stream-sink.ts';

/**
 * The mock host: the relay's own core (`src/core/relay-core.ts`) run in the page (or in a Node
 * test) on a virtual clock, given what a host gives it — a connector, here the scenario's script
 * (`script-connector.ts`) with the site's traffic on it (`site-traffic.ts`); tokens; memory
 * stores — exactly as the Node host (`src/relay/relay.ts`) gives it HTTP and files. Every state,
 * wait, Problem, stat, feed batch, replay and metric is the core's.
 *
 * The clock starts `historyS` before the page opened and catches up to "now" at once (history
 * fills the charts); then it follows the page's clock (`Date.now()`, which Playwright's
 * `page.clock` drives in e2e tests) whenever `sync()` runs: on a timer (`start()`) and before
 * every answer. A later jump only gets hits for its last `MAX_CATCH_UP_MS` (a sleeping tab, a
 * test's fast-forward stay cheap). What belongs to the host alone: the browser's link to the
 * relay (`linkOutages`: open streams break, `linkDown()` tells the handlers to answer 503), and
 * the operator a scenario scripts (`operatorReconnects`: "Reconnect now", answered by the core).
 */

export interface MockHostOptions {
  scenario: Scenario;
  /** Seeds the traffic. Default: derived from the scenario's name. */
  seed?: number;
  version?: string;
  /** The page's clock (epoch ms). Default `Date.now`. */
  now?: () => number;
  /** Shortest gap between two feed batches under load. Default the relay's. */
  feedIntervalMs?: number;
  /** The core's log (state changes and Problems, as the Node host logs them). */
  log?: RelayLog;
  /**
   * What an earlier run recorded before the relay started (`mock-history.ts`): the long windows,
   * "compare with" and their top lists read it. Default none (an empty history).
   */
  history?: Omit<HistoryFillOptions, 'nowS'> | undefined;
  /** Where the history is made. Default in this thread (`fillHere`); the browser uses a worker. */
  historyFiller?: HistoryFiller | undefined;
}

/** A jump of the page's clock longer than this only gets its last part filled with hits. */
export const MAX_CATCH_UP_MS = 120_000;

/** The relay's defaults, for what a scenario does not set. */
const RELAY_DEFAULTS = { maxWaitS: 3600, redactFields: ['ip'] } as const;

/**
 * Tokens that can always be refreshed (as with client credentials): a 401 is retried at once
 * with a fresh one, and a second 401 fails the shard (the core's rule).
 */
function mockTokens(): RelayCoreDeps['tokens'] {
  let issued = 1;
  return {
    get: () => Promise.resolve(`mock-token-${issued}`),
    invalidate: () => {
      issued++;
    },
    canRefresh: true,
    secrets: () => [],
    get requests() {
      return issued;
    },
  };
}

/**
 * Livestream's answer to the enable call (`POST /api/upstream/enable`), built in memory: the page
 * never leaves the browser in mock mode. It names the endpoint as Adobe's release notes describe
 * the switch (about 15 minutes).
 */
function mockEnableFetch(input: string): Promise<Response> {
  const name = decodeURIComponent(/\/api\/2\/enable\/([^/?#]+)/.exec(input)?.[1] ?? 'demo');
  const body = JSON.stringify({
    message: `Stream ${name} will serve the latest API version in about 15 minutes.`,
  });
  return Promise.resolve(
    new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'x-request-id': 'mock-enable' } }),
  );
}

export class MockHost {
  readonly scenario: Scenario;
  readonly clock: ManualClock;
  readonly core: RelayCore;
  /** Relay start (epoch ms): `historyS` before the page opened. */
  readonly startedAt: number;
  /** When the page opened (epoch ms): `linkOutages` count from here. */
  readonly openedAt: number;
  /** Resolves once the history is played. */
  readonly ready: Promise<void>;
  /** The relay's history store, when filled (`options.history`). */
  readonly history: MockHistoryStore | undefined;
  private readonly now: () => number;
  private readonly connector: ScriptConnector;
  private readonly traffic: SiteTraffic;
  private readonly outages: { from: number; to: number }[];
  private readonly streams = new Set<SubscriberStream>();
  private queue: Promise<void>;
  private timer: ReturnType<typeof setInterval> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: MockHostOptions) {
    const { scenario } = options;
    this.scenario = scenario;
    this.now = options.now ?? (() => Date.now());
    this.openedAt = this.now();
    this.startedAt = this.openedAt - scenario.historyS * 1000;
    const clock = (this.clock = new ManualClock(this.startedAt));
    this.outages = (scenario.linkOutages ?? []).map((o) => ({
      from: this.openedAt + o.fromS * 1000,
      to: this.openedAt + o.toS * 1000,
    }));
    this.connector = new ScriptConnector({ clock, scripts: scenario.shards });
    this.traffic = new SiteTraffic({
      clock,
      scenario,
      streams: this.connector,
      seed: options.seed ?? hashText(`mock:${scenario.name}`),
      openedAt: this.openedAt,
    });
    const shards = scenario.shards.length;
    const history = (this.history = options.history
      ? new MockHistoryStore(
          options.historyFiller ?? fillHere,
          {
            // The earlier run saw the scenario's traffic (a scenario without traffic: the default's).
            baseHitsPerS: scenario.traffic.baseRate || 20,
            seed: options.seed ?? hashText(`history:${scenario.name}`),
            ...options.history,
            nowS: Math.floor(this.startedAt / 1000),
          },
          () => Math.floor(clock.now() / 1000),
        )
      : undefined);
    const url = `http://127.0.0.1:8081/api/1/stream/demo-${scenario.name}${shards > 1 ? `?maxConnections=${shards}` : ''}`;
    const create = () =>
      createRelayCore(
        {
          version: options.version ?? '0.0.0-mock',
          mode: 'simulator',
          url,
          publicUrl: url,
          apiKey: 'livestream-monitor-mock',
          maxConnections: shards,
          cooldownS: scenario.relay.cooldownS,
          stallTimeoutS: scenario.relay.stallTimeoutS,
          maxWaitS: RELAY_DEFAULTS.maxWaitS,
          redirectHosts: [],
          redactFields: RELAY_DEFAULTS.redactFields,
          feedMaxHitsPerS: scenario.relay.feedMaxHitsPerS,
          passwordProtected: false,
        },
        {
          clock,
          connect: this.connector.connect,
          tokens: mockTokens(),
          memory: new MemoryShardMemory(),
          problemLog: new ProblemLog(),
          runId: `m${this.startedAt.toString(36)}${randomUuid().slice(0, 6)}`,
          ...(options.log ? { log: options.log } : {}),
          ...(options.feedIntervalMs !== undefined ? { feedIntervalMs: options.feedIntervalMs } : {}),
          startedAt: this.startedAt,
          enableFetch: mockEnableFetch,
          ...(scenario.alertRules ? { alerts: { rules: scenario.alertRules } } : {}),
          ...(history ? { history } : {}),
        },
      );
    this.core = create();
    for (const { from } of this.outages) clock.setTimeout(() => this.breakStreams(), from - this.startedAt);
    for (const { shard, atS } of scenario.operatorReconnects ?? []) {
      clock.setTimeout(() => this.core.reconnect(shard), this.openedAt + atS * 1000 - this.startedAt);
    }
    // The history is played in full: it is what fills the charts when the page opens.
    this.queue = clock.advanceTo(this.openedAt);
    this.ready = this.queue;
  }

  /** Plays everything due up to the page's clock. */
  sync(): Promise<void> {
    return this.advanceTo(this.now());
  }

  /** Plays everything due up to `target` (epoch ms), after what is already queued; never moves back. */
  advanceTo(target: number): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.closing || target <= this.clock.now()) return;
      this.traffic.hitsFrom = target - MAX_CATCH_UP_MS;
      await this.clock.advanceTo(target);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Follows the page's clock on a timer of its own (every `intervalMs`). */
  start(intervalMs = 100): void {
    this.stop();
    this.timer = setInterval(() => void this.sync(), intervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The browser's own link to the relay is down at `at` (scenario `linkOutages`). */
  linkDown(at = this.now()): boolean {
    return this.outages.some((o) => at >= o.from && at < o.to);
  }

  /** A browser subscribes to the stream; undefined once the host is closing (answer 503). */
  subscribe(lastEventId: string | undefined): SubscriberStream | undefined {
    if (this.closing || this.core.hub.isClosed) return undefined;
    const stream = subscribeStream(this.core, lastEventId, (closed) => this.streams.delete(closed));
    if (!stream.closed) this.streams.add(stream);
    return stream;
  }

  /** Stops following the clock, ends every stream and stops the core. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stop();
      await this.queue;
      this.traffic.stop();
      await this.core.stop();
    })();
    return this.closing;
  }

  /** The link goes down: every open stream breaks (the browser sees a network error). */
  private breakStreams(): void {
    for (const stream of [...this.streams]) stream.fail('the relay link is down');
  }
}
