import { type ProblemInit } from '../../contract/index.ts';
import { enableUrlFor } from './api-version.ts';
import { MAX_DETAILS_LENGTH, normaliseErrorBody, truncate } from './error-body.ts';
import type { ConnectFailure, HttpRefusal } from './connector.ts';

/**
 * The outcome table of the contract (docs/api.md, "Error catalogue"): what an upstream answer means, as a Problem and as what
 * the supervisor does next.
 */

/** What the supervisor does after an outcome. */
export type Next =
  /** Wait the cooldown (at least), then connect again. */
  | { kind: 'wait'; reason: 'lost' | 'refused' | 'too-many-connections' | 'retry-after' | 'token'; minWaitS?: number }
  /** What waiting cannot fix: no automatic retry. */
  | { kind: 'fail' }
  /** 401: refresh the token and connect again at once (once). */
  | { kind: 'refresh-token' };

export interface Verdict {
  problem: Omit<ProblemInit, 'source'> & { source?: string };
  next: Next;
}

interface Row {
  code: string;
  action: string;
  next: Next;
  message: string;
}

const WAIT_REFUSED: Next = { kind: 'wait', reason: 'refused' };

const STATUS_TABLE: Record<number, Row> = {
  400: {
    code: 'invalid_parameter_value',
    action: 'configuration',
    next: { kind: 'fail' },
    message: 'Livestream rejected a parameter of the stream URL (400).',
  },
  401: {
    code: 'access_token_expired',
    action: 'application-registration',
    next: { kind: 'refresh-token' },
    message: 'Livestream refused the access token (401).',
  },
  403: {
    code: 'stream_access_denied',
    action: 'configuration',
    next: { kind: 'fail' },
    message: 'Livestream denied access to this stream (403).',
  },
  404: {
    code: 'stream_not_found',
    action: 'configuration',
    next: { kind: 'fail' },
    message: 'Livestream has no stream at this URL, or it was disabled after 90 days unused (404).',
  },
  405: {
    code: 'invalid_http_method',
    action: 'configuration',
    next: { kind: 'fail' },
    message: 'Livestream refused the HTTP method (405).',
  },
  406: {
    code: 'invalid_header',
    action: 'configuration',
    next: { kind: 'fail' },
    message: 'Livestream refused the request headers: compression must be accepted (406).',
  },
  409: {
    code: 'too_many_connections',
    action: 'retry-after',
    next: { kind: 'wait', reason: 'too-many-connections' },
    message: 'Livestream refused the connection: more clients than maxConnections, or mismatched values (409).',
  },
  424: {
    code: 'stream_not_enabled',
    action: 'configuration',
    next: { kind: 'fail' },
    message: 'The stream is not enabled for this API version (424).',
  },
  429: {
    code: 'too_many_requests',
    action: 'retry-after',
    next: { kind: 'wait', reason: 'retry-after' },
    message: 'Livestream asks to slow down (429).',
  },
  500: {
    code: 'internal_error',
    action: 'retry-after',
    next: WAIT_REFUSED,
    message: 'Livestream failed with an internal error (500).',
  },
  503: {
    code: 'service_unavailable',
    action: 'retry-after',
    next: { kind: 'wait', reason: 'retry-after' },
    message: 'Livestream is unavailable: no hits flowing, a migration, or connect/disconnect churn (503).',
  },
  505: {
    code: 'http_version_not_supported',
    action: 'configuration',
    next: { kind: 'fail' },
    message: 'Livestream accepts HTTP/1.1 only (505).',
  },
};

/** An HTTP answer other than 200 and the redirects. */
export function verdictForRefusal(refusal: HttpRefusal): Verdict {
  const row = STATUS_TABLE[refusal.status] ?? {
    code: 'unexpected_upstream_status',
    action: 'retry-after',
    next: WAIT_REFUSED,
    message: `Livestream answered an unexpected status (${refusal.status}).`,
  };
  const body = normaliseErrorBody(refusal.body, refusal.contentType);
  let next = row.next;
  if (next.kind === 'wait' && refusal.retryAfterS !== undefined) next = { ...next, minWaitS: refusal.retryAfterS };
  // An Adobe error object is the error object (the seed's rule: its action is its own): its code
  // and action are shown as sent. What the relay does next still follows the status alone.
  const adobe = body.kind === 'adobe';
  const problem: Verdict['problem'] = {
    code: adobe && body.code ? body.code : row.code,
    status: refusal.status,
    action: adobe && body.action ? body.action : row.action,
    message: row.message,
    details: body.details,
  };
  if (refusal.status === 424) problem.details = notEnabledDetails(refusal, body.kind === 'empty' ? '' : body.details);
  if (body.trace) problem.trace = body.trace;
  if (body.helpUrl) problem.helpUrl = body.helpUrl;
  if (refusal.requestId) problem.requestId = refusal.requestId;
  return { problem, next };
}

