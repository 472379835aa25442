import { describe, expect, it } from 'vitest';
import { MAX_DETAILS_LENGTH, normaliseErrorBody } from './error-body.ts';

describe('normaliseErrorBody', () => {
  it('reads an Adobe error object and keeps its trace and action', () => {
    const body = JSON.stringify({
      error: {
        status: 403,
        code: 'network_connection_failure',
        message: 'Unable to contact your TV provider services',
        helpUrl: '',
        trace: '12f6fef9-d2e0-422b-a9d7-60d799abe353',
        action: 'retry',
      },
    });
    const result = normaliseErrorBody(body, 'application/json');
    expect(result).toMatchObject({
      kind: 'adobe',
      code: 'network_connection_failure',
      trace: '12f6fef9-d2e0-422b-a9d7-60d799abe353',
      action: 'retry',
      status: 403,
      details: 'network_connection_failure: Unable to contact your TV provider services',
    });
    expect(result.helpUrl).toBeUndefined();
  });

  it('reads an OAuth error', () => {
    const result = normaliseErrorBody(
      '{"error":"too_many_connections","error_description":"maxConnections mismatch: 2 vs 4"}',
    );
    expect(result).toMatchObject({
      kind: 'oauth',
      code: 'too_many_connections',
      details: 'too_many_connections: maxConnections mismatch: 2 vs 4',
    });
  });

  it('reads the XML error object of the seed', () => {
    const xml =
      '<error><status>403</status><code>network_connection_failure</code><message>Unable to contact &amp; retry</message><helpUrl></helpUrl><trace>abc</trace><action>retry</action></error>';
    expect(normaliseErrorBody(xml, 'application/xml')).toMatchObject({
      kind: 'xml',
      code: 'network_connection_failure',
      trace: 'abc',
      details: 'network_connection_failure: Unable to contact & retry',
    });
  });

  it('turns an HTML page into text, never markup', () => {
    const html =
      '<!DOCTYPE html><html><head><title>503 Service Unavailable</title><style>p{}</style></head><body><h1>Service Unavailable</h1><script>alert(1)</script><p>Try &lt;later&gt;.</p></body></html>';
    const result = normaliseErrorBody(html, 'text/html');
    expect(result.kind).toBe('html');
    expect(result.details).toBe('HTML page: 503 Service Unavailable — Service Unavailable Try later .');
    expect(result.details).not.toMatch(/[<>]/);
    expect(result.details).not.toContain('alert');
  });

  it('says when the body was empty', () => {
    expect(normaliseErrorBody('', '')).toEqual({ kind: 'empty', details: 'The response body was empty.' });
    expect(normaliseErrorBody(undefined).kind).toBe('empty');
  });

  it('cuts long bodies to 500 characters, and reads broken JSON as text', () => {
    expect(normaliseErrorBody('x'.repeat(5000)).details).toHaveLength(MAX_DETAILS_LENGTH);
    expect(normaliseErrorBody('{"error": ', 'application/json')).toEqual({ kind: 'text', details: '{"error":' });
    expect(normaliseErrorBody('[1,2]').kind).toBe('json');
  });
});
