import {
  LIVE_WINDOW_S,
  catalogDocument,
  makeProblem,
  type Alert,
  type CountersEvent,
  type HistoryResponse,
  type Problem,
  type Shard,
  type Traffic,
  type Status,
  type Top,
} from '../contract/index.ts';
import { AlertBook, MemoryAlertStore, type AlertStore } from './alerts/alert-book.ts';
import { AlertDelivery, type AlertFetch } from './alerts/delivery.ts';
import { AlertRules, DEFAULT_ALERT_RULES, type AlertRuleSettings } from './alerts/rules.ts';
import type { ByteOps } from './bytes.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { Broadcaster, type BroadcasterOptions, type Subscription, type SubscriberSink } from './hub/broadcaster.ts';
import { FEED_MIN_GAP_MS, FeedBatcher, type FeedBatch } from './hub/feed.ts';
import { RelayHistory } from './history/history.ts';
import { MemoryHistoryStore, type HistoryStore } from './history/history-store.ts';
import { Ingest, type UpstreamCounts } from './ingest/ingest.ts';
import { Redactor } from './ingest/redact.ts';
import { DOWN_STATES, StatsCollector, worstDown, type DownState } from './stats/stats.ts';
import type { ProblemLog, ProblemUpdate } from './store/problem-log.ts';
import type { ShardMemory } from './store/shard-memory.ts';
import { describeUpstream } from './upstream/api-version.ts';
import type { Connector } from './upstream/connector.ts';
import { EnableCall, type EnableFetch, type EnableOutcome } from './upstream/enable.ts';
import type { ReconnectAnswer } from './upstream/reconnect.ts';
import type { ShardGate } from './upstream/gate.ts';
import type { DecodedRecord } from './ingest/decode.ts';
import type { TokenManager } from './upstream/token.ts';
import { Upstream } from './upstream/upstream.ts';

/**
 * The relay, whatever its host: the upstream (one supervisor per shard, the token manager, the
 * host's connector), the ingest (decode → exact ids → de-duplication → summary → stores →
 * stats), the feed and the broadcaster, the error log, and the timers that tick them. It knows
 * nothing of Node, HTTP frameworks or MSW: the Node host (src/relay/relay.ts) gives it an HTTP
 * connector and file stores, the mock host (src/mocks) a scripted connector and memory, and both
 * serve its answers through the route functions (routes/).
 */

export interface RelaySettings {
  version: string;
  /** `simulator` when the relay reads the embedded (or a mock) simulator, else `adobe`. */
  mode: 'simulator' | 'adobe';
  /** The stream URL with its query parameters (`reset` goes with each shard's first attempt only). */
  url: string;
  /** The URL as shown to people: no credential, no query secret. */
  publicUrl: string;
  /** Sent as `x-api-key`; empty (a static token without a client id): no `x-api-key` is sent. */
  apiKey: string;
  maxConnections: number;
  cooldownS: number;
  stallTimeoutS: number;
  maxWaitS: number;
  redirectHosts: readonly string[];
  redactFields: readonly string[];
  feedMaxHitsPerS: number;
  passwordProtected: boolean;
}

export interface RelayLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface RelayCoreDeps {
  clock: Clock;
  connect: Connector;
  tokens: Pick<TokenManager, 'get' | 'invalidate' | 'canRefresh' | 'secrets' | 'requests'>;
  memory: ShardMemory;
  problemLog: ProblemLog;
  /** Names this run (event ids `<runId>.<seq>`): unique per start. */
  runId: string;
  /** Texts that must never leave the relay (secrets, passwords), beside the tokens held. */
  secrets?: readonly string[];
  /** The host's byte operations. Default: portable ones. */
  bytes?: ByteOps;
  log?: RelayLog;
  hub?: Partial<Omit<BroadcasterOptions, 'clock' | 'runId'>>;
  /** Shortest gap between two feed batches under load. Default `FEED_MIN_GAP_MS`. */
  feedIntervalMs?: number;
  userAgent?: string;
  /** When the relay started (epoch ms). Default: now. */
  startedAt?: number;
  /** Said at start as Problem `state_unreadable` (one each): state the host could not read. */
  unreadable?: readonly string[];
  /** The HTTP call of the enable call (`POST /api/upstream/enable`). Default: the platform's `fetch`. */
  enableFetch?: EnableFetch;
  /** Where the history is kept (per-second stats, minutes, top lists, outages). Default: memory. */
  history?: HistoryStore;
  /** Alerting: where alerts are kept and sent, and the rules' settings. Default: memory, nowhere, defaults. */
  alerts?: RelayAlertOptions;
  /** Several relays on one stream (`REDIS_URL`). Default: none (this relay is alone). */
  cluster?: RelayClusterHooks;
}

