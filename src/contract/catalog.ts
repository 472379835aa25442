import { z } from 'zod';
import type { KnownAction } from './problem.ts';

/**
 * The error catalogue: every code of Adobe's enhanced error-code table (docs/seeds/004_*.txt,
 * with its HTTP status and default action), the Livestream codes of docs/api.md ("Error catalogue"), and the
 * relay's own API codes. A Problem's `action` is its own; the catalogue only supplies defaults
 * and the words an operator reads.
 */

export const CatalogCodeSchema = z.looseObject({
  code: z.string().min(1),
  status: z.int().min(100).max(599),
  action: z.string().min(1),
  description: z.string().min(1),
  /** What to do about this code in particular, when the action's guidance is not precise enough. */
  guidance: z.string().min(1).optional(),
});
export type CatalogCode = z.output<typeof CatalogCodeSchema>;

export const CatalogActionSchema = z.looseObject({
  action: z.string().min(1),
  description: z.string().min(1),
  guidance: z.string().min(1),
});
export type CatalogAction = z.output<typeof CatalogActionSchema>;

/** `GET /api/catalog`. */
export const CatalogSchema = z.looseObject({
  codes: z.array(CatalogCodeSchema),
  actions: z.array(CatalogActionSchema),
});
export type Catalog = z.output<typeof CatalogSchema>;

/** Where a catalogue code comes from. */
export type CodeOrigin = 'seed' | 'livestream' | 'relay';

export interface CatalogEntry extends CatalogCode {
  action: KnownAction;
  origin: CodeOrigin;
}

type Row = readonly [code: string, status: number, action: KnownAction, description: string];

