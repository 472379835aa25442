import type { AlertRuleSettings } from '../core/alerts/rules.ts';

/**
 * Mock-mode scenarios, as data: the relay's settings, the site's traffic, and for every shard the
 * outcomes of its upstream connection attempts in order. The mock host (`mock-host.ts`) runs the
 * relay's own core (`src/core`) on a virtual clock and hands it a scripted connector
 * (`script-connector.ts`) that plays these outcomes, so the states, waits, countdowns and error
 * objects are the relay's decisions, not a hand-written timeline. Times are seconds; scripts run
 * on the host's clock, which starts `historyS` before the page opened.
 */

/** What one connection attempt of a shard meets. */
export type AttemptOutcome =
  /**
   * The stream opens and the site's records flow on it; with `forS`, that long after opening it
   * ends (`lost`, the default) or goes silent, not a byte more (`stall`: the relay's stall clock
   * decides).
   */
  | { kind: 'open'; forS?: number; end?: 'lost' | 'stall' }
  /**
   * Livestream answers this HTTP status instead of the stream, with this error body (read the way
   * the relay reads it: an Adobe error object's own `code` and `action` are shown as sent) and
   * `Retry-After`. What the relay does next follows from the status, as for the real thing.
   */
  | {
      kind: 'refuse';
      status: number;
      retryAfterS?: number;
      body?: string;
      contentType?: string;
    };

export interface Scenario {
  name: string;
  /** A few words for the scenario panel. */
  title: string;
  /** What an operator sees, in one sentence. */
  description: string;
  /** The relay's settings, as its environment would set them (the rest are the relay's defaults). */
  relay: {
    cooldownS: number;
    stallTimeoutS: number;
    feedMaxHitsPerS: number;
  };
  /** Site traffic: `rateAt(now, baseRate)` hits/s, never below `minRate`. */
  traffic: {
    baseRate: number;
    minRate?: number;
    /**
     * The site loses hits (a release broke its tracking): of the hits Adobe would have received
     * in these windows (its clock, `receivedTimeGMT`; seconds after the page opened, negative in
     * the history), only `share` reach it.
     */
    losses?: readonly { fromS: number; toS: number; share: number }[];
    /**
     * Adobe's processing falls behind: hits that reach the stream in these windows (seconds
     * after the page opened) were received `extraS` earlier than usual.
     */
    delays?: readonly { fromS: number; toS: number; extraS: number }[];
  };
  /** How long the relay had been running when the page opened (seconds): fills the charts. */
  historyS: number;
  /** One script per shard (`maxConnections` = their count); a script's last outcome repeats. */
  shards: readonly (readonly AttemptOutcome[])[];
  /** A record that is not JSON arrives on shard 0 every this many seconds while it streams. */
  malformedEveryS?: number;
  /** The browser's own link to the relay is down in these windows (seconds after the page opened). */
  linkOutages?: readonly { fromS: number; toS: number }[];
  /** The relay's alert rules (`ALERT_*` settings) where they differ from its defaults. */
  alertRules?: Partial<AlertRuleSettings>;
  /**
   * An operator presses "Reconnect now" (`POST /api/upstream/:shard/reconnect`) on this shard at
   * `atS` (seconds after the page opened); the relay answers it as it would the button.
   */
  operatorReconnects?: readonly { shard: number; atS: number }[];
}

const HISTORY_S = 600;
const RELAY_DEFAULTS = { cooldownS: 60, stallTimeoutS: 90, feedMaxHitsPerS: 1000 } as const;
const OPEN: AttemptOutcome = { kind: 'open' };
/**
 * `alerts`: the relay has run for more than an hour when the page opens, since `traffic_drop`
 * measures its baseline over the hour of Adobe's clock the relay keeps.
 */
const ALERTS_HISTORY_S = 3700;

/** A Livestream-style JSON error body (what `normaliseErrorBody` turns into `details`). */
function errorBody(error: string, description: string): string {
  return JSON.stringify({ error, error_description: description });
}

