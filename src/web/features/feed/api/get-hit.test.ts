import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProblemError } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { getHit, getHitOptions, HitGoneError } from './get-hit.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

const answer = (body: string, status = 200) =>
  vi.stubGlobal(
    'fetch',
    vi.fn(() => Promise.resolve(new Response(body, { status }))),
  );

describe('getHit', () => {
  it('reads the record losslessly', async () => {
    answer('{"hitIdHigh": 18446744073709551615, "hitIdLow": 1, "x": "y"}');
    await expect(getHit('18446744073709551615-1')).resolves.toEqual({
      hitIdHigh: 18446744073709551615n,
      hitIdLow: 1,
      x: 'y',
    });
  });

  it('turns a 404 into HitGoneError, keeping the relay Problem when there is one', async () => {
    answer('not json', 404);
    const error = await getHit('1-2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HitGoneError);
    expect((error as HitGoneError).problem).toMatchObject({ code: 'hit_not_found', status: 404 });
  });

  it('turns other failures and non-object bodies into ApiProblemError', async () => {
    answer('<html>oops</html>', 502);
    const failed = await getHit('1-2').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ApiProblemError);
    expect(failed).not.toBeInstanceOf(HitGoneError);
    answer('[1, 2]');
    const notObject = await getHit('1-2').catch((e: unknown) => e);
    expect((notObject as ApiProblemError).problem.details).toMatch(/not a JSON object/);
    answer('{"broken":');
    await expect(getHit('1-2')).rejects.toBeInstanceOf(ApiProblemError);
  });
});

describe('getHitOptions', () => {
  it('uses the shared key, never goes stale and never retries a 404', () => {
    const options = getHitOptions('1-2');
    expect(options.queryKey).toEqual(queryKeys.hit('1-2'));
    expect(options.staleTime).toBe(Infinity);
    const retry = options.retry as (count: number, error: Error) => boolean;
    expect(retry(0, new HitGoneError({} as never))).toBe(false);
    expect(retry(0, new Error('x'))).toBe(true);
    expect(retry(2, new Error('x'))).toBe(false);
  });
});
