import { normaliseErrorBody } from './error-body.ts';
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

/** A token answer is read up to this many bytes; a longer one is not a token answer. */
export const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;
/** IMS says how long a token lives (about 24 h); without `expires_in`, we assume an hour. */
const DEFAULT_LIFETIME_S = 3600;
/** A longer stated lifetime is not believed: a 401 would refresh it anyway, but why wait for one. */
const MAX_LIFETIME_S = 24 * 3600;
/** RFC 6750 `b64token`, as long as a header can reasonably be: anything else cannot be sent. */
const SENDABLE_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_TOKEN_LENGTH = 16 * 1024;
/** Tokens remembered for scrubbing after they were replaced. */
const PAST_TOKENS = 4;

export class TokenManager {
  private held: Held | undefined;
  private inFlight: Promise<string> | undefined;
  private readonly past: string[] = [];
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
    if (this.held?.token !== token || !this.canRefresh) return;
    this.retire(token);
    this.held = undefined;
  }

  /** The tokens this manager holds or recently held: text that must never leave the relay. */
  secrets(): string[] {
    return this.held ? [this.held.token, ...this.past] : [...this.past];
  }

  private hold(token: string, expiresAt: number): void {
    const previous = this.held?.token;
    if (previous && previous !== token) this.retire(previous);
    this.held = { token, expiresAt };
  }

  private retire(token: string): void {
    if (this.past.includes(token)) return;
    this.past.unshift(token);
    this.past.length = Math.min(this.past.length, PAST_TOKENS);
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
    const answer = await readBounded(response, MAX_TOKEN_ANSWER_BYTES);
    const contentType = response.headers.get('content-type') ?? '';
    if (!response.ok) {
      const body = normaliseErrorBody(answer.text, contentType);
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
    const garbage = (what: string): TokenError => {
      const failure: TokenFailure = {
        code: 'access_token_unavailable',
        // The endpoint answered, but not with a token: a bad gateway, whatever its status line said.
        status: 502,
        action: 'retry-after',
        message: 'The token endpoint answered without a usable access token.',
        // The shape only, never the content: the text may hold a token under another name.
        details: `It answered ${response.status}${contentType ? ` (${contentType.slice(0, 60)})` : ''} with ${what}.`,
        permanent: false,
      };
      if (requestId) failure.requestId = requestId;
      return new TokenError(failure);
    };
    if (answer.truncated) throw garbage(`a body longer than ${MAX_TOKEN_ANSWER_BYTES / 1024} KiB`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.text);
    } catch {
      throw garbage(answer.text.trim() === '' ? 'an empty body' : `${answer.bytes} bytes that are not JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw garbage('JSON that is not an object');
    }
    const fields = parsed as { access_token?: unknown; expires_in?: unknown };
    const token = fields.access_token;
    if (typeof token !== 'string' || token === '') {
      const names = Object.keys(fields)
        .slice(0, 10)
        .map((name) => (name.length > 40 ? `${name.slice(0, 40)}…` : name));
      throw garbage(`a JSON object without access_token (fields: ${names.join(', ') || 'none'})`);
    }
    if (token.length > MAX_TOKEN_LENGTH || !SENDABLE_TOKEN.test(token)) {
      throw garbage(`an access_token of ${token.length} characters that cannot be sent in a header`);
    }
    const lifetimeMs = lifetimeOf(fields.expires_in) * 1000;
    const margin = Math.min(this.options.refreshMarginMs ?? 5 * 60_000, lifetimeMs / 10);
    this.hold(token, clock.now() + lifetimeMs - margin);
    return token;
  }
}

/**
 * Seconds a token lives: `expires_in` as sent, capped at a day; absent, an hour; zero, negative
 * or unreadable, none at all (the token serves the attempt it was fetched for, then a new one is
 * fetched).
 */
function lifetimeOf(expiresIn: unknown): number {
  if (expiresIn === undefined || expiresIn === null) return DEFAULT_LIFETIME_S;
  const seconds = typeof expiresIn === 'string' && expiresIn.trim() !== '' ? Number(expiresIn) : expiresIn;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(seconds, MAX_LIFETIME_S);
}

/** The body as text, read up to `limit` bytes; the rest is not read at all. */
export async function readBounded(
  response: Response,
  limit: number,
): Promise<{ text: string; bytes: number; truncated: boolean }> {
  if (!response.body) return { text: '', bytes: 0, truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (bytes + value.byteLength > limit) {
        truncated = true;
        chunks.push(value.subarray(0, limit - bytes));
        bytes = limit;
        break;
      }
      chunks.push(value);
      bytes += value.byteLength;
    }
  } catch {
    // A body cut short (reset, timeout): what came is what there is.
  } finally {
    if (truncated) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  const joined = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(joined), bytes, truncated };
}

/** A network error's cause in words (never a URL with credentials: fetch errors carry none). */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return [error.message, cause?.code, cause?.message].filter(Boolean).join(': ');
}
