import type { ServerResponse } from 'node:http';
import type { BodyKind } from './fault-plan.ts';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  424: 'Failed Dependency',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};

/** The Livestream-style error code for a status, as the simulator's JSON error bodies carry it. */
export function errorCodeFor(status: number): string {
  const codes: Record<number, string> = {
    400: 'invalid_parameter_value',
    401: 'access_token_expired',
    403: 'stream_access_denied',
    404: 'stream_not_found',
    405: 'invalid_http_method',
    406: 'invalid_header',
    409: 'too_many_connections',
    424: 'stream_not_enabled',
    429: 'too_many_requests',
    500: 'internal_error',
    503: 'service_unavailable',
    505: 'http_version_not_supported',
  };
  return codes[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}

/**
 * What the 503 of a stream in migration says (Adobe's current troubleshooting page gives 503 that
 * meaning; older pages said no hits were flowing). The control API's `migration` fault sends it.
 */
export const MIGRATION_DESCRIPTION =
  'The stream is in migration and cannot be served right now; try again in a few minutes.';

export interface ErrorAnswer {
  status: number;
  error: string;
  description: string;
  body?: BodyKind;
  /** Sent as is instead of the `body` kind's, with `contentType` if given. */
  text?: string;
  contentType?: string;
  retryAfter?: number | string;
  headers?: Record<string, string>;
}

/** A realistic load-balancer error page, the kind a client must never show raw. */
export function errorPage(status: number): string {
  const title = `${status} ${REASONS[status] ?? 'Error'}`;
  return [
    '<!DOCTYPE html>',
    '<html>',
    `<head><title>${title}</title></head>`,
    '<body>',
    `<center><h1>${title}</h1></center>`,
    '<hr><center>nginx</center>',
    '</body>',
    '</html>',
    '',
  ].join('\r\n');
}

/** Answers with `{error, error_description}` JSON (default), an HTML page, or an empty body. */
export function sendError(res: ServerResponse, answer: ErrorAnswer): void {
  const kind = answer.text !== undefined ? 'text' : (answer.body ?? 'json');
  const body =
    answer.text !== undefined
      ? answer.text
      : kind === 'json'
        ? JSON.stringify({ error: answer.error, error_description: answer.description })
        : kind === 'html'
          ? errorPage(answer.status)
          : '';
  const headers: Record<string, string | number> = { ...answer.headers, 'Content-Length': Buffer.byteLength(body) };
  if (kind === 'json') headers['Content-Type'] = 'application/json';
  if (kind === 'html') headers['Content-Type'] = 'text/html; charset=utf-8';
  if (answer.contentType) headers['Content-Type'] = answer.contentType;
  if (answer.retryAfter !== undefined) headers['Retry-After'] = String(answer.retryAfter);
  headers['x-request-id'] = `sim-${Math.random().toString(16).slice(2, 14)}`;
  res.writeHead(answer.status, REASONS[answer.status], headers);
  res.end(body);
}

/** A JSON answer of the control API or the token endpoint. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
