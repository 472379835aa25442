import { describe, expect, it } from 'vitest';
import { isBeta, negotiateEncoding, parseStreamParams } from './stream-request.ts';

const params = (query: string) => parseStreamParams(new URLSearchParams(query));

describe('parseStreamParams', () => {
  it('accepts the documented parameters and ignores unknown ones', () => {
    expect(params('')).toEqual({ ok: true, params: { maxConnections: 1 } });
    expect(params('maxConnections=8&reset=smallest&smoothing=1&smoothingBucketSize=270&x=1')).toEqual({
      ok: true,
      params: { maxConnections: 8, reset: 'smallest', smoothing: 1, smoothingBucketSize: 270 },
    });
  });

  it('reads beta=true (the latest API on /api/1/stream), and ignores another beta value', () => {
    expect(params('beta=true&maxConnections=2')).toEqual({ ok: true, params: { maxConnections: 2, beta: true } });
    expect(params('beta=True')).toEqual({ ok: true, params: { maxConnections: 1, beta: true } });
    expect(params('beta=1')).toEqual({ ok: true, params: { maxConnections: 1 } });
    expect(isBeta(new URLSearchParams('reset=largest&beta=true'))).toBe(true);
    expect(isBeta(new URLSearchParams(''))).toBe(false);
  });

  it.each([
    ['maxConnections=9', 'maxConnections'],
    ['maxConnections=0', 'maxConnections'],
    ['maxConnections=two', 'maxConnections'],
    ['reset=oldest', 'reset'],
    ['smoothing=2', 'smoothing'],
    ['smoothingBucketSize=7201', 'smoothingBucketSize'],
    ['smoothingBucketSize=0', 'smoothingBucketSize'],
  ])('refuses %s, naming %s', (query, name) => {
    const result = params(query);
    expect(result).toMatchObject({ ok: false, parameter: name });
    expect(!result.ok && result.description).toContain(name);
  });
});

describe('negotiateEncoding', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip', 'gzip'],
    ['deflate, gzip', 'gzip'],
    ['deflate', 'deflate'],
    ['gzip;q=0, deflate', 'deflate'],
    ['*', 'gzip'],
    ['br', undefined],
    ['x-gzip', 'gzip'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});