/** One entry of the shared stream (`PUBLISH_STREAM_KEY`). */
export interface StreamEntry {
  seq: number;
  shard: number;
  hitId: string;
  /** The record's line exactly as received. */
  hit: Uint8Array;
  arrivedAt: number;
}

/** What makes a shard's view news (a `state` event): not its hit count or last hit. */
function stateKey(shard: Shard): string {
  const { problem } = shard;
  return JSON.stringify([
    shard.state,
    shard.since,
    shard.retryAt,
    shard.waitReason,
    shard.attempt,
    shard.connectedAt,
    problem?.id,
    problem?.resolvedAt,
  ]);
}

/** Hits per `hits` event when the replay buffer is filled from the shared stream. */
const BACKFILL_BATCH = 200;

/**
 * What a host sharing the stream with other relays gives the core (src/relay/cluster/): each
 * shard's lease, where records read on a held shard go (the shared stream de-duplicates them and
 * gives their `seq`), and where a held shard's view is shared. What the shared stream delivers
 * comes back through `fromStream`, what became of the records published through `published`, and
 * other relays' shards and Problems through `remoteShard` and `remoteProblem`.
 */
export interface RelayClusterHooks {
  /** This relay's name among those sharing the stream. */
  relayId: string;
  gate(shard: number): ShardGate;
  publish(shard: number, decoded: DecodedRecord, arrivedAt: number): void;
  /** A shard this relay holds changed state. */
  shardState(shard: Shard): void;
  /** A Problem this relay raised, resolved or saw acknowledged: shared with the other relays. */
  problem(problem: Problem): void;
  /** This relay sends the alerts to webhooks and Alertmanager now (one relay does, not each). */
  deliversAlerts(): boolean;
  /** Each second: what this relay read that the shared stream does not carry (when not zero). */
  counts(counts: UpstreamCounts): void;
}

export interface RelayAlertOptions {
  store?: AlertStore;
  rules?: Partial<AlertRuleSettings>;
  webhookUrls?: readonly string[];
  alertmanagerUrl?: string;
  /** The HTTP calls of webhooks and Alertmanager. Default: the platform's `fetch`. */
  fetch?: AlertFetch;
  /** Labels of every Alertmanager alert (`service`, `stream`). */
  labels?: Record<string, string>;
  /** The dashboard's URL, for Alertmanager's `generatorURL`. */
  dashboardUrl?: string;
}

