import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ApiProblemError } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { setupMockRelay } from '../../../test/mock-server.ts';
import { getHit, getHitOptions, HitGoneError } from './get-hit.ts';

const mock = setupMockRelay();

/** The relay answers `GET /api/hits/:hitId` with this body, whatever the hit. */
const answer = (body: string, status = 200) =>
  mock.server.use(http.get(mock.url('/api/hits/:hitId'), () => new HttpResponse(body, { status })));

describe('getHit', () => {
  it('reads the record losslessly', async () => {
    answer('{"hitIdHigh": 18446744073709551615, "hitIdLow": 1, "x": "y"}');
    await expect(getHit('18446744073709551615-1')).resolves.toEqual({
      hitIdHigh: 18446744073709551615n,
      hitIdLow: 1,
      x: 'y',
    });
  });

  it("turns the relay's 404 for a hit it no longer has into HitGoneError, keeping the relay's Problem", async () => {
    const error = await getHit('1-2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HitGoneError);
    const { problem } = error as HitGoneError;
    expect(problem).toMatchObject({ code: 'hit_not_found', status: 404, source: 'relay' });
    // The relay's own words, not the Problem made up for a 404 without one (below).
    expect(problem.details).not.toMatch(/answered 404/);
  });

  it('turns a 404 without a Problem into HitGoneError all the same', async () => {
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
