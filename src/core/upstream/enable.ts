import { makeProblem, type Problem } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import { ENABLE_TAKES_EFFECT_S, enableUrlFor } from './api-version.ts';
import { normaliseErrorBody } from './error-body.ts';
import { verdictForRefusal } from './outcome.ts';
import { decideRedirect } from './redirect-trust.ts';
import { parseRetryAfter } from './connector.ts';
import { describeNetworkError, readBounded, TokenError, type TokenManager } from './token.ts';

/**
 * The enable call (`GET <origin>/api/2/enable/<endpoint name>`) an operator sends from the
 * dashboard after a 424 `stream_not_enabled` (`POST /api/upstream/enable`): never sent by the
 * relay on its own. It goes to the configured host with the stream's credentials (`Authorization`,
 * and `x-api-key` when there is a client id), follows redirects by hand under the same trust rule
 * as the stream, gives up after a bounded time, reads a bounded answer, and is refused (429) when
 * another one was sent less than `minIntervalMs` ago or is still under way. The HTTP call is the
 * host's `fetch`, injected as the token manager's is.
 */

/** A second enable call sooner than this after the last one is refused (429). */
export const ENABLE_MIN_INTERVAL_MS = 60_000;
/** The whole call (redirects and answer included) gives up after this long. */
export const ENABLE_TIMEOUT_MS = 10_000;
/** The answer is read up to this many bytes. */
export const MAX_ENABLE_ANSWER_BYTES = 16 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The host's HTTP call: `fetch` in Node, an answer built in memory by the mock host. */
export type EnableFetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface EnableCallOptions {
  /** The configured stream URL (the enable call is derived from it). */
  streamUrl: string;
  /** Sent as `x-api-key` when not empty. */
  apiKey: string;
  tokens: Pick<TokenManager, 'get' | 'invalidate' | 'canRefresh'>;
  clock: Clock;
  /** The host's HTTP call. Default: the platform's `fetch`. */
  fetch?: EnableFetch;
  /** `LIVESTREAM_REDIRECT_HOSTS`. */
  redirectHosts?: readonly string[];
  userAgent?: string;
  timeoutMs?: number;
  minIntervalMs?: number;
}

/** The `202` body of `POST /api/upstream/enable`: what Livestream said, no secret. */
export interface EnableAccepted {
  accepted: true;
  /** The URL called. */
  enableUrl: string;
  /** The status Livestream answered (2xx). */
  upstreamStatus: number;
  /** Its answer, readable (at most 500 characters, no markup). */
  answer: string;
  /** Livestream's `x-request-id` / `Adobe-Request-Id`. */
  requestId?: string;
  /** Epoch ms when the call was sent. */
  requestedAt: number;
  /** About how long until the stream serves the latest API version (seconds). */
  takesEffectInS: number;
  message: string;
}

export type EnableOutcome =
  { ok: true; accepted: EnableAccepted } | { ok: false; httpStatus: number; problem: Problem };

/** The last call of this run, as `GET /api/status` shows it (`upstream.enableCall`). */
export type EnableRecord = {
  /** Epoch ms when it was sent. */
  at: number;
  ok: boolean;
  /** What Livestream answered, when it answered. */
  upstreamStatus?: number;
  /** The Problem's code when it failed. */
  code?: string;
};

type Sent =
  | { kind: 'answer'; status: number; contentType: string; text: string; requestId?: string; retryAfterS?: number }
  | { kind: 'failure'; problem: Problem; httpStatus: number };

export class EnableCall {
  readonly enableUrl: string | undefined;
  private lastAt: number | undefined;
  private inFlight = false;
  private record: EnableRecord | undefined;
  private readonly fetchImpl: EnableFetch;
  /** What Livestream answered the call under way, when it answered. */
  private answered: number | undefined;