export interface RelayCore {
  readonly settings: RelaySettings;
  readonly runId: string;
  readonly hub: Broadcaster;
  readonly upstream: Upstream;
  status(): Status;
  problems(limit: number): Problem[];
  catalog: typeof catalogDocument;
  /** `GET /api/stats`'s body: the last `windowS` seconds (up to a day: the live hour, then the history store's). */
  seriesJson(windowS: number): string;
  /** `GET /api/history`: a span downsampled into buckets, with its outages. */
  history(windowS: number, points?: number, endS?: number): HistoryResponse;
  /** The site's traffic on Adobe's clock over the last `windowS` seconds, and the outages. */
  traffic(windowS: number): Traffic;
  /** A live window (`TOP_WINDOWS_S`), or any longer one up to 30 days from the history's minutes. */
  top(windowS: number): Top | undefined;
  /** The full hit, redacted, as JSON text with exact 64-bit ids; undefined when not in memory. */
  hit(hitId: string): string | undefined;
  reconnect(shard: number): ReconnectAnswer | undefined;
  /**
   * An operator asks for the enable call (`GET <origin>/api/2/enable/<name>`, after a 424): sent
   * at most once a minute, never by the relay on its own. The answer holds no secret.
   */
  enableStream(): Promise<EnableOutcome>;
  /** A browser subscribes to the stream through the host's sink. */
  subscribe(sink: SubscriberSink, lastEventId: string | undefined): Subscription;
  /** Publishes a Problem of the relay's own (scrubbed, logged, broadcast). */
  report(problem: Problem): Problem;
  /** A write of `what` to the host's storage failed: Problem `state_not_persisted`. */
  reportNotPersisted(what: string, details: string): void;
  /** Writes of `what` work again: its `state_not_persisted` is resolved. */
  reportPersisted(what: string): void;
  /**
   * An operator has seen this Problem: `acknowledgedAt` is set (the first time only) and the
   * Problem is sent again. Undefined for an id the error log does not hold.
   */
  acknowledge(id: string): Problem | undefined;
  malformedSamples(): string[];
  /** Firing alerts first, then those resolved in the last 24 h (`GET /api/alerts`). */
  alerts(): Alert[];
  /** The alert rules' settings in force. */
  readonly alertRules: AlertRuleSettings;
  /** What the alert delivery did: bodies delivered, failed attempts, bodies given up. */
  alertDelivery(): { delivered: number; failedAttempts: number; givenUp: number; pending: number };
  /** The p95 lag of the newest second that had hits, when it is less than a minute old. */
  recentLagP95Ms(): number | undefined;
  counters(): Status['counters'] & { evicted: number; tokenRequests: number };
  /** Several relays: a distinct hit the shared stream delivered (every relay, the holder too). */
  fromStream(shard: number, seq: number, hitId: string, bytes: Uint8Array, arrivedAt: number): void;
  /**
   * Several relays, at start: the stream's recent entries, for `Last-Event-ID` replay only (a
   * browser moved here from another relay resumes without a gap); not counted again.
   */
  backfill(entries: Iterable<StreamEntry>): void;
  /** Several relays: what the shared stream made of records this relay published (`seq`, 0: a duplicate). */
  published(shard: number, seqs: readonly number[], arrivedAt: readonly number[]): void;
  /** Several relays: the view of a shard as its holder shares it (undefined: no relay holds it). */
  remoteShard(shard: number, view: Shard | undefined): void;
  /** Several relays: a Problem another relay raised, resolved or saw acknowledged. */
  remoteProblem(problem: Problem): void;
  /** Several relays: another relay's duplicates, malformed records and bytes of a second. */
  remoteCounts(counts: UpstreamCounts): void;
  /** Several relays: this relay has just become the one that delivers alerts (Alertmanager hears of the firing ones). */
  deliverFiringAlerts(): void;
  stop(): Promise<void>;
}

/**
 * A `malformed_record` Problem is resolved once its shard has read this long without another
 * malformed record; a newer one of the same shard resolves the older (it carries the count).
 */
export const MALFORMED_QUIET_MS = 60_000;

/** Sources of a shard's connection Problems: resolved when that shard is next `streaming`. */
const CONNECTION_SOURCES = new Set(['upstream', 'token']);

