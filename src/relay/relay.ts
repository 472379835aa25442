import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { catalogDocument, type Problem, type Shard, type Stats, type Status, type Top } from '../contract/index.ts';
import { systemClock, type Clock, type TimerHandle } from './clock.ts';
import { ADOBE_ADVISED_COOLDOWN_S, publicUrl, streamUrl, type RelayConfig } from './config.ts';
import { FeedBatcher } from './hub/feed.ts';
import { Ingest } from './hub/ingest.ts';
import { Redactor } from './hub/redact.ts';
import { SseHub, type SseHubOptions } from './hub/sse-hub.ts';
import { StatsCollector } from './hub/stats.ts';
import { ProblemLog } from './store/problem-log.ts';
import { FileShardMemory, MemoryShardMemory, upstreamKey, type ShardMemory } from './store/shard-memory.ts';
import type { ConnectOutcome, ConnectRequest } from './upstream/connect.ts';
import type { ReconnectAnswer } from './upstream/supervisor.ts';
import { TokenManager } from './upstream/token.ts';
import { Upstream } from './upstream/upstream.ts';
import { startSimulator, type Simulator } from '../simulator/server.ts';

/**
 * The relay's core, without HTTP: the upstream (supervisors, tokens, connector), the ingest
 * (decode → exact ids → de-duplication → summary → stores → stats), and the SSE hub. The API
 * layer (api/server.ts) and the host (main.ts) sit on top.
 */

export interface RelayDeps {
  clock?: Clock;
  /** Replaces the real connector (tests). */
  connect?: (request: ConnectRequest) => Promise<ConnectOutcome>;
  fetch?: typeof fetch;
  hub?: Partial<Omit<SseHubOptions, 'clock' | 'runId'>>;
  /** Keep shard memory in memory instead of DATA_DIR (tests). */
  ephemeral?: boolean;
  log?: RelayLog;
  /** Feed batch interval. Default 200 ms. */
  feedIntervalMs?: number;
}

export interface RelayLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface Relay {
  readonly config: RelayConfig;
  readonly runId: string;
  readonly version: string;
  readonly mode: 'simulator' | 'adobe';
  readonly simulator: Simulator | undefined;
  readonly hub: SseHub;
  readonly upstream: Upstream;
  status(): Status;
  problems(limit: number): Problem[];
  catalog: typeof catalogDocument;
  series(windowS: number): Stats[];
  top(windowS: number): Top | undefined;
  /** The full hit, redacted, as JSON text with exact 64-bit ids; undefined when not in memory. */
  hit(hitId: string): string | undefined;
  reconnect(shard: number): ReconnectAnswer | undefined;
  subscribe(res: ServerResponse, lastEventId: string | undefined): void;
  /** Publishes a Problem of the relay's own (scrubbed, logged, broadcast). */
  report(problem: Problem): Problem;
  malformedSamples(): string[];
  counters(): Status['counters'] & { evicted: number; tokenRequests: number };
  stop(): Promise<void>;
}

