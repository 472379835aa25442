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
