import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { TokenError, TokenManager } from './token.ts';

function fakeFetch(answers: (() => Response | Promise<Response>)[]) {
  const calls: URLSearchParams[] = [];
  const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
    calls.push(new URLSearchParams(init?.body as string));
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    return answer();
  }) as typeof fetch;
  return { fetchImpl, calls };
}

const grant =
  (token: string, expiresIn = 86_400) =>
  () =>
    new Response(JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: expiresIn }), { status: 200 });

describe('TokenManager', () => {
  it('sends the client-credentials grant, shares one request, and reuses the token', async () => {
    const clock = new ManualClock();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { fetchImpl, calls } = fakeFetch([async () => (await gate, grant('t1')())]);
    const tokens = new TokenManager({
      tokenUrl: 'http://ims/token',
      clientId: 'id',
      clientSecret: 's3cret',
      scopes: 'openid,AdobeID',
      clock,
      fetch: fetchImpl,
    });
    const all = Promise.all([tokens.get(), tokens.get(), tokens.get()]);
    release();
    expect(await all).toEqual(['t1', 't1', 't1']);
    expect(calls).toHaveLength(1);
    expect(Object.fromEntries(calls[0]!)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'id',
      client_secret: 's3cret',
      scope: 'openid,AdobeID',
    });
    expect(await tokens.get()).toBe('t1');
    expect(calls).toHaveLength(1);
  });

  it('refreshes before expiry and after a 401', async () => {
    const clock = new ManualClock();
    const { fetchImpl, calls } = fakeFetch([grant('t1', 3600), grant('t2', 3600), grant('t3', 3600)]);
    const tokens = new TokenManager({
      tokenUrl: 'http://ims/token',
      clientId: 'id',
      clientSecret: 's',
      clock,
      fetch: fetchImpl,
    });
    expect(await tokens.get()).toBe('t1');
    await clock.advance(3_600_000 - 6 * 60_000 - 1);
    expect(await tokens.get()).toBe('t1');
    await clock.advance(6 * 60_000);
    expect(await tokens.get()).toBe('t2');
    tokens.invalidate('t2');
    expect(await tokens.get()).toBe('t3');
    expect(calls).toHaveLength(3);
  });

  it('turns failures into token problems: refused is permanent, unreachable is not', async () => {
    const clock = new ManualClock();
    const refused = new TokenManager({
      tokenUrl: 'http://ims/token',
      clientId: 'id',
      clientSecret: 'very-secret',
      clock,
      fetch: fakeFetch([
        () =>
          new Response('{"error":"invalid_client","error_description":"bad secret"}', {
            status: 401,
            headers: { 'x-request-id': 'ims-1' },
          }),
      ]).fetchImpl,
    });
    const error = await refused.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).failure).toMatchObject({
      code: 'invalid_client_id',
      status: 401,
      action: 'application-registration',
      permanent: true,
      requestId: 'ims-1',
      details: 'invalid_client: bad secret',
    });
    expect(JSON.stringify((error as TokenError).failure)).not.toContain('very-secret');

    const unreachable = new TokenManager({
      tokenUrl: 'http://ims/token',
      clientId: 'id',
      clientSecret: 's',
      clock,
      fetch: () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })),
    });
    expect(((await unreachable.get().catch((e: unknown) => e)) as TokenError).failure).toMatchObject({
      code: 'network_connection_failure',
      action: 'retry-after',
      permanent: false,
    });

    const failing = new TokenManager({
      tokenUrl: 'http://ims/token',
      clientId: 'id',
      clientSecret: 's',
      clock,
      fetch: fakeFetch([() => new Response('<html>oops</html>', { status: 502 })]).fetchImpl,
    });
    expect(((await failing.get().catch((e: unknown) => e)) as TokenError).failure).toMatchObject({
      code: 'access_token_unavailable',
      status: 502,
      permanent: false,
    });
  });

  it('uses a static token as is and cannot refresh it', async () => {
    const tokens = new TokenManager({
      tokenUrl: 'http://ims/token',
      staticToken: 'static-1',
      clock: new ManualClock(),
    });
    expect(await tokens.get()).toBe('static-1');
    expect(tokens.canRefresh).toBe(false);
    tokens.invalidate('static-1');
    expect(await tokens.get()).toBe('static-1');
  });
});
