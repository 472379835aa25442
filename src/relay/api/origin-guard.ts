import type { Problem } from '../../contract/index.ts';
import { relayProblem } from './problem-reply.ts';

/**
 * The `Origin` rule (docs/api.md, "Rules": "Browsers only from where they belong"). A page on any site
 * can make a browser send a "simple" cross-site request (a form, or `fetch` with `text/plain`)
 * without a preflight, and the browser attaches the cached Basic credentials or the cookie. Such
 * a request names its page in `Origin`; a state-changing one (any method but GET and HEAD) is
 * served only when that is the relay's own origin: the scheme and `Host` the request was
 * addressed to (`X-Forwarded-Proto`/`-Host` when they come from a trusted proxy, as Fastify's
 * `trustProxy` gives them). No `Origin` at all is served: browsers send one with every
 * cross-origin request and with every POST, so its absence means a program, not a page.
 */

export interface OriginRequest {
  method: string;
  /** The `Origin` header; `undefined` when absent. */
  origin: string | undefined;
  /** `request.protocol`: `http` or `https`. */
  protocol: string;
  /** `request.host`: `host[:port]`, possibly empty. */
  host: string;
}

/** `scheme://host[:port]` as a browser serializes it (default port left out), or undefined. */
export function ownOrigin(protocol: string, host: string): string | undefined {
  if (!host || !/^https?$/.test(protocol) || /[/?#@\\\s]/.test(host)) return undefined;
  try {
    return new URL(`${protocol}://${host}`).origin;
  } catch {
    return undefined;
  }
}

/** The Problem to answer, or `undefined` to go on. */
export function originProblem(request: OriginRequest): Problem | undefined {
  if (request.method === 'GET' || request.method === 'HEAD' || request.origin === undefined) return undefined;
  // Exact comparison with the browser's serialization: `null` (sandboxed pages, some redirects),
  // another scheme, host or port, or anything with a path is not the relay's own.
  if (request.origin === ownOrigin(request.protocol, request.host)) return undefined;
  return relayProblem({
    code: 'origin_not_allowed',
    message: `A ${request.method} from another web origin was refused: only the relay's own pages may change its state.`,
    details: `Origin: ${request.origin.slice(0, 100)}`,
  });
}