export async function createRelay(config: RelayConfig, version: string, deps: RelayDeps = {}): Promise<Relay> {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? { info: () => undefined, warn: () => undefined };
  const runId = `r${clock.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const startedAt = clock.now();

  let simulator: Simulator | undefined;
  let url: string;
  let tokens: TokenManager;
  let apiKey: string;
  const secrets = [...config.secrets];
  if (config.livestreamUrl) {
    url = streamUrl(config);
    apiKey = config.clientId!;
    tokens = new TokenManager({
      tokenUrl: config.imsTokenUrl,
      clock,
      ...(config.clientId ? { clientId: config.clientId } : {}),
      ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
      ...(config.scopes ? { scopes: config.scopes } : {}),
      ...(config.accessToken ? { staticToken: config.accessToken } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  } else {
    simulator = await startSimulator({
      port: config.simulator.port,
      rate: config.simulator.rate,
      churnWindowS: config.simulator.churnWindowS,
    });
    url = streamUrl(config, simulator.streamUrl);
    apiKey = simulator.clientId;
    secrets.push(simulator.clientSecret);
    tokens = new TokenManager({
      tokenUrl: simulator.tokenUrl,
      clientId: simulator.clientId,
      clientSecret: simulator.clientSecret,
      clock,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  }

  const redactor = new Redactor(config.redactFields);
  const scrub = (text: string) => secrets.reduce((out, secret) => out.split(secret).join('****'), text);
  const problemLog = new ProblemLog(deps.ephemeral ? undefined : config.dataDir);
  const memory: ShardMemory = deps.ephemeral
    ? new MemoryShardMemory()
    : new FileShardMemory(config.dataDir, upstreamKey(url));
  const stats = new StatsCollector(config.maxConnections);
  const feed = new FeedBatcher(config.feedMaxHitsPerS, clock.now());

  const hub = new SseHub({ clock, runId, ...deps.hub });

  /** Scrubs secrets and masks redacted fields from every text field of a Problem. */
  function clean(problem: Problem): Problem {
    const out: Problem = { ...problem };
    for (const key of ['message', 'details', 'requestId', 'trace'] as const) {
      const value = out[key];
      if (typeof value === 'string') out[key] = redactor.text(scrub(value));
    }
    return out;
  }

  function report(problem: Problem): Problem {
    const cleaned = clean(problem);
    problemLog.add(cleaned);
    hub.broadcast('problem', cleaned);
    log.warn('problem', {
      code: cleaned.code,
      status: cleaned.status,
      action: cleaned.action,
      shard: cleaned.shard,
      source: cleaned.source,
      trace: cleaned.trace,
    });
    return cleaned;
  }

  const ingest = new Ingest({
    clock,
    redactor,
    stats,
    feed,
    scrub,
    noteHit: (shard, at) => upstream.noteHit(shard, at),
    report: (problem) => {
      report(problem);
    },
  });

  const upstream = new Upstream({
    url,
    apiKey,
    shards: config.maxConnections,
    clock,
    cooldownMs: config.cooldownS * 1000,
    stallTimeoutMs: config.stallTimeoutS * 1000,
    tokens,
    memory,
    userAgent: `livestream-monitor/${version}`,
    ...(deps.connect ? { connect: deps.connect } : {}),
    createDecoder: (shard) => ingest.decoder(shard),
    onState: (shard: Shard) => {
      if (shard.state === 'streaming') stats.streaming();
      if (shard.state === 'waiting' || shard.state === 'failed') stats.down();
      hub.broadcast('state', shard.problem ? { ...shard, problem: clean(shard.problem) } : shard);
      log.info('shard state', {
        shard: shard.shard,
        state: shard.state,
        retryAt: shard.retryAt,
        attempt: shard.attempt,
      });
    },
    onProblem: (problem) => {
      report(problem);
    },
    onBytes: (_shard, bytes) => ingest.bytes(bytes),
  });

  function anyShardIn(...states: string[]): boolean {
    return upstream.shards().some((s) => states.includes(s.state));
  }

  // Feed batches every ~200 ms; stats and top lists once a second, on the second.
  const feedIntervalMs = deps.feedIntervalMs ?? 200;
  let feedTimer: TimerHandle | undefined;
  let statsTimer: TimerHandle | undefined;
  const flushFeed = () => {
    const batch = feed.take(clock.now());
    if (batch) {
      const data = batch.sampled ? { hits: batch.hits, sampled: batch.sampled } : { hits: batch.hits };
      hub.publishHits(data, batch.firstSeq, batch.lastSeq, batch.hits.length);
    }
    feedTimer = clock.setTimeout(flushFeed, feedIntervalMs);
  };
  const tickStats = () => {
    const now = clock.now();
    const second = Math.floor(now / 1000) - 1;
    const closed = stats.tick(second, hub.clients, anyShardIn('streaming', 'stalled'), anyShardIn('waiting', 'failed'));
    hub.broadcast('stats', closed);
    hub.broadcast('top', { windows: stats.topAll(now) });
    statsTimer = clock.setTimeout(tickStats, 1000 - (clock.now() % 1000) + 5);
  };
  feedTimer = clock.setTimeout(flushFeed, feedIntervalMs);
  statsTimer = clock.setTimeout(tickStats, 1000 - (clock.now() % 1000) + 5);

  if (config.cooldownS < ADOBE_ADVISED_COOLDOWN_S) {
    log.warn(
      `RECONNECT_COOLDOWN_S=${config.cooldownS} is below Adobe's advice of ${ADOBE_ADVISED_COOLDOWN_S} s: reconnecting this fast risks 409 and 503 refusals`,
    );
  }
  upstream.start();

  const mode = simulator ? 'simulator' : 'adobe';

  function status(): Status {
    return {
      relay: {
        version,
        startedAt,
        mode,
        cooldownS: config.cooldownS,
        now: clock.now(),
        runId,
        feedMaxHitsPerS: config.feedMaxHitsPerS,
        stallTimeoutS: config.stallTimeoutS,
        passwordProtected: !!config.dashboardPassword,
      },
      upstream: { url: publicUrl(url), maxConnections: config.maxConnections },
      shards: upstream.shards().map((s) => (s.problem ? { ...s, problem: clean(s.problem) } : s)),
      clients: hub.clients,
      counters: { ...ingest.counters, reconnects: upstream.reconnects() },
    };
  }

  let stopped = false;
  return {
    config,
    runId,
    version,
    mode,
    simulator,
    hub,
    upstream,
    status,
    problems: (limit) => problemLog.list(limit),
    catalog: catalogDocument,
    series: (windowS) => stats.series(windowS),
    top: (windowS) => stats.top(windowS, clock.now()),
    hit: (hitId) => ingest.hit(hitId),
    reconnect: (shard) => upstream.reconnect(shard),
    subscribe: (res, lastEventId) => hub.subscribe(res, lastEventId, (id) => ({ status: status(), lastEventId: id })),
    report: (problem) => report(problem),
    malformedSamples: () => ingest.malformedSamples(),
    counters: () => ({
      ...ingest.counters,
      reconnects: upstream.reconnects(),
      evicted: hub.evicted,
      tokenRequests: tokens.requests,
    }),
    async stop() {
      if (stopped) return;
      stopped = true;
      clock.clearTimeout(feedTimer);
      clock.clearTimeout(statsTimer);
      await upstream.stop();
      hub.close();
      await simulator?.close();
    },
  };
}