/** Adobe's table, in the seed's order (47 codes). */
const SEED_ROWS: readonly Row[] = [
  [
    'authorization_denied_by_mvpd',
    403,
    'configuration',
    'The identity provider answered "deny" when asked to authorize the resource.',
  ],
  [
    'authorization_denied_by_parent_control',
    403,
    'configuration',
    'The identity provider denied the resource because of parental-control settings.',
  ],
  [
    'authorization_denied_by_programmer',
    403,
    'configuration',
    'A degradation rule set by the content owner denies access for this user.',
  ],
  ['bad_request', 400, 'configuration', 'The request is invalid or malformed; compare it with the API documentation.'],
  [
    'individualization_service_unavailable',
    503,
    'configuration',
    'The device individualization service could not be reached.',
  ],
  ['internal_error', 500, 'configuration', 'The service failed with an internal error.'],
  [
    'invalid_client_time',
    400,
    'configuration',
    "The client's clock, date or time zone is wrong, which breaks token and session checks.",
  ],
  [
    'invalid_custom_scheme',
    400,
    'configuration',
    'The custom URL scheme used at application registration is not recognised.',
  ],
  [
    'invalid_domain',
    400,
    'configuration',
    'The request comes from a domain that is not on the allow-list for this requestor.',
  ],
  [
    'invalid_header',
    400,
    'configuration',
    'A request header is missing a valid value or is not accepted (for Livestream: compression not accepted, 406).',
  ],
  [
    'invalid_http_method',
    405,
    'configuration',
    'The HTTP method is not supported by this endpoint (Livestream accepts GET only).',
  ],
  [
    'invalid_parameter_value',
    400,
    'configuration',
    'A parameter, or its value, is invalid (for Livestream: maxConnections, reset, smoothing).',
  ],
  [
    'invalid_resource_value',
    400,
    'configuration',
    'The resource named in the request is invalid, badly encoded or too large.',
  ],
  ['invalid_registration_code', 404, 'configuration', 'The registration code has expired or is no longer valid.'],
  [
    'invalid_service_configuration',
    500,
    'configuration',
    'The service is configured incorrectly for this integration.',
  ],
  [
    'missing_authentication_header',
    400,
    'configuration',
    'The request lacks the authentication header this API requires.',
  ],
  [
    'missing_resource_mapping',
    400,
    'configuration',
    'No mapping exists for the requested resource; support must add it.',
  ],
  [
    'preauthorization_denied_by_mvpd',
    403,
    'configuration',
    'The identity provider answered "deny" to a pre-authorization request.',
  ],
  [
    'preauthorization_denied_by_programmer',
    403,
    'configuration',
    'A degradation rule set by the content owner denies pre-authorization for this user.',
  ],
  ['registration_code_service_unavailable', 503, 'configuration', 'The registration code service is unavailable.'],
  [
    'service_unavailable',
    503,
    'configuration',
    'The service is unavailable (for Livestream: no hits flowing, a migration, or connect/disconnect churn).',
  ],
  [
    'access_token_unavailable',
    400,
    'configuration',
    'An access token could not be obtained because of an unexpected error.',
  ],
  ['unsupported_client_version', 400, 'configuration', 'The client or SDK version is too old and no longer supported.'],
  [
    'network_required_ssl',
    403,
    'configuration',
    'The partner service requires an SSL/TLS connection that could not be established.',
  ],
  [
    'too_many_resources',
    403,
    'configuration',
    'Too many resources were requested at once; the limits must be raised by support.',
  ],
  ['unknown_programmer', 400, 'configuration', 'The programmer or service provider is not registered.'],
  ['unknown_application', 400, 'configuration', 'The application is not registered.'],
  [
    'unknown_integration',
    400,
    'configuration',
    'No integration exists between this programmer and the identity provider.',
  ],
  [
    'unknown_software_statement',
    401,
    'configuration',
    'The software statement behind the access token is not recognised.',
  ],
  [
    'access_token_expired',
    401,
    'application-registration',
    'The access token has expired or was refused; a fresh token is needed.',
  ],
  [
    'invalid_access_token_signature',
    401,
    'application-registration',
    'The access token signature is no longer valid; a fresh token is needed.',
  ],
  [
    'invalid_client_id',
    401,
    'application-registration',
    'The client id (API key) is not recognised, or its credentials were refused.',
  ],
  [
    'authentication_session_expired',
    410,
    'authentication',
    'The authentication session has expired; the user must sign in again.',
  ],
  [
    'authentication_session_missing',
    401,
    'authentication',
    'No authentication session could be found for this request; the user must sign in.',
  ],
  [
    'authentication_session_invalidated',
    401,
    'authentication',
    'The identity provider invalidated the session; the user must sign in again.',
  ],
  [
    'authentication_session_issuer_mismatch',
    400,
    'authentication',
    'The session was issued by a different identity provider than the one now asked; sign in with the right one.',
  ],
  [
    'authorization_denied_by_hba_policies',
    403,
    'authentication',
    'Home-based authentication no longer applies because the device left home; sign in again.',
  ],
  [
    'identity_not_supported_by_mvpd',
    403,
    'authentication',
    "The identity provider does not recognise the user's identity.",
  ],
  [
    'authorization_expired',
    410,
    'authorization',
    'The previous authorization for the resource has expired; a new one is needed.',
  ],
  ['authorization_not_found', 404, 'authorization', 'No authorization exists for the resource; one must be obtained.'],
  [
    'device_identifier_mismatch',
    403,
    'authorization',
    'The device id does not match the one the authorization was issued to.',
  ],
  [
    'network_connection_failure',
    403,
    'retry',
    'A network connection to the service failed (refused, reset, DNS or TLS).',
  ],
  ['network_connection_timeout', 403, 'retry', 'The connection or its response headers timed out.'],
  ['network_received_error', 403, 'retry', 'An error occurred while reading the response of the service.'],
  ['maximum_execution_time_exceeded', 403, 'retry', 'The request did not complete within the maximum allowed time.'],
  ['too_many_requests', 429, 'retry-after', 'Too many requests in a given interval; retry after the period given.'],
  [
    'user_rate_limit_exceeded',
    429,
    'retry-after',
    'One user sent too many requests in a given interval; retry after the period given.',
  ],
];