export const SCENARIOS = [
  {
    name: 'healthy',
    title: 'Healthy',
    description: 'One connection streaming for ten minutes; hits, charts and top lists move.',
    relay: RELAY_DEFAULTS,
    traffic: { baseRate: 20 },
    historyS: HISTORY_S,
    shards: [[OPEN]],
  },
  {
    name: 'churn-409',
    title: '409 churn',
    description:
      'Another client still holds the connection: every attempt is refused with 409 and the wait grows 60 → 120 → 240 s.',
    relay: RELAY_DEFAULTS,
    traffic: { baseRate: 20 },
    historyS: 0,
    shards: [
      [
        ...Array.from({ length: 3 }, () => ({
          kind: 'refuse' as const,
          status: 409,
          body: errorBody('too_many_connections', 'The number of open connections exceeds maxConnections.'),
          contentType: 'application/json',
        })),
        OPEN,
      ],
    ],
  },
  {
    name: 'no-traffic-503',
    title: '503, no traffic',
    description: 'No hits are flowing into the stream, so Livestream answers 503 to every connect.',
    relay: RELAY_DEFAULTS,
    traffic: { baseRate: 0 },
    historyS: 0,
    shards: [
      [
        {
          kind: 'refuse',
          status: 503,
          body: errorBody('service_unavailable', 'No data is currently flowing for this stream.'),
          contentType: 'application/json',
        },
      ],
    ],
  },
  {
    name: 'token-expired',
    title: 'Token expired',
    description:
      'A 401 is fixed at once with a fresh token; later a fresh token is refused too and the shard fails (application-registration).',
    relay: RELAY_DEFAULTS,
    traffic: { baseRate: 20 },
    historyS: 0,
    shards: [
      [
        { kind: 'refuse', status: 401, body: '', contentType: 'text/plain' },
        { kind: 'open', forS: 20, end: 'lost' },
        { kind: 'refuse', status: 401, body: '', contentType: 'text/plain' },
        { kind: 'refuse', status: 401, body: '', contentType: 'text/plain' },
      ],
    ],
  },
  {
    name: 'stall',
    title: 'Stall',
    description: 'The stream goes silent: stalled after half the stall timeout, lost at the timeout, then a 60 s wait.',
    relay: { ...RELAY_DEFAULTS, stallTimeoutS: 30 },
    traffic: { baseRate: 20 },
    historyS: HISTORY_S,
    shards: [[{ kind: 'open', forS: HISTORY_S + 10, end: 'stall' }, OPEN]],
  },
  {
    name: 'shards-partial',
    title: '4 shards, 1 waiting',
    description: 'maxConnections=4: three shards stream, shard 2 waits with its own item-level 503 error object.',
    relay: RELAY_DEFAULTS,
    traffic: { baseRate: 40 },
    historyS: HISTORY_S,
    shards: [
      [OPEN],
      [OPEN],
      [
        { kind: 'open', forS: HISTORY_S - 90, end: 'lost' },
        {
          kind: 'refuse',
          status: 503,
          retryAfterS: 120,
          body: '<html><body><h1>503 Service Unavailable</h1><p>Back-end server is at capacity</p></body></html>',
          contentType: 'text/html',
        },
      ],
      [OPEN],
    ],
  },
  {
    name: 'burst',
    title: 'Burst',
    description: 'Thousands of hits per second: the feed is sampled ("1 in N shown") while the charts count every hit.',
    relay: RELAY_DEFAULTS,
    traffic: { baseRate: 3000, minRate: 2500 },
    historyS: 0,
    shards: [[OPEN]],
  },
  {
    name: 'catch-up',
    title: 'Catch-up after an outage',
    description:
      "The stream was lost for a minute; on reconnect Livestream resent what was missed at full speed: arrivals spike, while the traffic on Adobe's clock fills the gap.",
    relay: RELAY_DEFAULTS,
    traffic: { baseRate: 50 },
    historyS: HISTORY_S,
    shards: [[{ kind: 'open', forS: HISTORY_S - 240, end: 'lost' }, OPEN]],
  },
  {
    name: 'unstable',
    title: 'Connections die young',
    description:
      'Every connection is cut seconds after it opens (another consumer on the stream, a proxy): from the third in a row the relay names it connection_unstable.',
    relay: RELAY_DEFAULTS,
    traffic: { baseRate: 20 },
    historyS: 200,
    shards: [[{ kind: 'open', forS: 5, end: 'lost' }]],
  },
  {
    name: 'relay-down',
    title: 'Relay link down',
    description:
      "The browser's own link to the relay fails for 30 s (stream errors, REST answers 503), retries, then recovers.",
    relay: RELAY_DEFAULTS,
    traffic: { baseRate: 20 },
    historyS: HISTORY_S,
    shards: [[OPEN]],
    linkOutages: [{ fromS: 6, toS: 36 }],
  },
  {
    name: 'unknown-action',
    title: 'Unknown action',
    description: 'An error object with a code and an action this dashboard has never seen: generic guidance.',
    relay: RELAY_DEFAULTS,
    traffic: { baseRate: 20 },
    historyS: 0,
    shards: [
      [
        {
          kind: 'refuse',
          status: 429,
          retryAfterS: 90,
          body: JSON.stringify({
            status: 429,
            code: 'stream_quota_exceeded',
            message: 'Stream quota exceeded for this organization.',
            action: 'contact-account-team',
          }),
          contentType: 'application/json',
        },
        OPEN,
      ],
    ],
  },
  {
    name: 'bad-records',
    title: 'Bad records',
    description:
      'Now and then a record is not JSON: counted, sampled, reported as malformed_record; streaming goes on.',
    relay: RELAY_DEFAULTS,
    traffic: { baseRate: 20 },
    historyS: HISTORY_S,
    shards: [[OPEN]],
    malformedEveryS: 4,
  },
  /*
   * The relay's own alert rules, with short durations (`ALERT_DOWN_AFTER_S=5`, `ALERT_LAG_FOR_S=5`,
   * `ALERT_TRAFFIC_WINDOW_S=30`), met by what happens upstream, in seconds after the page opened:
   * - traffic_drop: the site lost its hits Adobe received from -124 to -97 s; the rule judges
   *   Adobe's clock 120 s behind (hits still arriving), against the hour before: fires ~16 s,
   *   resolves ~44 s as the hole leaves its window;
   * - lag_high: hits reaching the stream from 13 to 19 s are 7 min late: fires ~18 s, resolves
   *   after a minute back in Adobe's band, ~79 s;
   * - shard_failed: shard 1, lost at -43 s, is refused with 403 when its cooldown ends: fires
   *   ~18 s; an operator reconnects it at 80 s (its cooldown after the refusal is over): resolves;
   * - stream_down: shard 0 is lost at 57 s while shard 1 is failed: fires ~61 s, resolves when
   *   shard 1 streams again (~81 s). It comes after traffic_drop resolved: a stream that is down
   *   stops the traffic rule from judging.
   */
  {
    name: 'alerts',
    title: 'Alerts fire and resolve',
    description:
      'A quiet start, then each alert rule fires (from about 15 s) and resolves (by about 80 s): traffic drops, hits arrive late, shard 1 fails and is reconnected by an operator, no shard streams.',
    relay: RELAY_DEFAULTS,
    traffic: {
      // A few hits a second (never below the rule's 1 hit/s baseline): the hour of history stays quick to play.
      baseRate: 2.5,
      minRate: 1.5,
      losses: [{ fromS: -124, toS: -97, share: 0 }],
      delays: [{ fromS: 13, toS: 19, extraS: 420 }],
    },
    historyS: ALERTS_HISTORY_S,
    shards: [
      [{ kind: 'open', forS: ALERTS_HISTORY_S + 56, end: 'lost' }, OPEN],
      [
        { kind: 'open', forS: ALERTS_HISTORY_S - 44, end: 'lost' },
        {
          kind: 'refuse',
          status: 403,
          body: errorBody('access_denied', 'These credentials may no longer read this stream.'),
          contentType: 'application/json',
        },
        OPEN,
      ],
    ],
    alertRules: { downAfterS: 5, lagForS: 5, trafficWindowS: 30 },
    operatorReconnects: [{ shard: 1, atS: 80 }],
  },
] as const satisfies readonly Scenario[];

export type ScenarioName = (typeof SCENARIOS)[number]['name'];

export const SCENARIO_NAMES: readonly ScenarioName[] = SCENARIOS.map((s) => s.name);

export const DEFAULT_SCENARIO: ScenarioName = 'healthy';

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

/** The scenario of that name; the default one for a missing or unknown name. */
export function scenarioByName(name: string | null | undefined): Scenario {
  return SCENARIOS.find((s) => s.name === name) ?? SCENARIOS.find((s) => s.name === DEFAULT_SCENARIO)!;
}
