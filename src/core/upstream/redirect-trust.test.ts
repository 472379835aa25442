import { describe, expect, it } from 'vitest';
import { decideRedirect, isTrustedHost } from './redirect-trust.ts';

const adobe = new URL('https://livestream.adobe.net/api/1/stream/shop');

describe('redirect trust', () => {
  it.each([
    ['https://livestream.adobe.net/api/1/stream/shop?dc=1', true],
    ['https://sjo.livestream.adobe.net/api/1/stream/shop', true],
    ['https://sjo.adobe.net/api/1/stream/shop', true],
    ['/api/1/stream/other', true],
    ['https://adobe.net.evil.example/api/1/stream/shop', false],
    ['https://evil-adobe.net/api/1/stream/shop', false],
    ['https://203.0.113.9/api/1/stream/shop', false],
    ['http://sjo.livestream.adobe.net/api/1/stream/shop', false],
    ['file:///etc/passwd', false],
    ['ftp://livestream.adobe.net/stream', false],
    ['javascript:alert(1)', false],
    ['http://[::1', false],
    ['https://user:pw@livestream.adobe.net/api/1/stream/shop', false],
  ])('from %s: follow %s', (location, follow) => {
    const decision = decideRedirect(adobe, location, adobe);
    expect(decision.follow).toBe(follow);
    if (!decision.follow) expect(decision.reason.length).toBeLessThan(400);
  });

  it('never trusts a whole top-level domain, and an IP address or localhost trusts only itself', () => {
    expect(isTrustedHost('evil.net', 'adobe.net')).toBe(false);
    expect(isTrustedHost('sub.adobe.net', 'adobe.net')).toBe(false);
    expect(isTrustedHost('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(isTrustedHost('127.0.0.2', '127.0.0.1')).toBe(false);
    expect(isTrustedHost('localhost', '127.0.0.1')).toBe(false);
    expect(isTrustedHost('other.localhost', 'localhost')).toBe(false);
  });

  it('adds the hosts of LIVESTREAM_REDIRECT_HOSTS, exact or *.pattern', () => {
    const extra = ['edge.example.com', '*.cdn.example.net'];
    expect(isTrustedHost('edge.example.com', 'livestream.adobe.net', extra)).toBe(true);
    expect(isTrustedHost('a.cdn.example.net', 'livestream.adobe.net', extra)).toBe(true);
    expect(isTrustedHost('cdn.example.net', 'livestream.adobe.net', extra)).toBe(false);
    expect(isTrustedHost('other.example.com', 'livestream.adobe.net', extra)).toBe(false);
  });

  it('refuses a downgrade even to a trusted host, and allows an upgrade', () => {
    const local = new URL('http://127.0.0.1:8081/api/1/stream/x');
    expect(decideRedirect(local, 'https://127.0.0.1:8443/api/1/stream/x', local).follow).toBe(true);
    expect(decideRedirect(local, 'http://127.0.0.1:9999/api/1/stream/x', local).follow).toBe(true);
    const hop = new URL('https://127.0.0.1:8443/api/1/stream/x');
    expect(decideRedirect(hop, 'http://127.0.0.1:8081/x', local)).toMatchObject({
      follow: false,
      reason: expect.stringContaining('downgrades https to http'),
    });
  });

  it('quotes a hostile Location briefly and printably', () => {
    const decision = decideRedirect(adobe, `http://[${'\u0000'.repeat(5)}${'a'.repeat(10_000)}`, adobe);
    expect(decision.follow).toBe(false);
    if (decision.follow) return;
    expect(decision.reason).not.toContain('\u0000');
    expect(decision.reason.length).toBeLessThan(200);
  });
});
