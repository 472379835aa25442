import { normaliseErrorBody } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';

/**
 * Access tokens for Livestream: OAuth client credentials against Adobe IMS, or a static token.
 * One request in flight at a time (concurrent callers share it); the token is refreshed before
 * `expires_in` runs out and after a 401. The secret and the tokens never leave this module
 * except as the `Authorization` header of an upstream request.
 */

export interface TokenFailure {
  code: string;
  /** HTTP status the token endpoint answered, when it answered. */
  status?: number;
  action: string;
  message: string;
  details?: string;
  requestId?: string;
  /** True when retrying cannot help (the client is refused): the shard goes `failed`. */
  permanent: boolean;
}

export class TokenError extends Error {
  constructor(readonly failure: TokenFailure) {
    super(failure.message);
    this.name = 'TokenError';
  }
}

export interface TokenManagerOptions {
  tokenUrl: string;
  clientId?: string;
  clientSecret?: string;
  scopes?: string;
  /** A static bearer token used instead of the grant (cannot be refreshed). */
  staticToken?: string;
  clock: Clock;
  fetch?: typeof fetch;
  /** Refresh this long before expiry (default 5 min, at most a tenth of the lifetime). */
  refreshMarginMs?: number;
  timeoutMs?: number;
}

interface Held {
  token: string;
  expiresAt: number;
}

export class TokenManager {
  private held: Held | undefined;
  private inFlight: Promise<string> | undefined;
  private readonly fetchImpl: typeof fetch;
  /** Token requests made (for tests and metrics). */
  requests = 0;

  constructor(private readonly options: TokenManagerOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    if (options.staticToken) this.held = { token: options.staticToken, expiresAt: Number.POSITIVE_INFINITY };
  }

  /** Whether a refused token can be replaced by a fresh one. */
  get canRefresh(): boolean {
    return !this.options.staticToken && !!this.options.clientId && !!this.options.clientSecret;
  }

  /** A token valid for a while yet; fetches one (once, shared) when needed. */
  async get(): Promise<string> {
    const held = this.held;
    if (held && this.options.clock.now() < held.expiresAt) return held.token;
    if (!this.canRefresh) {
      if (held) return held.token;
      throw new TokenError({
        code: 'invalid_client_id',
        action: 'application-registration',
        message:
          'No Adobe credentials are configured (ADOBE_CLIENT_ID with ADOBE_CLIENT_SECRET, or ADOBE_ACCESS_TOKEN).',
        permanent: true,
      });
    }
    this.inFlight ??= this.request().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** The upstream refused `token` (401): the next `get()` fetches a fresh one. */
  invalidate(token: string): void {
    if (this.held?.token === token && this.canRefresh) this.held = undefined;
  }

  private async request(): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scopes, clock } = this.options;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId!,
      client_secret: clientSecret!,
    });
    if (scopes) form.set('scope', scopes);
    this.requests++;
    let response: Response;
    try {
      response = await this.fetchImpl(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new TokenError({
        code: timeout ? 'network_connection_timeout' : 'network_connection_failure',
        action: 'retry-after',
        message: timeout ? 'The token endpoint did not answer in time.' : 'The token endpoint could not be reached.',
        details: describeNetworkError(error),
        permanent: false,
      });
    }
    const requestId = response.headers.get('x-request-id') ?? response.headers.get('adobe-request-id') ?? undefined;
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      const body = normaliseErrorBody(text, response.headers.get('content-type') ?? '');
      const refused = response.status === 400 || response.status === 401 || response.status === 403;
      const failure: TokenFailure = refused
        ? {
            code: 'invalid_client_id',
            status: response.status,
            action: 'application-registration',
            message: 'The token endpoint refused the client credentials.',
            details: body.details,
            permanent: true,
          }
        : {
            code: 'access_token_unavailable',
            status: response.status,
            action: 'retry-after',
            message: `The token endpoint failed (${response.status}).`,
            details: body.details,
            permanent: false,
          };
      if (requestId) failure.requestId = requestId;
      throw new TokenError(failure);
    }
    let parsed: { access_token?: unknown; expires_in?: unknown } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // handled below
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') {
      throw new TokenError({
        code: 'access_token_unavailable',
        status: response.status,
        action: 'retry-after',
        message: 'The token endpoint answered without an access token.',
        permanent: false,
      });
    }
    const lifetimeMs = Math.max(1, Number(parsed.expires_in) || 3600) * 1000;
    const margin = Math.min(this.options.refreshMarginMs ?? 5 * 60_000, lifetimeMs / 10);
    this.held = { token: parsed.access_token, expiresAt: clock.now() + lifetimeMs - margin };
    return parsed.access_token;
  }
}

/** A network error's cause in words (never a URL with credentials: fetch errors carry none). */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return [error.message, cause?.code, cause?.message].filter(Boolean).join(': ');
}
