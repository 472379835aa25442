import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { startHostileUpstream, type HostileUpstream, type TokenModeName } from '../testing/hostile-upstream.ts';
import { MAX_TOKEN_ANSWER_BYTES, TokenError, TokenManager } from './token.ts';

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

describe('TokenManager against a hostile token endpoint', () => {
  let upstream: HostileUpstream | undefined;
  afterEach(async () => {
    await upstream?.close();
    upstream = undefined;
  });

  async function against(...modes: TokenModeName[]) {
    upstream = await startHostileUpstream(['healthy'], modes);
    const clock = new ManualClock();
    const tokens = new TokenManager({ tokenUrl: upstream.tokenUrl, clientId: 'id', clientSecret: 'the-secret', clock });
    const failure = async () => ((await tokens.get().catch((e: unknown) => e)) as TokenError).failure;
    return { tokens, clock, failure, upstream };
  }

  it('says what a 200 without a token held (its shape, never its content), as a 502', async () => {
    const { failure } = await against('garbage', 'no-access-token');
    expect(await failure()).toMatchObject({
      code: 'access_token_unavailable',
      status: 502,
      action: 'retry-after',
      permanent: false,
      details: expect.stringMatching(/^It answered 200 \(text\/html\) with \d+ bytes that are not JSON\.$/),
    });
    const second = await failure();
    expect(second.details).toBe(
      'It answered 200 (application/json) with a JSON object without access_token (fields: token, expires_in).',
    );
    expect(JSON.stringify(second)).not.toContain('leaky-token-value');
  });

  it('does not keep a token that expires at once (expires_in: 0) and refuses one that cannot be sent', async () => {
    const { tokens, failure, upstream } = await against('expires-zero', 'expires-zero', 'unsendable-token');
    expect(await tokens.get()).toBe('short-lived');
    expect(await tokens.get()).toBe('short-lived');
    expect(upstream.tokens).toHaveLength(2);
    expect(await failure()).toMatchObject({
      code: 'access_token_unavailable',
      details: expect.stringContaining('cannot be sent in a header'),
    });
  });

  it('reads an endless answer only up to its bound', async () => {
    const { failure, upstream } = await against('endless');
    const started = Date.now();
    expect(await failure()).toMatchObject({
      code: 'access_token_unavailable',
      details: expect.stringContaining(`a body longer than ${MAX_TOKEN_ANSWER_BYTES / 1024} KiB`),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    // The server stops being read: what it could hand to the socket is buffers, not the whole body.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(upstream.tokenBytesServed()).toBeLessThan(16 * 1024 * 1024);
  });

  it('remembers the tokens it held so the relay can scrub them', async () => {
    const { tokens } = await against('ok');
    expect(await tokens.get()).toBe('hostile-token-1');
    expect(tokens.secrets()).toEqual(['hostile-token-1']);
    tokens.invalidate('hostile-token-1');
    expect(tokens.secrets()).toEqual(['hostile-token-1']);
  });
});