/**
 * A 424's details: the enable call for this very stream (on the configured host, before any
 * redirect), how long it takes, and Customer Care; what Livestream said comes first, cut so the
 * whole stays within the 500 characters of `details`.
 */
export function notEnabledDetails(refusal: Pick<HttpRefusal, 'url' | 'requestedUrl'>, said: string): string {
  const enableUrl = enableUrlFor(refusal.requestedUrl ?? refusal.url);
  const call = enableUrl
    ? `Enable it for the latest API version: GET ${enableUrl} with the stream's Authorization and x-api-key headers (the dashboard's "Send enable call" does it), then reconnect about 15 minutes later; or ask Adobe Customer Care.`
    : "Enable it for the latest API version: GET https://livestream.adobe.net/api/2/enable/<endpoint name> with the stream's Authorization and x-api-key headers, then reconnect about 15 minutes later; or ask Adobe Customer Care.";
  if (!said) return call;
  const room = MAX_DETAILS_LENGTH - call.length - 1;
  return room >= 20 ? `${truncate(said, room)}\n${call}` : truncate(call);
}

/** No HTTP answer at all: refused, reset, DNS, TLS, timeouts, redirect loops, untrusted redirects. */
export function verdictForFailure(failure: ConnectFailure): Verdict {
  const rows: Record<ConnectFailure['code'], { action: string; message: string; next: Next }> = {
    network_connection_failure: {
      action: 'retry-after',
      message: 'Could not connect to Livestream (refused, reset, DNS or TLS).',
      next: WAIT_REFUSED,
    },
    network_connection_timeout: {
      action: 'retry-after',
      message: 'Livestream did not answer in time.',
      next: WAIT_REFUSED,
    },
    too_many_redirects: {
      action: 'configuration',
      message: 'Livestream redirected too many times.',
      next: WAIT_REFUSED,
    },
    untrusted_redirect: {
      action: 'configuration',
      message:
        "Livestream redirected somewhere the credentials may not follow; the redirect was not followed. Check LIVESTREAM_URL, or list the host in LIVESTREAM_REDIRECT_HOSTS if it is really Adobe's.",
      next: { kind: 'fail' },
    },
  };
  const row = rows[failure.code];
  return {
    problem: { code: failure.code, action: row.action, message: row.message, details: failure.message },
    next: row.next,
  };
}

/** The stream was open and then ended. */
export function verdictForLoss(cause: 'ended' | 'broken' | 'stalled' | 'encoding', details: string): Verdict {
  const rows = {
    ended: { code: 'connection_lost', action: 'retry-after', message: 'The stream ended.' },
    broken: { code: 'connection_lost', action: 'retry-after', message: 'The stream broke while it was being read.' },
    stalled: {
      code: 'stream_stalled',
      action: 'retry-after',
      message: 'No byte arrived for the stall timeout; the connection was closed.',
    },
    encoding: {
      code: 'invalid_content_encoding',
      action: 'configuration',
      message: 'The stream body was not compressed as announced.',
    },
  } as const;
  const row = rows[cause];
  return { problem: { ...row, details }, next: { kind: 'wait', reason: 'lost' } };
}

/**
 * Connections that open and die at once, again and again, are their own problem: a wait alone
 * does not fix them. After `UNSTABLE_AFTER` connections in a row each lost (`connection_lost`)
 * within `UNSTABLE_WITHIN_MS` of opening, the loss is reported as `connection_unstable`.
 */
export const UNSTABLE_AFTER = 3;
/** A connection lost sooner than this after it opened counts towards `connection_unstable`. */
export const UNSTABLE_WITHIN_MS = 60_000;

/**
 * The loss that completes a run of short-lived connections, named as such: the same wait as any
 * loss (the cooldown, never less), with what it usually means for Livestream and what to check.
 */
export function verdictForUnstable(lost: Verdict, run: { connections: number; withinMs: number }): Verdict {
  const within = `${Math.round(run.withinMs / 1000)} s`;
  const details = [
    lost.problem.details ? `This time: ${lost.problem.details}.` : undefined,
    'Usually: another application or relay reads the same stream (each consumer gets part of the hits and connections are cut; Adobe advises one consumer), clients send different maxConnections values, a proxy, load balancer or firewall cuts long-lived HTTP responses, or Livestream cuts a reader it finds too slow.',
    'Check: that nothing else uses this stream and its credentials, that every client sends the same LIVESTREAM_MAX_CONNECTIONS, that the network path allows responses that stay open for hours, and that the relay has CPU to spare.',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    problem: {
      code: 'connection_unstable',
      action: 'retry-after',
      message: `The last ${run.connections} connections to Livestream were each lost within ${within} of opening. Something keeps cutting the stream; reconnecting alone is unlikely to fix it. The relay still waits the cooldown between attempts.`,
      details,
    },
    next: lost.next,
  };
}
