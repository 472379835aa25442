import { describe, expect, it } from 'vitest';
import { enableUrlFor } from './enable-url.ts';

describe('enableUrlFor', () => {
  it('turns the stream URL into the enable call, without its query', () => {
    expect(enableUrlFor('https://livestream.adobe.net/api/1/stream/acme-prod?maxConnections=4')).toBe(
      'https://livestream.adobe.net/api/2/enable/acme-prod',
    );
    expect(enableUrlFor('https://livestream.adobe.net/api/2/stream/acme')).toBe(
      'https://livestream.adobe.net/api/2/enable/acme',
    );
  });

  it('gives nothing for a URL without a stream path, or no URL', () => {
    expect(enableUrlFor('https://example.com/somewhere')).toBeUndefined();
    expect(enableUrlFor('not a url')).toBeUndefined();
    expect(enableUrlFor(undefined)).toBeUndefined();
  });
});
