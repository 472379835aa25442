import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { ENABLE_MIN_INTERVAL_MS, EnableCall, MAX_ENABLE_ANSWER_BYTES, type EnableFetch } from './enable.ts';
import { TokenError } from './token.ts';

const STREAM = 'https://livestream.adobe.net/api/1/stream/acme-prod?beta=true&maxConnections=2&reset=largest';
const ENABLE = 'https://livestream.adobe.net/api/2/enable/acme-prod';

interface Seen {
  url: string;
  headers: Record<string, string>;
  redirect?: string;
}

/** A scripted Livestream: each call answers the next response (or throws the next error). */
function livestream(...answers: (Response | Error | ((url: string) => Response))[]) {
  const seen: Seen[] = [];
  const fetch: EnableFetch = (url, init) => {
    seen.push({
      url,
      headers: { ...(init?.headers as Record<string, string> | undefined) },
      ...(init?.redirect ? { redirect: init.redirect } : {}),
    });
    const next = answers.shift();
    if (!next) return Promise.reject(new Error('no more answers'));
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve(typeof next === 'function' ? next(url) : next);
  };
  return { fetch, seen };
}

function tokens(options: { canRefresh?: boolean; fail?: TokenError } = {}) {
  let issued = 1;
  const invalidated: string[] = [];
  return {
    invalidated,
    get: () => (options.fail ? Promise.reject(options.fail) : Promise.resolve(`token-${issued}`)),
    invalidate: (token: string) => {
      invalidated.push(token);
      issued++;
    },
    canRefresh: options.canRefresh ?? true,
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function call(fetch: EnableFetch, extra: Partial<ConstructorParameters<typeof EnableCall>[0]> = {}) {
  const clock = new ManualClock(Date.UTC(2026, 4, 1));
  const held = tokens();
  const enable = new EnableCall({ streamUrl: STREAM, apiKey: 'client-id', tokens: held, clock, fetch, ...extra });
  return { enable, clock, held };
}

describe('EnableCall', () => {
  it('GETs the enable URL on the configured host with the token and x-api-key, and says what Livestream answered', async () => {
    const { fetch, seen } = livestream(
      json(200, { message: 'enabling acme-prod' }, { 'x-request-id': 'req-7', 'set-cookie': 'a=b' }),
    );
    const { enable, clock } = call(fetch, { userAgent: 'livestream-monitor/test' });
    expect(enable.enableUrl).toBe(ENABLE);
    const outcome = await enable.send();
    expect(outcome).toEqual({
      ok: true,
      accepted: {
        accepted: true,
        enableUrl: ENABLE,
        upstreamStatus: 200,
        answer: expect.stringContaining('enabling acme-prod'),
        requestId: 'req-7',
        requestedAt: clock.now(),
        takesEffectInS: 900,
        message: expect.stringMatching(/about 15 minutes/),
      },
    });
    expect(seen).toEqual([
      {
        url: ENABLE,
        headers: {
          authorization: 'Bearer token-1',
          'x-api-key': 'client-id',
          accept: 'application/json',
          'user-agent': 'livestream-monitor/test',
        },
        redirect: 'manual',
      },
    ]);
    expect(enable.last()).toEqual({ at: clock.now(), ok: true, upstreamStatus: 200 });
  });

  it('sends no x-api-key for a static token without a client id', async () => {
    const { fetch, seen } = livestream(new Response(null, { status: 204 }));
    const { enable } = call(fetch, { apiKey: '' });
    const outcome = await enable.send();
    expect(outcome.ok && outcome.accepted.answer).toBe('');
    expect(seen[0]?.headers).not.toHaveProperty('x-api-key');
  });

  it('refuses a second call within a minute (429 with Retry-After), and one while another is under way', async () => {
    let release: (response: Response) => void = () => undefined;
    const slow = new Promise<Response>((resolve) => (release = resolve));
    let calls = 0;
    const fetch: EnableFetch = () => {
      calls++;
      return calls === 1 ? slow : Promise.resolve(json(200, {}));
    };
    const { enable, clock } = call(fetch);
    const first = enable.send();
    const during = await enable.send();
    expect(during).toMatchObject({ ok: false, httpStatus: 429 });
    release(json(200, {}));
    expect((await first).ok).toBe(true);
    await clock.advance(20_000);
    const soon = await enable.send();
    expect(soon).toMatchObject({
      ok: false,
      httpStatus: 429,
      problem: { code: 'too_many_requests', action: 'retry-after', retryAfter: 40, source: 'relay' },
    });
    expect(calls).toBe(1);
    await clock.advance(ENABLE_MIN_INTERVAL_MS - 20_000);
    expect((await enable.send()).ok).toBe(true);
    expect(calls).toBe(2);
  });

  it('replaces a refused token once, then gives Livestream’s refusal as a Problem with its status', async () => {
    const { fetch, seen } = livestream(
      json(401, { error: 'access_token_expired', error_description: 'token expired' }),
      json(403, { error: 'stream_access_denied', error_description: 'no Livestream product profile' }),
    );
    const { enable, held } = call(fetch);
    const outcome = await enable.send();
    expect(held.invalidated).toEqual(['token-1']);
    expect(seen.map((s) => s.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(outcome).toMatchObject({
      ok: false,
      httpStatus: 502,
      problem: {
        code: 'stream_access_denied',
        status: 403,
        source: 'upstream',
        action: 'configuration',
        message: expect.stringMatching(/^Livestream refused the enable call \(403\)\..*Customer Care/),
        details: expect.stringContaining('no Livestream product profile'),
      },
    });
    expect(enable.last()).toMatchObject({ ok: false, upstreamStatus: 403, code: 'stream_access_denied' });
  });

  it('follows a redirect within the trusted domain with the headers, and refuses one elsewhere', async () => {
    const trusted = livestream(
      new Response(null, {
        status: 302,
        headers: { location: 'https://sjo.livestream.adobe.net/api/2/enable/acme-prod' },
      }),
      json(200, { ok: true }),
    );
    expect((await call(trusted.fetch).enable.send()).ok).toBe(true);
    expect(trusted.seen.map((s) => [s.url, s.headers.authorization])).toEqual([
      [ENABLE, 'Bearer token-1'],
      ['https://sjo.livestream.adobe.net/api/2/enable/acme-prod', 'Bearer token-1'],
    ]);

    const elsewhere = livestream(new Response(null, { status: 307, headers: { location: 'https://evil.example/x' } }));
    const outcome = await call(elsewhere.fetch).enable.send();
    expect(outcome).toMatchObject({ ok: false, httpStatus: 502, problem: { code: 'untrusted_redirect' } });
    expect(elsewhere.seen).toHaveLength(1);
  });

  it('turns a network failure or a timeout into a Problem, never a throw', async () => {
    const refused = await call(livestream(new TypeError('fetch failed')).fetch).enable.send();
    expect(refused).toMatchObject({
      ok: false,
      httpStatus: 502,
      problem: { code: 'network_connection_failure', source: 'upstream', details: 'fetch failed' },
    });
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    const late = await call(livestream(timeout).fetch, { timeoutMs: 2_000 }).enable.send();
    expect(late).toMatchObject({
      ok: false,
      httpStatus: 504,
      problem: { code: 'network_connection_timeout', message: expect.stringContaining('2 s') },
    });
  });

  it('reads a bounded answer', async () => {
    const huge = 'y'.repeat(MAX_ENABLE_ANSWER_BYTES * 8);
    const outcome = await call(livestream(new Response(huge, { status: 200 })).fetch).enable.send();
    expect(outcome.ok && outcome.accepted.answer.length).toBeLessThanOrEqual(500);
  });

  it('says when no token can be had, and when the URL names no stream', async () => {
    const clock = new ManualClock();
    const failing = new EnableCall({
      streamUrl: STREAM,
      apiKey: 'id',
      clock,
      fetch: livestream().fetch,
      tokens: tokens({
        fail: new TokenError({
          code: 'invalid_client_id',
          status: 401,
          action: 'application-registration',
          message: 'The token endpoint refused the client credentials.',
          permanent: true,
        }),
      }),
    });
    expect(await failing.send()).toMatchObject({
      ok: false,
      httpStatus: 502,
      problem: { code: 'invalid_client_id', source: 'token', status: 401, action: 'application-registration' },
    });
    const shapeless = new EnableCall({
      streamUrl: 'https://proxy.example.com/livestream',
      apiKey: 'id',
      clock,
      tokens: tokens(),
      fetch: livestream().fetch,
    });
    expect(shapeless.enableUrl).toBeUndefined();
    expect(await shapeless.send()).toMatchObject({
      ok: false,
      httpStatus: 409,
      problem: { code: 'invalid_service_configuration', action: 'configuration' },
    });
  });
});
