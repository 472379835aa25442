import { describe, expect, it } from 'vitest';
import { describeUpstream, enableUrlFor } from './api-version.ts';

describe('describeUpstream', () => {
  it.each([
    [
      'https://livestream.adobe.net/api/2/stream/acme',
      {
        apiVersion: 2,
        payload: '2026',
        endpoint: 'acme',
        reset: 'none',
        enableUrl: 'https://livestream.adobe.net/api/2/enable/acme',
      },
    ],
    [
      'https://livestream.adobe.net/api/1/stream/acme?beta=true&maxConnections=2&reset=largest',
      {
        apiVersion: 1,
        payload: '2026',
        endpoint: 'acme',
        reset: 'largest',
        enableUrl: 'https://livestream.adobe.net/api/2/enable/acme',
      },
    ],
    [
      'https://livestream.adobe.net/api/1/stream/acme?beta=TRUE',
      { apiVersion: 1, payload: '2026', endpoint: 'acme', reset: 'none' },
    ],
    [
      'https://livestream.adobe.net/api/1/stream/acme?reset=smallest',
      { apiVersion: 1, payload: '2024', endpoint: 'acme', reset: 'smallest' },
    ],
    ['https://livestream.adobe.net/api/1/stream/acme?beta=false', { apiVersion: 1, payload: '2024' }],
    [
      'http://user:pw@127.0.0.1:8081/api/2/stream/my%20stream/',
      { apiVersion: 2, endpoint: 'my stream', enableUrl: 'http://127.0.0.1:8081/api/2/enable/my%20stream' },
    ],
  ])('%s', (url, expected) => {
    expect(describeUpstream(url)).toMatchObject(expected);
  });

  it('says nothing of the API for a URL of another shape, and never throws', () => {
    expect(describeUpstream('https://proxy.example.com/livestream?reset=largest')).toEqual({ reset: 'largest' });
    expect(describeUpstream('not a url')).toEqual({ reset: 'none' });
    expect(enableUrlFor(undefined)).toBeUndefined();
    expect(enableUrlFor('https://livestream.adobe.net/api/1/schema')).toBeUndefined();
  });
});