  constructor(private readonly options: EnableCallOptions) {
    this.enableUrl = enableUrlFor(options.streamUrl);
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The last call of this run, if any. */
  last(): EnableRecord | undefined {
    return this.record ? { ...this.record } : undefined;
  }

  /** Sends the enable call (unless refused first); never throws. */
  async send(): Promise<EnableOutcome> {
    const { clock } = this.options;
    const enableUrl = this.enableUrl;
    if (!enableUrl) {
      return refusal(
        409,
        makeProblem({
          code: 'invalid_service_configuration',
          source: 'relay',
          status: 409,
          action: 'configuration',
          message:
            'LIVESTREAM_URL has no /api/<version>/stream/<endpoint name> path: the relay cannot tell which stream to enable.',
        }),
      );
    }
    const now = clock.now();
    const interval = this.options.minIntervalMs ?? ENABLE_MIN_INTERVAL_MS;
    if (this.inFlight || (this.lastAt !== undefined && now - this.lastAt < interval)) {
      const retryAfter = this.inFlight ? Math.ceil(interval / 1000) : Math.ceil((this.lastAt! + interval - now) / 1000);
      return refusal(
        429,
        makeProblem({
          code: 'too_many_requests',
          source: 'relay',
          action: 'retry-after',
          retryAfter,
          message: this.inFlight
            ? 'An enable call is already under way.'
            : `An enable call was sent less than ${Math.round(interval / 1000)} s ago; Adobe needs about 15 minutes to switch the stream. Try again in ${retryAfter} s if it is still refused then.`,
        }),
      );
    }
    this.inFlight = true;
    this.lastAt = now;
    this.answered = undefined;
    try {
      const outcome = await this.call(enableUrl, now);
      const record: EnableRecord = { at: now, ok: outcome.ok };
      if (this.answered !== undefined) record.upstreamStatus = this.answered;
      if (!outcome.ok) record.code = outcome.problem.code;
      this.record = record;
      return outcome;
    } finally {
      this.inFlight = false;
    }
  }

  private async call(enableUrl: string, requestedAt: number): Promise<EnableOutcome> {
    const { tokens } = this.options;
    let token: string;
    try {
      token = await tokens.get();
    } catch (error) {
      return refusal(502, tokenProblem(error));
    }
    let sent = await this.request(enableUrl, token);
    // A refused token is replaced once, as for the stream (a second 401 is the answer).
    if (sent.kind === 'answer' && sent.status === 401 && tokens.canRefresh) {
      tokens.invalidate(token);
      try {
        token = await tokens.get();
      } catch (error) {
        return refusal(502, tokenProblem(error));
      }
      sent = await this.request(enableUrl, token);
    }
    if (sent.kind === 'failure') return refusal(sent.httpStatus, sent.problem);
    this.answered = sent.status;
    const body = normaliseErrorBody(sent.text, sent.contentType);
    if (sent.status >= 200 && sent.status < 300) {
      const accepted: EnableAccepted = {
        accepted: true,
        enableUrl,
        upstreamStatus: sent.status,
        answer: body.kind === 'empty' ? '' : body.details,
        requestedAt,
        takesEffectInS: ENABLE_TAKES_EFFECT_S,
        message: `Livestream accepted the enable call (${sent.status}). The stream switches to the latest API version in about ${ENABLE_TAKES_EFFECT_S / 60} minutes; then press Reconnect on a failed shard.`,
      };
      if (sent.requestId) accepted.requestId = sent.requestId;
      return { ok: true, accepted };
    }
    const verdict = verdictForRefusal({
      kind: 'http-error',
      status: sent.status,
      url: enableUrl,
      redirects: 0,
      contentType: sent.contentType,
      body: sent.text,
      ...(sent.retryAfterS !== undefined ? { retryAfterS: sent.retryAfterS } : {}),
    });
    const problem = makeProblem({
      code: verdict.problem.code,
      source: 'upstream',
      status: sent.status,
      action: verdict.problem.action ?? 'configuration',
      message:
        `Livestream refused the enable call (${sent.status}). ${verdict.problem.message ?? ''} If it keeps refusing, ask Adobe Customer Care to enable the stream.`.trim(),
      details: body.details,
      ...(verdict.problem.trace ? { trace: verdict.problem.trace } : {}),
      ...(verdict.problem.helpUrl ? { helpUrl: verdict.problem.helpUrl } : {}),
      ...(sent.requestId ? { requestId: sent.requestId } : {}),
      ...(sent.retryAfterS !== undefined ? { retryAfter: sent.retryAfterS } : {}),
    });
    return refusal(502, problem);
  }

  /** One GET with redirects followed by hand (≤ 5 hops, the stream's trust rule); never throws. */
  private async request(enableUrl: string, token: string): Promise<Sent> {
    const configured = new URL(enableUrl);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (this.options.apiKey) headers['x-api-key'] = this.options.apiKey;
    if (this.options.userAgent) headers['user-agent'] = this.options.userAgent;
    const signal = AbortSignal.timeout(this.options.timeoutMs ?? ENABLE_TIMEOUT_MS);
    let url = configured;
    for (let hops = 0; ; hops++) {
      let response: Response;
      try {
        response = await this.fetchImpl(url.toString(), { method: 'GET', headers, redirect: 'manual', signal });
      } catch (error) {
        const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        return {
          kind: 'failure',
          httpStatus: timeout ? 504 : 502,
          problem: makeProblem({
            code: timeout ? 'network_connection_timeout' : 'network_connection_failure',
            source: 'upstream',
            status: timeout ? 504 : 502,
            action: 'retry',
            message: timeout
              ? `Livestream did not answer the enable call within ${Math.round((this.options.timeoutMs ?? ENABLE_TIMEOUT_MS) / 1000)} s.`
              : 'The enable call could not reach Livestream (refused, reset, DNS or TLS).',
            details: describeNetworkError(error),
          }),
        };
      }
      if (REDIRECTS.has(response.status)) {
        await discard(response);
        const location = response.headers.get('location');
        const decision =
          location && hops < MAX_REDIRECTS
            ? decideRedirect(url, location, configured, this.options.redirectHosts ?? [])
            : undefined;
        if (!decision?.follow) {
          const code = decision ? 'untrusted_redirect' : 'too_many_redirects';
          return {
            kind: 'failure',
            httpStatus: 502,
            problem: makeProblem({
              code,
              source: 'upstream',
              message: 'Livestream redirected the enable call somewhere it was not followed.',
              details: decision
                ? decision.reason
                : location
                  ? `more than ${MAX_REDIRECTS} redirects`
                  : `redirect ${response.status} without a Location`,
            }),
          };
        }
        url = decision.url;
        continue;
      }
      const answer = await readBounded(response, MAX_ENABLE_ANSWER_BYTES);
      const sent: Sent = {
        kind: 'answer',
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        text: answer.text,
      };
      const requestId = response.headers.get('adobe-request-id') ?? response.headers.get('x-request-id');
      if (requestId) sent.requestId = requestId;
      const retryAfterS = parseRetryAfter(response.headers.get('retry-after') ?? undefined, this.options.clock.now());
      if (retryAfterS !== undefined) sent.retryAfterS = retryAfterS;
      return sent;
    }
  }
}

function refusal(httpStatus: number, problem: Problem): EnableOutcome {
  return { ok: false, httpStatus, problem };
}

function tokenProblem(error: unknown): Problem {
  if (error instanceof TokenError) {
    const { failure } = error;
    return makeProblem({
      code: failure.code,
      source: 'token',
      action: failure.action,
      message: `No access token for the enable call: ${failure.message}`,
      ...(failure.status !== undefined ? { status: failure.status } : {}),
      ...(failure.details ? { details: failure.details } : {}),
      ...(failure.requestId ? { requestId: failure.requestId } : {}),
    });
  }
  return makeProblem({
    code: 'access_token_unavailable',
    source: 'token',
    status: 502,
    action: 'retry',
    message: 'No access token for the enable call.',
    details: error instanceof Error ? error.message : String(error),
  });
}

async function discard(response: Response): Promise<void> {
  if (!response.body) return;
  try {
    await response.body.getReader().cancel();
  } catch {
    // Already closed: nothing to release.
  }
}