/** Livestream outcomes (docs/api.md, "Error catalogue") that the seed's table does not hold. */
const LIVESTREAM_ROWS: readonly Row[] = [
  [
    'stream_access_denied',
    403,
    'configuration',
    'Livestream refused access to this stream (403): the credentials lack the Livestream product profile or the report suite.',
  ],
  [
    'stream_not_found',
    404,
    'configuration',
    'No stream at this URL (404): a wrong endpoint name, or a stream disabled after 90 days without use.',
  ],
  ['http_version_not_supported', 505, 'configuration', 'Livestream accepts HTTP/1.1 only (505).'],
  [
    'too_many_connections',
    409,
    'retry-after',
    'More clients than maxConnections are connected, or they sent different maxConnections values (409).',
  ],
  ['stream_not_enabled', 424, 'configuration', 'The stream is not enabled for this API version (424).'],
  ['connection_lost', 502, 'retry-after', 'The stream ended or broke while it was being read.'],
  [
    'connection_unstable',
    502,
    'retry-after',
    'Connections keep dying right after they open (3 in a row, each lost within 60 s): usually another consumer on the same stream or a different maxConnections value, a proxy cutting long-lived responses, or Livestream cutting a reader it finds too slow. The relay still waits the cooldown; check those before it tries again.',
  ],
  [
    'stream_stalled',
    504,
    'retry-after',
    'No byte at all arrived for the stall timeout; the connection was closed as lost.',
  ],
  [
    'invalid_content_encoding',
    502,
    'configuration',
    'The body was not gzip or deflate as its Content-Encoding announced.',
  ],
  [
    'malformed_record',
    502,
    'none',
    'A record in the stream could not be read (not JSON, or longer than 256 KiB); it was counted and sampled, streaming went on.',
  ],
  [
    'too_many_redirects',
    502,
    'configuration',
    'The stream URL redirected more than 5 times, or redirected without a Location.',
  ],
  [
    'unexpected_upstream_status',
    502,
    'retry-after',
    'Livestream answered with a status the protocol does not describe.',
  ],
  [
    'untrusted_redirect',
    502,
    'configuration',
    'Livestream redirected to a host the credentials may not follow (another domain, https → http, or a non-HTTP scheme), or to a Location that cannot be read; the redirect was not followed.',
  ],
];

/** Codes of the relay's own HTTP API. */
const RELAY_ROWS: readonly Row[] = [
  [
    'dashboard_authentication_required',
    401,
    'authentication',
    'This relay is protected by DASHBOARD_PASSWORD and the request did not carry it.',
  ],
  [
    'hit_not_found',
    404,
    'none',
    'No hit with this id is held in memory (it is older than the buffer, or never arrived).',
  ],
  ['shard_not_found', 404, 'none', 'No shard with this number exists in this relay.'],
  ['route_not_found', 404, 'none', 'The relay has no such route.'],
  [
    'shard_already_connected',
    409,
    'none',
    'The shard is connecting or streaming; a manual reconnect would only churn the connection.',
  ],
  [
    'state_not_persisted',
    507,
    'configuration',
    'The relay could not write its state to DATA_DIR (disk full, read-only, permissions); it keeps streaming from memory, but a restart would not remember the last loss.',
  ],
  [
    'state_unreadable',
    500,
    'configuration',
    "A state file in DATA_DIR could not be read at start; the relay assumed the worst (a loss at the file's last change) and waited the full cooldown.",
  ],
  [
    'host_not_allowed',
    421,
    'configuration',
    'The request named a Host that is not a loopback address, and no DASHBOARD_PASSWORD is set (protection against DNS rebinding).',
  ],
  [
    'origin_not_allowed',
    403,
    'configuration',
    'A state-changing request came from another web origin (a cross-site form or script); it was refused.',
  ],
  [
    'problem_not_found',
    404,
    'none',
    'No error object with this id is in the error log (it is older than what the log keeps).',
  ],
];

/**
 * Names that reach us spelled otherwise: `authorization_denied_by_parent_controls` is how some
 * services write the seed's `authorization_denied_by_parent_control`.
 */