export function createRelayCore(settings: RelaySettings, deps: RelayCoreDeps): RelayCore {
  const { clock, tokens, memory, problemLog, runId, cluster } = deps;
  const log = deps.log ?? { info: () => undefined, warn: () => undefined };
  const startedAt = deps.startedAt ?? clock.now();
  const secrets = [...(deps.secrets ?? [])];

  const redactor = new Redactor(settings.redactFields);
  // The configured secrets and every access token the relay holds or recently held.
  const scrub = (text: string) =>
    [...secrets, ...tokens.secrets()].reduce((out, secret) => out.split(secret).join('****'), text);
  const stats = new StatsCollector(settings.maxConnections, () => clock.now(), `${runId}.o`);
  const history = new RelayHistory(deps.history ?? new MemoryHistoryStore(), stats, () => clock.now());
  history.restore();
  // A batch is armed by the first hit it holds (see FEED_MIN_GAP_MS): at once when the last
  // batch left long enough ago, else when the gap is over.
  const feedGapMs = deps.feedIntervalMs ?? FEED_MIN_GAP_MS;
  let feedTimer: TimerHandle | undefined;
  let lastFeedAt = -Infinity;
  let stopped = false;
  const feed = new FeedBatcher(settings.feedMaxHitsPerS, clock.now(), () => {
    if (feedTimer !== undefined || stopped) return;
    feedTimer = clock.setTimeout(flushFeed, Math.max(0, lastFeedAt + feedGapMs - clock.now()));
  });
  const hub = new Broadcaster({ clock, runId, ...deps.hub });

  /** Scrubs secrets and masks redacted fields from every text field of a Problem. */
  function clean(problem: Problem): Problem {
    const out: Problem = { ...problem };
    for (const key of ['message', 'details', 'requestId', 'trace'] as const) {
      const value = out[key];
      if (typeof value === 'string') out[key] = redactor.text(scrub(value));
    }
    return out;
  }

  /** The `malformed_record` Problem still active on each shard, and when its shard last had one. */
  const malformedActive = new Map<number, { id: string; at: number }>();
  /** The `state_not_persisted` Problem of each failing store, by what it could not write. */
  const notPersistedActive = new Map<string, string>();

  /** Sets `resolvedAt` or `acknowledgedAt` (first time only) and sends the Problem again. */
  function update(id: string, patch: ProblemUpdate, shared = false): Problem | undefined {
    const result = problemLog.update(id, patch);
    if (!result) return undefined;
    if (result.changed) {
      hub.broadcast('problem', result.problem);
      if (!shared) cluster?.problem(result.problem);
      log.info(patch.resolvedAt !== undefined ? 'problem resolved' : 'problem acknowledged', {
        code: result.problem.code,
        shard: result.problem.shard,
        id,
      });
    }
    return result.problem;
  }

  function resolveWhere(match: (problem: Problem) => boolean): void {
    const at = clock.now();
    for (const problem of problemLog.active(match)) update(problem.id, { resolvedAt: at });
  }

  /**
   * A shard streams: its connection Problems are over (those of earlier runs too: the log
   * survives a restart), as are connection Problems of a shard this relay no longer runs (fewer
   * `maxConnections` than before) and of none, and `state_unreadable` (the relay has written its
   * state since).
   */
  function shardStreams(shard: number): void {
    resolveWhere(
      (p) =>
        (CONNECTION_SOURCES.has(p.source) &&
          (p.shard === undefined || p.shard === shard || p.shard >= settings.maxConnections)) ||
        p.code === 'state_unreadable',
    );
  }

  function report(problem: Problem): Problem {
    const cleaned = clean(problem);
    if (cleaned.code === 'malformed_record' && cleaned.shard !== undefined) {
      // The newer one carries the running count: the older is over.
      const earlier = malformedActive.get(cleaned.shard);
      if (earlier) update(earlier.id, { resolvedAt: cleaned.at });
      malformedActive.set(cleaned.shard, { id: cleaned.id, at: cleaned.at });
    }
    problemLog.add(cleaned);
    hub.broadcast('problem', cleaned);
    cluster?.problem(cleaned);
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

  /** Other relays' shards, as their holders share them (several relays only). */
  const remote = new Map<number, Shard>();
  /** Each shard as this relay shows it: its own view when it holds it (or is alone), else the holder's. */
  function shardViews(): Shard[] {
    return upstream.supervisors.map((supervisor) => {
      const view = !supervisor.holds() ? remote.get(supervisor.shard) : undefined;
      return view ?? supervisor.snapshot();
    });
  }
  /** A shard's view changed (this relay's, or its holder's): stats, browsers, the log. */
  function shardChanged(shard: Shard): void {
    stats.adobe.shardState(shard.shard, shard.state);
    if (shard.state === 'streaming') stats.streaming();
    if (isDownState(shard.state)) stats.down(shard.state);
    hub.broadcast('state', shard.problem ? { ...shard, problem: clean(shard.problem) } : shard);
  }

  const ingest = new Ingest({
    clock,
    redactor,
    stats,
    feed,
    scrub,
    ...(deps.bytes ? { bytes: deps.bytes } : {}),
    ...(cluster ? { publish: (shard, decoded, arrivedAt) => cluster.publish(shard, decoded, arrivedAt) } : {}),
    noteHit: (shard, at) => upstream.noteHit(shard, at),
    report: (problem) => {
      report(problem);
    },
  });

  const upstream = new Upstream({
    url: settings.url,
    apiKey: settings.apiKey,
    shards: settings.maxConnections,
    clock,
    cooldownMs: settings.cooldownS * 1000,
    stallTimeoutMs: settings.stallTimeoutS * 1000,
    maxWaitMs: settings.maxWaitS * 1000,
    redirectHosts: settings.redirectHosts,
    tokens,
    memory,
    ...(deps.userAgent ? { userAgent: deps.userAgent } : {}),
    connect: deps.connect,
    createDecoder: (shard) => ingest.decoder(shard),
    ...(cluster ? { gate: (shard: number) => cluster.gate(shard) } : {}),
    onState: (shard: Shard) => {
      const held = upstream.supervisors[shard.shard]?.holds() ?? true;
      if (cluster && held) cluster.shardState(shard.problem ? { ...shard, problem: clean(shard.problem) } : shard);
      // A relay standing by shows the holder's view of the shard, not its own wait for the lease.
      if (held || !remote.has(shard.shard)) shardChanged(shard);
      log.info('shard state', {
        shard: shard.shard,
        state: shard.state,
        retryAt: shard.retryAt,
        attempt: shard.attempt,
        ...(shard.problem ? { code: shard.problem.code, action: shard.problem.action } : {}),
      });
      if (shard.state === 'streaming') shardStreams(shard.shard);
    },
    onProblem: (problem) => {
      report(problem);
    },
    onBytes: (_shard, bytes) => ingest.bytes(bytes),
  });

  function isDownState(state: string): state is DownState {
    return (DOWN_STATES as readonly string[]).includes(state);
  }

  const upstreamApi = describeUpstream(settings.url);
  const enableCall = new EnableCall({
    streamUrl: settings.url,
    apiKey: settings.apiKey,
    tokens,
    clock,
    redirectHosts: settings.redirectHosts,
    ...(deps.userAgent ? { userAgent: deps.userAgent } : {}),
    ...(deps.enableFetch ? { fetch: deps.enableFetch } : {}),
  });

  async function enableStream(): Promise<EnableOutcome> {
    const outcome = await enableCall.send();
    if (!outcome.ok) {
      const problem = clean(outcome.problem);
      log.warn('enable call refused', { code: problem.code, status: problem.status, source: problem.source });
      return { ...outcome, problem };
    }
    const accepted = { ...outcome.accepted, answer: redactor.text(scrub(outcome.accepted.answer)) };
    log.info('enable call accepted', { url: accepted.enableUrl, status: accepted.upstreamStatus });
    return { ok: true, accepted };
  }

  const alertRules: AlertRuleSettings = { ...DEFAULT_ALERT_RULES, ...deps.alerts?.rules };
  const alertBook = new AlertBook(deps.alerts?.store ?? new MemoryAlertStore(), () => clock.now());
  const delivery = new AlertDelivery({
    webhookUrls: deps.alerts?.webhookUrls ?? [],
    ...(deps.alerts?.alertmanagerUrl ? { alertmanagerUrl: deps.alerts.alertmanagerUrl } : {}),
    clock,
    ...(deps.alerts?.fetch ? { fetch: deps.alerts.fetch } : {}),
    log,
    labels: deps.alerts?.labels ?? {},
    ...(deps.alerts?.dashboardUrl ? { generatorUrl: deps.alerts.dashboardUrl } : {}),
  });
  const rules = new AlertRules(
    alertRules,
    alertBook,
    startedAt,
    (alert) => {
      hub.broadcast('alert', alert);
      // With several relays each evaluates the rules on the same views; one sends.
      if (cluster?.deliversAlerts() ?? true) delivery.notify(alert);
      const fields = { rule: alert.rule, severity: alert.severity, shard: alert.shard, id: alert.id };
      if (alert.state === 'firing') log.warn('alert firing', fields);
      else log.info('alert resolved', fields);
    },
    // Alert texts are the relay's own, built from cleaned Problems: cleaned once more all the same.
    (text) => redactor.text(scrub(text)),
  );
  // What was firing when the relay stopped goes on firing (no new notification); Alertmanager,
  // which forgets an alert not re-sent in time, hears of it again.
  delivery.restore(alertBook.firingAlerts().map((k) => k.alert));
  let lastLag: { at: number; p95: number } | undefined;

  function anyShardIn(...states: string[]): boolean {
    return shardViews().some((s) => states.includes(s.state));
  }

  // Feed batches as the first hit of each arms them; stats and top lists once a second, on the second.
  let statsTimer: TimerHandle | undefined;
  /** Runs a timer's work; what it throws is logged, never the end of the process or of the timer. */
  const guarded = (name: string, work: () => void) => {
    try {
      work();
    } catch (error) {
      log.warn(`${name} failed`, { error: error instanceof Error ? error.message : String(error) });
    }
  };
  function flushFeed() {
    feedTimer = undefined;
    lastFeedAt = clock.now();
    guarded('feed batch', () => {
      const batch = feed.take(lastFeedAt);
      if (batch) hub.publishBatch(batch);
    });
  }
  /** This relay's own upstream counts at the last share (several relays), and those of others added since. */
  const sharedCounts: UpstreamCounts = { duplicates: 0, malformed: 0, bytes: 0 };
  const remoteTotals: UpstreamCounts = { duplicates: 0, malformed: 0, bytes: 0 };
  function shareCounts(): void {
    const c = ingest.counters;
    const own = {
      duplicates: c.duplicates - remoteTotals.duplicates,
      malformed: c.malformed - remoteTotals.malformed,
      bytes: c.bytes - remoteTotals.bytes,
    };
    const delta = {
      duplicates: own.duplicates - sharedCounts.duplicates,
      malformed: own.malformed - sharedCounts.malformed,
      bytes: own.bytes - sharedCounts.bytes,
    };
    Object.assign(sharedCounts, own);
    if (delta.duplicates || delta.malformed || delta.bytes) cluster?.counts(delta);
  }
  let lastSecond = -1;
  let lastCounters = '';
  const tickStats = () => {
    const now = clock.now();
    const second = Math.floor(now / 1000) - 1;
    // A timer that fires a hair early must not close the same second twice.
    if (second > lastSecond) {
      lastSecond = second;
      guarded('malformed quiet', () => {
        for (const [shard, last] of malformedActive) {
          if (now - last.at < MALFORMED_QUIET_MS) continue;
          malformedActive.delete(shard);
          update(last.id, { resolvedAt: now });
        }
      });
      if (cluster) guarded('shared counts', shareCounts);
      guarded('stats tick', () => {
        const closed = stats.tick(
          second,
          hub.clients,
          anyShardIn('streaming'),
          shardViews()
            .map((s) => s.state)
            .filter(isDownState)
            .reduce<DownState | undefined>(worstDown, undefined),
        );
        hub.broadcast('stats', closed);
        guarded('history', () => history.second(closed));
        if (closed.lagP95Ms !== undefined) lastLag = { at: now, p95: closed.lagP95Ms };
        guarded('alert rules', () =>
          rules.evaluate({
            now,
            shards: shardViews().map((s) => (s.problem ? { ...s, problem: clean(s.problem) } : s)),
            ...(closed.lagP95Ms === undefined ? {} : { lagP95Ms: closed.lagP95Ms }),
            adobeHits: (fromS, toS) => stats.adobe.hitsBetween(fromS, toS),
          }),
        );
        hub.broadcast('top', { windows: stats.topAll(now) });
        stats.adobe.tick();
        const traffic = stats.adobe.flush();
        if (traffic) hub.broadcast('traffic', traffic);
        if (traffic) guarded('history', () => history.traffic(traffic));
      });
      guarded('counters', () => {
        const shards = shardViews();
        const live: CountersEvent = {
          at: now,
          counters: liveCounters(),
          clients: hub.clients,
          shardHits: shards.map((s) => s.hits),
        };
        // Only when a figure moved: a quiet relay sends no event for nothing.
        const key = JSON.stringify([live.counters, live.clients, live.shardHits]);
        if (key !== lastCounters) {
          lastCounters = key;
          hub.broadcast('counters', live);
        }
      });
    }
    statsTimer = clock.setTimeout(tickStats, 1000 - (clock.now() % 1000) + 5);
  };
  statsTimer = clock.setTimeout(tickStats, 1000 - (clock.now() % 1000) + 5);

  // What an earlier run left active and a new run re-checks by itself: malformed records (the
  // stream is read anew) and failing writes (this run reports them again if they still fail).
  resolveWhere((p) => p.code === 'malformed_record' || p.code === 'state_not_persisted');
  for (const details of deps.unreadable ?? []) {
    report(makeProblem({ code: 'state_unreadable', source: 'relay', at: clock.now(), details }));
  }
  upstream.start();

  function status(): Status {
    const lastEnable = enableCall.last();
    return {
      relay: {
        version: settings.version,
        startedAt,
        mode: settings.mode,
        cooldownS: settings.cooldownS,
        now: clock.now(),
        runId,
        feedMaxHitsPerS: settings.feedMaxHitsPerS,
        stallTimeoutS: settings.stallTimeoutS,
        passwordProtected: settings.passwordProtected,
        ...(cluster
          ? {
              cluster: {
                relayId: cluster.relayId,
                holds: upstream.supervisors.filter((s) => s.holds()).map((s) => s.shard),
              },
            }
          : {}),
      },
      upstream: {
        url: settings.publicUrl,
        maxConnections: settings.maxConnections,
        ...upstreamApi,
        ...(lastEnable ? { enableCall: lastEnable } : {}),
      },
      shards: shardViews().map((s) => (s.problem ? { ...s, problem: clean(s.problem) } : s)),
      clients: hub.clients,
      counters: liveCounters(),
    };
  }

  /** The status's totals; the `counters` event sends them again each second they move. */
  function liveCounters(): Status['counters'] {
    return { ...ingest.counters, reconnects: upstream.reconnects(), activeProblems: problemLog.active().length };
  }

  return {
    settings,
    runId,
    hub,
    upstream,
    status,
    problems: (limit) => problemLog.list(limit),
    catalog: catalogDocument,
    seriesJson: (windowS) => history.seriesJson(windowS, stats.series(LIVE_WINDOW_S)),
    history: (windowS, points, endS) => history.query(windowS, points, endS),
    traffic: (windowS) => stats.adobe.series(windowS),
    top: (windowS) => (windowS > LIVE_WINDOW_S ? history.top(windowS) : stats.top(windowS, clock.now())),
    hit: (hitId) => ingest.hit(hitId),
    reconnect: (shard) => upstream.reconnect(shard),
    enableStream,
    subscribe: (sink, lastEventId) => hub.subscribe(sink, lastEventId, (id) => ({ status: status(), lastEventId: id })),
    report,
    reportNotPersisted: (what, details) => {
      const problem = report(
        makeProblem({
          code: 'state_not_persisted',
          source: 'relay',
          at: clock.now(),
          message: `The relay could not write ${what} to DATA_DIR; it keeps streaming from memory, but a restart would not remember it.`,
          details,
        }),
      );
      notPersistedActive.set(what, problem.id);
    },
    reportPersisted: (what) => {
      const id = notPersistedActive.get(what);
      notPersistedActive.delete(what);
      if (id) update(id, { resolvedAt: clock.now() });
    },
    acknowledge: (id) => update(id, { acknowledgedAt: clock.now() }),
    malformedSamples: () => ingest.malformedSamples(),
    alerts: () => alertBook.list(),
    alertRules,
    alertDelivery: () => ({ ...delivery.counters, pending: delivery.pending }),
    recentLagP95Ms: () => (lastLag && clock.now() - lastLag.at < 60_000 ? lastLag.p95 : undefined),
    counters: () => ({
      ...ingest.counters,
      reconnects: upstream.reconnects(),
      evicted: hub.evicted,
      tokenRequests: tokens.requests,
    }),
    fromStream: (shard, seq, hitId, bytes, arrivedAt) => {
      ingest.fromStream(shard, seq, hitId, bytes, arrivedAt);
    },
    backfill: (entries) => {
      // Into the replay buffer (and the hit store) as batches, before any browser is served.
      let batch: FeedBatch | undefined;
      for (const entry of entries) {
        const summary = ingest.fromStream(entry.shard, entry.seq, entry.hitId, entry.hit, entry.arrivedAt, true);
        if (!summary) continue;
        batch ??= { hits: [], firstSeq: entry.seq, lastSeq: entry.seq };
        batch.hits.push(summary);
        batch.lastSeq = entry.seq;
        if (batch.hits.length >= BACKFILL_BATCH) {
          hub.publishBatch(batch);
          batch = undefined;
        }
      }
      if (batch) hub.publishBatch(batch);
    },
    published: (shard, seqs, arrivedAt) => {
      for (let i = 0; i < seqs.length; i++) {
        if (seqs[i]! > 0) upstream.noteHit(shard, arrivedAt[i]!);
        else ingest.duplicate();
      }
    },
    remoteProblem: (problem) => {
      const known = problemLog.find(problem.id);
      if (!known) {
        problemLog.add(problem);
        hub.broadcast('problem', problem);
        return;
      }
      const patch: ProblemUpdate = {};
      if (problem.resolvedAt !== undefined) patch.resolvedAt = problem.resolvedAt;
      if (problem.acknowledgedAt !== undefined) patch.acknowledgedAt = problem.acknowledgedAt;
      if (patch.resolvedAt !== undefined || patch.acknowledgedAt !== undefined) update(problem.id, patch, true);
    },
    remoteCounts: (counts) => {
      ingest.remote(counts);
      remoteTotals.duplicates += counts.duplicates;
      remoteTotals.malformed += counts.malformed;
      remoteTotals.bytes += counts.bytes;
    },
    deliverFiringAlerts: () => delivery.restore(alertBook.firingAlerts().map((k) => k.alert)),
    remoteShard: (shard, view) => {
      const before = remote.get(shard);
      if (view) remote.set(shard, view);
      else remote.delete(shard);
      const supervisor = upstream.supervisors[shard];
      if (!supervisor || supervisor.holds()) return;
      // The holder shares its view each second (its hit count moves): only a change of state is news.
      const shown = view ?? supervisor.snapshot();
      if (stateKey(shown) !== stateKey(before ?? supervisor.snapshot())) shardChanged(shown);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clock.clearTimeout(feedTimer);
      clock.clearTimeout(statsTimer);
      delivery.stop();
      await upstream.stop();
      hub.close();
      // What the last second changed on Adobe's clock, then everything the store still buffers.
      guarded('history', () => {
        const traffic = stats.adobe.flush();
        if (traffic) history.traffic(traffic);
        history.flush();
      });
    },
  };
}
