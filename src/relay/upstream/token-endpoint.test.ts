import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.ts';
import { MAX_TOKEN_ANSWER_BYTES, TokenManager, type TokenError } from '../../core/upstream/token.ts';
import { startHostileUpstream, type HostileUpstream, type TokenModeName } from '../testing/hostile-upstream.ts';

/** The core's token manager on Node's fetch, against a real (hostile) token endpoint. */
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
