import type { Problem } from '../../contract/index.ts';
import { isLoopbackHost } from '../config.ts';
import { relayProblem } from './problem-reply.ts';

/**
 * The `Host` rule (docs/api.md, "Rules": "Browsers only from where they belong"). A relay without
 * DASHBOARD_PASSWORD listens on loopback only, but a page on any site can resolve its own name
 * to 127.0.0.1 (DNS rebinding) and then read the relay as same-origin; the one thing it cannot
 * forge is the `Host` its browser sends, which names the attacker's domain. So, without a
 * password, only a loopback `Host` is served; with one, any `Host` is (the password protects).
 *
 * The `Host` checked is the one on the wire, never `X-Forwarded-Host`: a rebound page is
 * same-origin and may set that header itself, and it reaches the relay directly, not through
 * the operator's proxy. `/healthz` is not checked (its constant `ok` tells a page nothing, and
 * probes name the machine as they like); the caller leaves it out.
 */

/** `host[:port]` whose host is `localhost`, an address in 127.0.0.0/8 or `[::1]` (any case). */
export function isLoopbackHostHeader(value: string): boolean {
  const match = /^(\[[0-9a-f:.]+\]|[^\s:/?#@[\]\\]+)(?::\d{1,5})?$/i.exec(value);
  return !!match && isLoopbackHost(match[1]!.toLowerCase());
}

export interface HostedRequest {
  /** The `Host` header as received; `undefined` when absent. */
  host: string | undefined;
  /** `1.0`, `1.1`, ... */
  httpVersion: string;
}

/**
 * The Problem to answer, or `undefined` to go on:
 * - HTTP/1.1 without `Host`: 400 `bad_request` whatever the configuration (RFC 9112 §3.2; Node
 *   answered it with an empty body, so the relay takes the check over to answer a Problem);
 * - HTTP/1.0 without `Host`: served, since no browser sends such a request (so it cannot be a
 *   rebound page) and any local program able to send one could as well send `Host: localhost`;
 * - without a password, any other `Host` that is not loopback: 421 `host_not_allowed`.
 */
export function hostProblem(request: HostedRequest, passwordSet: boolean): Problem | undefined {
  if (request.host === undefined) {
    if (request.httpVersion === '1.0') return undefined;
    return relayProblem({
      code: 'bad_request',
      message: 'An HTTP/1.1 request must carry a Host header.',
    });
  }
  if (passwordSet || isLoopbackHostHeader(request.host)) return undefined;
  return relayProblem({
    code: 'host_not_allowed',
    message:
      'This relay has no DASHBOARD_PASSWORD, so it answers only requests addressed to a loopback name (localhost, 127.0.0.1, [::1]). Open it by one of those, or set DASHBOARD_PASSWORD.',
    details: `Host: ${request.host.slice(0, 100)}`,
  });
}