export const CODE_ALIASES: Readonly<Record<string, string>> = {
  authorization_denied_by_parent_controls: 'authorization_denied_by_parent_control',
};

function entries(rows: readonly Row[], origin: CodeOrigin): CatalogEntry[] {
  return rows.map(([code, status, action, description]) => ({ code, status, action, description, origin }));
}

/** Every code we know, seed first. */
export const CATALOG_CODES: readonly CatalogEntry[] = [
  ...entries(SEED_ROWS, 'seed'),
  ...entries(LIVESTREAM_ROWS, 'livestream'),
  ...entries(RELAY_ROWS, 'relay'),
];

const BY_CODE = new Map(CATALOG_CODES.map((entry) => [entry.code, entry]));

/** Looks a code up, following aliases. `undefined` for a code we do not know yet. */
export function lookupCode(code: string): CatalogEntry | undefined {
  return BY_CODE.get(CODE_ALIASES[code] ?? code);
}

/**
 * What each action means (the seed's words, in ours) and what the person watching the
 * dashboard should do now. Written for an ops engineer running the relay.
 */
export const CATALOG_ACTIONS: readonly (CatalogAction & { action: KnownAction })[] = [
  {
    action: 'none',
    description: 'No predefined action fixes this; it may point to an unexpected call or odd data.',
    guidance:
      'Nothing to do right now: the relay has recorded it and keeps going. If it repeats, copy the support bundle and open a case with Adobe Customer Care with the trace and request id.',
  },
  {
    action: 'configuration',
    description: 'A configuration change is needed, in Adobe or in the relay settings.',
    guidance:
      'Check the relay settings (LIVESTREAM_URL and its endpoint name, LIVESTREAM_* parameters) and the stream in Adobe (enabled, not disabled after 90 days unused). Fix them, restart the relay or press Reconnect; it will not retry on its own. If the settings look right, send the support bundle to Adobe Customer Care.',
  },
  {
    action: 'application-registration',
    description: 'The application must register again: its credentials or token are not accepted.',
    guidance:
      "Check the relay's Adobe credentials in the Developer Console: the OAuth Server-to-Server credential still exists, its secret was not rotated, and ADOBE_CLIENT_ID / ADOBE_CLIENT_SECRET (or ADOBE_ACCESS_TOKEN) match it. Update them and restart the relay.",
  },
  {
    action: 'authentication',
    description: 'The user must sign in, or sign in again.',
    guidance:
      'Sign in again: reload the dashboard and enter the dashboard password, or renew the session the error names. Nothing is wrong with the stream itself.',
  },
  {
    action: 'authorization',
    description: 'The user must obtain an authorization for this specific resource.',
    guidance:
      "The credentials are valid but lack access to this resource: ask an Adobe Admin Console administrator to grant the relay's technical account the Livestream product profile and the report suite, then press Reconnect.",
  },
  {
    action: 'degradation',
    description: 'Some form of degradation must be applied.',
    guidance:
      'Adobe is serving a degraded mode: data may be partial or delayed. Nothing to fix on the relay; tell the people who rely on the dashboard and watch for recovery.',
  },
  {
    action: 'retry',
    description: 'Retrying the request may fix the problem.',
    guidance:
      'A passing failure. The relay retries by itself after the cooldown; do nothing unless it keeps coming back, then check the network path to Adobe and copy the support bundle.',
  },
  {
    action: 'retry-after',
    description: 'Retrying after the period given (Retry-After, in seconds) may fix the problem.',
    guidance:
      'Wait: the relay reconnects by itself when the countdown ends (never sooner than the cooldown). Do not restart the relay or force a reconnect, that is the churn Adobe refuses with 409 and 503.',
  },
];

/** Guidance shown for an action we do not know yet (the set may grow). */
export const UNKNOWN_ACTION: CatalogAction = {
  action: 'unknown',
  description: 'An action this dashboard does not know yet.',
  guidance:
    'This dashboard does not know this action yet. Read the message and details, and if the stream is affected, copy the support bundle for Adobe Customer Care.',
};

