/**
 * Writes `docs/api.md`, the project's copy of the contract, from the zod schemas and the
 * catalogue in `src/contract/`. `npm run docs:api` regenerates it; a unit test fails when the
 * committed file no longer matches the schemas.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  AlertSchema,
  AlertWebhookBodySchema,
  AlertsResponseSchema,
  ApiErrorSchema,
  CATALOG_ACTIONS,
  CATALOG_CODES,
  CODE_ALIASES,
  CatalogSchema,
  HISTORY_TOP_KEYS,
  HistoryBucketSchema,
  HistoryResponseSchema,
  HitSummarySchema,
  ProblemSchema,
  ProblemsResponseSchema,
  SSE_EVENTS,
  ShardSchema,
  StatsResponseSchema,
  TrafficSchema,
  TrafficSecondSchema,
  OutageSchema,
  StatsSchema,
  StatusSchema,
  TOP_WINDOWS_S,
  TopSchema,
  UpstreamEnableResponseSchema,
} from '../src/contract/index.ts';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  format?: string;
  minimum?: number;
  maximum?: number;
}

function typeOf(schema: JsonSchema): string {
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' \\| ');
  if (schema.type === 'array') return `${schema.items ? typeOf(schema.items) : 'unknown'}[]`;
  if (schema.type === 'object') return 'object';
  const base = Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? 'any');
  const bounds =
    schema.minimum !== undefined && schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER
      ? ` ${schema.minimum}–${schema.maximum}`
      : schema.minimum !== undefined
        ? ` ≥ ${schema.minimum}`
        : '';
  return `${base}${schema.format ? ` (${schema.format})` : ''}${bounds}`;
}

function fields(schema: z.ZodType, prefix = ''): string[] {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema;
  return rows(json, prefix);
}

function rows(json: JsonSchema, prefix: string): string[] {
  const out: string[] = [];
  const required = new Set(json.required ?? []);
  for (const [name, property] of Object.entries(json.properties ?? {})) {
    const path = `${prefix}${name}`;
    out.push(`| \`${path}\` | ${typeOf(property)} | ${required.has(name) ? 'yes' : ''} |`);
    if (property.type === 'object' && property.properties) out.push(...rows(property, `${path}.`));
    if (property.type === 'array' && property.items?.type === 'object' && property.items.properties) {
      out.push(...rows(property.items, `${path}[].`));
    }
  }
  return out;
}

function table(title: string, schema: z.ZodType, note = ''): string {
  return [`### ${title}`, note, '', '| field | type | required |', '| --- | --- | --- |', ...fields(schema), '']
    .filter((l, i) => l !== '' || i > 1)
    .join('\n');
}

const ROUTES: [string, string][] = [
  [
    'GET /api/stream',
    'SSE (below). `Last-Event-ID` header or `?lastEventId=` replays what the buffer holds (at least the last 60 s and the last 10,000 hits); always 200 `text/event-stream`; `HEAD` answers the headers alone and registers no subscriber',
  ],
  ['GET /api/status', '`Status`'],
  [
    'GET /api/problems?limit=N',
    '`{ problems: Problem[] }` newest first, 1 ≤ N ≤ 1000 (default 100); survives a restart',
  ],
  [
    'GET /api/catalog',
    "`Catalog`: every code of the seed table, the Livestream codes and the relay's own, with the 8 actions and their guidance",
  ],
  [
    'GET /api/stats?window=S',
    '`{ series: Stats[] }` one per second, oldest first, 1 ≤ S ≤ 86400 (default 300): the last hour from memory, older seconds from the history in `DATA_DIR` (they survive a restart)',
  ],
  [
    'GET /api/history?window=S&points=N&end=T',
    '`HistoryResponse`: the S seconds (60 ≤ S ≤ 2592000, default 86400) before epoch second T (default now) summed into at most N buckets (10 ≤ N ≤ 2000, default 720) of a round step: seconds while the span is within the 25 h of kept seconds and the step under a minute, else minutes; each bucket keeps its lowest and highest second, so spikes and gaps survive; buckets without data are left out; with the outages of the span (extension)',
  ],
  [
    'GET /api/traffic?window=S',
    "`Traffic`: the site's hits per second on Adobe's clock (`receivedTimeGMT`), the last S seconds with zeros, 1 ≤ S ≤ 3600 (default 300), and the outages of the last hour with what came back (extension)",
  ],
  [
    `GET /api/top?window=S`,
    `\`Top\` for S ∈ {${TOP_WINDOWS_S.join(', ')}} seconds, live; or 3600 < S ≤ 2592000 from the history's per-minute and per-hour top lists (${HISTORY_TOP_KEYS} and ${2 * HISTORY_TOP_KEYS} keys a list kept; without the shard spread and report suites) (extension)`,
  ],
  [
    'GET /api/hits/:hitId',
    'the full hit as received (redacted; unknown fields kept; 64-bit ids as bare numbers with exact digits), or 404 `hit_not_found`',
  ],
  [
    'POST /api/upstream/:shard/reconnect',
    "202 `{accepted, shard}`; until both the cooldown and the upstream's own `Retry-After` have passed, 429 + `Retry-After` + `too_many_requests`; 409 `shard_already_connected` while connecting/streaming; 404 `shard_not_found`",
  ],
  [
    'POST /api/upstream/enable',
    "sends Adobe's enable call for this stream (`GET <origin>/api/2/enable/<endpoint>` on the configured host, with `Authorization` and `x-api-key` when there is a client id; 10 s, answer read up to 16 KiB), only when asked: never by the relay on its own. 202 `UpstreamEnableResponse` (what Adobe said, no secret); 429 `too_many_requests` + `Retry-After` within a minute of the last call or while one is under way; 502 (504 on a timeout) with the Problem when Adobe refused it (its `status` is Adobe's) or could not be reached; 409 `invalid_service_configuration` when `LIVESTREAM_URL` names no endpoint; needs the password when one is set (extension)",
  ],
  [
    'POST /api/problems/:id/ack',
    '200 `{ problem }` with `acknowledgedAt` (the first acknowledgement stands; the Problem is sent again as a `problem` event); 404 `problem_not_found` for an id the log does not hold; needs the password when one is set',
  ],
  [
    'POST /api/login',
    '`{password}` (JSON or form) → 204 (form: 303 to /) + HttpOnly session cookie; 401 `dashboard_authentication_required` (extension)',
  ],
  ['POST /api/logout', '204, session closed (extension)'],
  [
    'GET /api/alerts',
    '`AlertsResponse`: the firing alerts first (newest first), then those resolved in the last 24 h (newest first); survives a restart (docs/alerts.md)',
  ],
  ['GET /metrics', 'Prometheus text format'],
  ['GET /healthz', '200 `ok` while the process serves (never needs the password)'],
];

const CONFIGURATION: [name: string, fallback: string, meaning: string][] = [
  ['PORT` / `HOST', '`8080` / `127.0.0.1`', 'where the relay listens (SPA, API, SSE on one origin)'],
  [
    'LIVESTREAM_URL',
    'unset',
    'full stream URL: `/api/1/stream/<name>` (2024 payload), `/api/2/stream/<name>` or `/api/1/stream/<name>?beta=true` (2026 payload; its own query parameters are kept); unset: the embedded simulator starts and is used',
  ],
  ['LIVESTREAM_MAX_CONNECTIONS', '`1`', 'shards, 1–8; above 1 every connection sends `maxConnections=N`'],
  [
    'LIVESTREAM_RESET`, `LIVESTREAM_SMOOTHING`, `LIVESTREAM_SMOOTHING_BUCKET_SIZE',
    'unset',
    'passed through as `reset` (first attempt only), `smoothing`, `smoothingBucketSize`',
  ],
  [
    'ADOBE_CLIENT_ID`, `ADOBE_CLIENT_SECRET`, `ADOBE_SCOPES',
    'unset',
    "OAuth client-credentials grant; with the id and secret, `ADOBE_SCOPES` is required (the scopes of the Developer Console project's OAuth Server-to-Server credential, comma-separated, sent as `scope`); the client id is also sent as `x-api-key`",
  ],
  ['ADOBE_IMS_TOKEN_URL', '`https://ims-na1.adobelogin.com/ims/token/v3`', 'token endpoint'],
  [
    'ADOBE_ACCESS_TOKEN',
    'unset',
    'a static bearer token instead of the grant; works without a client id (then no `x-api-key` is sent)',
  ],
  ['RECONNECT_COOLDOWN_S', '`60`', 'minimum wait after a loss or a refused connect (below 60: warned)'],
  [
    'RECONNECT_MAX_WAIT_S',
    '`3600`',
    'no wait is longer (a huge `Retry-After`, the 409 growth); never below the cooldown',
  ],
  ['STALL_TIMEOUT_S', '`90`', 'no byte on the socket for this long: the connection is treated as lost'],
  ['DATA_DIR', '`./.data`', 'per-shard last loss and planned attempt, the error log'],
  ['REDACT_FIELDS', '`ip`', 'hit fields masked before anything reaches a browser (`ip` keeps three octets)'],
  ['DASHBOARD_PASSWORD', 'unset', 'guards every route but `/healthz`; required when `HOST` is not loopback'],
  ['FEED_MAX_HITS_PER_S', '`1000`', 'above this rate the browser feed is sampled'],
  [
    'ALERT_WEBHOOK_URLS',
    'unset',
    'comma-separated URLs that receive every alert as it fires and resolves (`AlertWebhookBody`, JSON POST; retried with backoff for 6 minutes; never echoed in logs: they are secrets)',
  ],
  [
    'ALERTMANAGER_URL',
    'unset',
    'a Prometheus Alertmanager (`http(s)://[user:password@]host:port`): alerts are pushed to its v2 API and re-sent every minute while firing',
  ],
  ['ALERT_DOWN_AFTER_S', '`120`', '`stream_down` fires when no shard has been streaming for this long'],
  ['ALERT_LAG_P95_S` / `ALERT_LAG_FOR_S', '`300` / `300`', '`lag_high`: the p95 lag above this, for this long'],
  [
    'ALERT_TRAFFIC_DROP_RATIO` / `ALERT_TRAFFIC_WINDOW_S',
    '`0.3` / `300`',
    "`traffic_drop`: the window's traffic on Adobe's clock below this share of the trailing hour (0 < ratio < 1; 60–1800 s)",
  ],
  ['LIVESTREAM_REDIRECT_HOSTS', 'unset', 'hosts a redirect may lead to with the credentials'],
  ['TRUST_PROXY', 'unset', 'proxies whose `X-Forwarded-*` headers are believed (addresses or CIDR ranges, or `true`)'],
  [
    'REDIS_URL',
    'unset',
    'unset: one relay, everything in process. Set (`redis://` or `rediss://`, its password never shown): the relays sharing it hold each shard\'s upstream connection at most once between them (a lease with a fencing token), publish every distinct hit to `PUBLISH_STREAM_KEY`, and serve browsers from it (see "Several relays" below)',
  ],
  [
    'PUBLISH_STREAM_KEY',
    '`livestream:hits`',
    'the Redis stream the hits are published to; every key of the cluster starts with it',
  ],
  [
    'REDIS_LEASE_TTL_S',
    '`10`',
    "with `REDIS_URL`: the lease's TTL; renewed every quarter of it; a holder that cannot renew closes its connection within three quarters of it",
  ],
  [
    'SIM_REQUIRE_ENABLE`, `SIM_ENABLE_DELAY_S',
    'unset, `0`',
    'embedded simulator only: `1` makes it answer 424 on `/api/2/stream` until the enable call, taking effect after the delay (Adobe: about 900 s), and the relay read `/api/2/stream`',
  ],
];

const RULES: string[] = [
  '**Redirect trust.** Credentials follow a redirect only to the configured host, a host under its parent domain (`livestream.adobe.net` → `*.adobe.net`; an IP address trusts only itself), or a host of `LIVESTREAM_REDIRECT_HOSTS`; never from `https` to `http`. Anything else, an unparseable `Location` included, is `untrusted_redirect` and the shard is `failed`.',
  '**Stall clock.** "No byte" means no byte on the socket: compressed bytes count, so a gzip keep-alive keeps a quiet stream alive. A quiet stream is not an error.',
  '**`reset`** goes with the first connection attempt after the relay starts, never with a reconnect.',
  '**Waits.** Every wait lies within `[cooldown, RECONNECT_MAX_WAIT_S]`; a capped wait says so in its Problem.',
  '**State that cannot be written or read.** An unwritable `DATA_DIR` never stops the relay (`state_not_persisted`); an unreadable state file counts as a loss at its modification time (`state_unreadable`).',
  '**Bounded memory.** The hits kept are bounded in bytes; summary and top-list strings are cut to 1,024 characters; upstream and token answers are read up to a bound; a record above 256 KiB is malformed.',
  "**Error objects have a life.** A Problem of a shard's connection (source `upstream` or `token`) is resolved when that shard is next `streaming` (one of an earlier run too: the log survives a restart): it gets `resolvedAt` and is sent again as a `problem` event with the same `id`. `malformed_record` is resolved by the next one of its shard, or after a minute without one; `state_not_persisted` when writes of that store work again; an earlier run's ones of either are resolved at start (the new run reports them again if they still hold); `state_unreadable` when a shard streams. Acknowledging sets `acknowledgedAt` and resolves nothing. The dashboard lists active ones first.",
  "**Several relays (`REDIS_URL`).** At most one upstream connection per shard between all relays at any moment; a relay that takes a shard over connects no sooner than the cooldown after the previous holder's last moment with an open connection (kept in Redis beside the lease; none there, as after a Redis restart without its data: a full cooldown from now); a relay that loses its lease closes its connection at once and publishes nothing it read after. Each distinct hit is appended once to `PUBLISH_STREAM_KEY` with the id `<seq>-0` and the fields `hit` (the line exactly as received), `hitId`, `shard`, `arrivedAt` and `relay` (extension: the relay that read it), trimmed to about 100,000 entries; event ids `<epoch>.<seq>` are the same on every relay, so `Last-Event-ID` resumes on any of them. `reset` goes only with a shard's first connection of a new cluster.",
  '**Browsers only from where they belong.** Without a password, a non-loopback `Host` gets 421 `host_not_allowed`; a state-changing request from another `Origin` gets 403 `origin_not_allowed`; repeated wrong passwords get 429 `too_many_requests` with `Retry-After` (`/healthz` always answers).',
];

export function renderApiDoc(): string {
  const codes = CATALOG_CODES.map((entry) => {
    const aliases = Object.entries(CODE_ALIASES)
      .filter(([, target]) => target === entry.code)
      .map(([alias]) => ` (alias: \`${alias}\`)`)
      .join('');
    return `| \`${entry.code}\`${aliases} | ${entry.status} | ${entry.action} | ${entry.origin} | ${entry.description} |`;
  });
  const actions = CATALOG_ACTIONS.map((a) => `| \`${a.action}\` | ${a.description} | ${a.guidance} |`);
  const events = Object.entries(SSE_EVENTS).map(([name, schema]) => table(`event \`${name}\``, schema));
  return [
    '# Relay API',
    '',
    '<!-- Generated by `npm run docs:api` from src/contract/ (zod schemas and catalogue). Do not edit by hand: a test compares this file with the schemas. -->',
    '',
    "The contract is `../shared/CONTRACT.md`; this is the project's copy, generated from the schemas the relay, the SPA and the MSW mocks all import. Every object accepts extra fields (forward compatible); `code`, `action`, `status`, `source` and shard `state` accept values not listed here.",
    '',
    '## Configuration',
    '',
    'Environment variables, validated once at start: a bad value stops start-up with one line naming the variable, before any network request.',
    '',
    '| variable | default | meaning |',
    '| --- | --- | --- |',
    ...CONFIGURATION.map(([name, fallback, meaning]) => `| \`${name}\` | ${fallback} | ${meaning} |`),
    '',
    '## Rules that hold whatever the configuration',
    '',
    ...RULES.map((rule) => `- ${rule}`),
    '',
    '## Routes',
    '',
    '| route | answer |',
    '| --- | --- |',
    ...ROUTES.map(([route, answer]) => `| \`${route}\` | ${answer} |`),
    '',
    'Every error answers `{ "error": Problem }` with the matching status and the security headers (those decided before routing too: 400, 408, 414, 431), and `Retry-After` when `action` is `retry-after`. A route called with a method it does not take answers 405 `invalid_http_method` with `Allow`.',
    '',
    "Every request but `/healthz` passes, in order: without `DASHBOARD_PASSWORD`, a `Host` that is not a loopback name or address gets 421 `host_not_allowed` (DNS rebinding); a request other than GET/HEAD whose `Origin` is present and not the relay's own gets 403 `origin_not_allowed`; with a password, ten wrong ones from one address within 5 minutes lock its password attempts out with 429 `too_many_requests` and `Retry-After` (60 s, doubling up to 15 min).",
    '',
    '## Shapes',
    '',
    table('Problem', ProblemSchema),
    table('ApiError', ApiErrorSchema, 'The body of every error answer.'),
    table('Shard', ShardSchema),
    table('Status', StatusSchema),
    table('Stats', StatsSchema),
    table('StatsResponse', StatsResponseSchema),
    table('Top', TopSchema),
    table('Traffic', TrafficSchema),
    table('TrafficSecond', TrafficSecondSchema),
    table('Outage', OutageSchema),
    table('HistoryResponse', HistoryResponseSchema),
    table(
      'HistoryBucket',
      HistoryBucketSchema,
      'A span of seconds summed (a minute of the store, a bucket of `/api/history`).',
    ),
    table('ProblemsResponse', ProblemsResponseSchema),
    table('UpstreamEnableResponse', UpstreamEnableResponseSchema, 'The 202 answer of `POST /api/upstream/enable`.'),
    table('HitSummary', HitSummarySchema),
    table('Alert', AlertSchema),
    table('AlertsResponse', AlertsResponseSchema),
    table('AlertWebhookBody', AlertWebhookBodySchema, 'What each URL of `ALERT_WEBHOOK_URLS` receives (JSON POST).'),
    table('Catalog', CatalogSchema),
    '## SSE events on `/api/stream`',
    '',
    'Named events (never `error`). `hello` always first. `hits` events carry an id `<runId>.<seq of the last hit>`; a `reset` says the requested id cannot be replayed. A comment line at least every 15 s; `retry:` with jitter.',
    '',
    ...events,
    '## Error catalogue',
    '',
    '| code | status | default action | origin | description |',
    '| --- | --- | --- | --- | --- |',
    ...codes,
    '',
    '## Actions',
    '',
    '| action | meaning | what the operator should do |',
    '| --- | --- | --- |',
    ...actions,
    '',
  ].join('\n');
}

export const API_DOC_PATH = fileURLToPath(new URL('../docs/api.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(API_DOC_PATH, renderApiDoc());
  console.log(`wrote ${API_DOC_PATH}`);
}
