import { describe, expect, it } from 'vitest';
import type { HttpRefusal } from './connector.ts';
import { verdictForRefusal } from './outcome.ts';

function refusal(status: number, body: string, contentType = 'application/json'): HttpRefusal {
  return {
    kind: 'http-error',
    status,
    url: 'https://livestream.adobe.net/api/1/stream/x',
    redirects: 0,
    contentType,
    body,
  };
}

describe('verdictForRefusal', () => {
  it("shows an Adobe error object's own code and action, while what the relay does follows the status", () => {
    const body = JSON.stringify({
      status: 429,
      code: 'stream_quota_exceeded',
      message: 'Stream quota exceeded for this organization.',
      action: 'contact-account-team',
    });
    const verdict = verdictForRefusal({ ...refusal(429, body), retryAfterS: 90 });
    expect(verdict.problem).toMatchObject({
      code: 'stream_quota_exceeded',
      action: 'contact-account-team',
      status: 429,
      details: expect.stringContaining('Stream quota exceeded'),
    });
    expect(verdict.next).toEqual({ kind: 'wait', reason: 'retry-after', minWaitS: 90 });
  });

  it("keeps the table's code for an OAuth-style body and for a page", () => {
    const oauth = verdictForRefusal(refusal(409, '{"error":"too_many_connections","error_description":"3 clients"}'));
    expect(oauth.problem).toMatchObject({ code: 'too_many_connections', action: 'retry-after' });
    const page = verdictForRefusal(refusal(403, '<html><title>Forbidden</title></html>', 'text/html'));
    expect(page.problem).toMatchObject({ code: 'stream_access_denied', action: 'configuration' });
    expect(page.next).toEqual({ kind: 'fail' });
  });
});

describe('424 stream_not_enabled', () => {
  it('names the enable call for this very stream, on the configured host, and Customer Care', () => {
    const verdict = verdictForRefusal({
      ...refusal(424, '{"error":"stream_not_enabled","error_description":"not enabled for API version 2"}'),
      url: 'https://sjo.livestream.adobe.net/api/2/stream/acme-prod?maxConnections=2',
      requestedUrl: 'https://livestream.adobe.net/api/2/stream/acme-prod?maxConnections=2&reset=largest',
    });
    expect(verdict.problem).toMatchObject({ code: 'stream_not_enabled', status: 424, action: 'configuration' });
    expect(verdict.next).toEqual({ kind: 'fail' });
    const details = verdict.problem.details ?? '';
    expect(details).toContain('not enabled for API version 2');
    expect(details).toContain('GET https://livestream.adobe.net/api/2/enable/acme-prod ');
    expect(details).toContain('about 15 minutes');
    expect(details).toContain('Adobe Customer Care');
    expect(details.length).toBeLessThanOrEqual(500);
  });

  it("keeps the enable call whole however long Livestream's words are, and without them", () => {
    const long = verdictForRefusal({
      ...refusal(424, JSON.stringify({ error: 'stream_not_enabled', error_description: 'x'.repeat(2000) })),
      url: 'https://livestream.adobe.net/api/1/stream/shop?beta=true',
    });
    expect(long.problem.details!.length).toBeLessThanOrEqual(500);
    expect(long.problem.details).toContain('GET https://livestream.adobe.net/api/2/enable/shop ');
    expect(long.problem.details).toMatch(/x…\n/);
    const empty = verdictForRefusal(refusal(424, '', 'text/plain'));
    expect(empty.problem.details).toMatch(
      /^Enable it for the latest API version: GET https:\/\/livestream\.adobe\.net\/api\/2\/enable\/x /,
    );
  });

  it('falls back to the documented form for a URL of another shape', () => {
    const verdict = verdictForRefusal({ ...refusal(424, ''), url: 'https://proxy.example.com/livestream' });
    expect(verdict.problem.details).toContain('GET https://livestream.adobe.net/api/2/enable/<endpoint name>');
  });
});