const BY_ACTION = new Map<string, CatalogAction>(CATALOG_ACTIONS.map((entry) => [entry.action, entry]));

/** The action's description and guidance; generic words for an unknown action. */
export function lookupAction(action: string): CatalogAction & { known: boolean } {
  const found = BY_ACTION.get(action);
  return found ? { ...found, known: true } : { ...UNKNOWN_ACTION, action, known: false };
}

/**
 * What to do about a code, where the action's guidance would send the operator the wrong way:
 * the reason the catalogue gives for the code decides the fix. Shown for an active error object
 * only (a resolved one needs nothing).
 */
export const CODE_GUIDANCE: Readonly<Record<string, string>> = {
  access_token_expired:
    'The relay fetches a fresh token and reconnects at once by itself; when the shard streams again this is resolved. If the shard failed (the fresh token was refused too, or a static ADOBE_ACCESS_TOKEN expired), the credentials are no longer accepted: in the Adobe Developer Console check that the OAuth Server-to-Server credential still exists and its secret was not rotated, and that ADOBE_CLIENT_ID / ADOBE_CLIENT_SECRET (or ADOBE_ACCESS_TOKEN) match it; update them and restart the relay.',
  stream_access_denied:
    "The credentials work but are not allowed to read this stream. In the Adobe Admin Console, add the API client's technical account (the Developer Console project's OAuth Server-to-Server credential) to an Adobe Analytics product profile that includes Livestream and this stream's report suite, then press Reconnect (no restart needed). If it already has them, check that LIVESTREAM_URL names a stream of this organization, and send the support bundle to Adobe Customer Care.",
  connection_unstable:
    'The relay keeps retrying after the cooldown, but the cause is outside it. Check that no other application, relay or script reads this stream with these credentials (Adobe advises one consumer); that every client sends the same maxConnections (LIVESTREAM_MAX_CONNECTIONS); that no proxy, load balancer or firewall limits how long a response may stay open (the stream lasts hours); that the relay has CPU and bandwidth to spare. Restarting the relay only adds churn. If none applies, send the support bundle to Adobe Customer Care.',
  stream_not_enabled:
    'The stream is not enabled for the latest Livestream API version (it reads /api/2/stream/<endpoint name> or /api/1/stream/<endpoint name>?beta=true). Enable it once with an authenticated call, sending the same Authorization and x-api-key headers as the stream: GET https://livestream.adobe.net/api/2/enable/<endpoint name> (the dashboard\'s "Send enable call" button sends it for you). The switch takes about 15 minutes; then press Reconnect. If the call is refused or the stream stays refused, ask Adobe Customer Care to enable it.',
};

/**
 * The guidance for a code with this action: the code's own when it has one, else the action's
 * (`known` is false for an action the catalogue does not hold and a code without its own: generic words).
 */
export function lookupGuidance(code: string, action: string): { guidance: string; known: boolean } {
  const own = CODE_GUIDANCE[CODE_ALIASES[code] ?? code];
  if (own) return { guidance: own, known: true };
  const byAction = lookupAction(action);
  return { guidance: byAction.guidance, known: byAction.known };
}

/** The `GET /api/catalog` body. */
export function catalogDocument(): Catalog {
  const aliasesOf = (code: string) =>
    Object.entries(CODE_ALIASES)
      .filter(([, target]) => target === code)
      .map(([alias]) => alias);
  return {
    codes: CATALOG_CODES.map(({ code, status, action, description, origin }) => {
      const aliases = aliasesOf(code);
      const guidance = CODE_GUIDANCE[code];
      return {
        code,
        status,
        action,
        description,
        origin,
        ...(aliases.length ? { aliases } : {}),
        ...(guidance ? { guidance } : {}),
      };
    }),
    actions: CATALOG_ACTIONS.map(({ action, description, guidance }) => ({ action, description, guidance })),
  };
}
