import { describe, expect, it } from 'vitest';
import { problemFixture, T0 } from '../../../test/fixtures.ts';
import { supportBundle } from './support-bundle.ts';

describe('supportBundle', () => {
  it('holds code, status, message, trace with request id, ISO UTC times, state, the relay run, mode and upstream, shard and source', () => {
    const problem = problemFixture({
      code: 'too_many_connections',
      status: 409,
      message: 'Too many connections.',
      action: 'retry-after',
      details: 'maxConnections=1',
      trace: 'abc-123',
      requestId: 'req-42',
      at: T0,
      shard: 1,
      source: 'upstream',
    });
    expect(
      supportBundle(problem, {
        relayVersion: '0.1.0',
        relayMode: 'adobe',
        runId: 'rmk3x9a1b2c',
        upstreamUrl: 'https://livestream.adobe.net/api/1/stream/acme-prod?maxConnections=2',
        firstAt: T0 - 3_600_000,
        lastAt: T0,
        count: 4,
      }),
    ).toBe(
      [
        'Livestream Monitor: error report',
        'code: too_many_connections',
        'status: 409',
        'message: Too many connections.',
        'action: retry-after',
        'details: maxConnections=1',
        'trace: abc-123',
        'request id: req-42',
        'first seen: 2025-01-15T11:00:00.000Z',
        'last seen: 2025-01-15T12:00:00.000Z',
        'occurrences: 4',
        'state: active',
        'relay version: 0.1.0',
        'relay mode: adobe',
        'relay run: rmk3x9a1b2c',
        'upstream: https://livestream.adobe.net/api/1/stream/acme-prod?maxConnections=2',
        'shard: 1',
        'source: upstream',
      ].join('\n'),
    );
  });

  it('says what is missing instead of leaving it out', () => {
    const { requestId: _r, shard: _s, ...rest } = problemFixture({ at: T0, source: 'relay' });
    const text = supportBundle(rest);
    expect(text).toContain('request id: none');
    expect(text).toContain('shard: none');
    expect(text).toContain('relay version: unknown');
    expect(text).toContain('relay run: unknown');
    expect(text).toContain('upstream: unknown');
    expect(text).toContain('first seen: 2025-01-15T12:00:00.000Z');
  });

  it('adds Retry-After and the help link when present', () => {
    const text = supportBundle(problemFixture({ retryAfter: 30, helpUrl: 'https://example.com/help' }));
    expect(text).toContain('retry after: 30 s');
    expect(text).toContain('help: https://example.com/help');
  });

  it('says when it was resolved and acknowledged', () => {
    const text = supportBundle(problemFixture({ at: T0, resolvedAt: T0 + 60_000, acknowledgedAt: T0 + 30_000 }));
    expect(text).toContain('state: resolved 2025-01-15T12:01:00.000Z');
    expect(text).toContain('acknowledged: 2025-01-15T12:00:30.000Z');
  });
});
