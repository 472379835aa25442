import { describe, expect, it } from 'vitest';
import { originProblem, ownOrigin } from './origin-guard.ts';

const post = (origin: string | undefined, host = '127.0.0.1:8080', protocol = 'http') => ({
  method: 'POST',
  origin,
  protocol,
  host,
});

describe('ownOrigin', () => {
  it('serializes scheme and host as a browser does', () => {
    expect(ownOrigin('http', '127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(ownOrigin('http', 'LocalHost:8080')).toBe('http://localhost:8080');
    expect(ownOrigin('http', '127.0.0.1:80')).toBe('http://127.0.0.1');
    expect(ownOrigin('https', 'monitor.example.com:443')).toBe('https://monitor.example.com');
    expect(ownOrigin('http', '[::1]:8080')).toBe('http://[::1]:8080');
  });

  it('has none for an empty or odd host or scheme', () => {
    for (const [protocol, host] of [
      ['http', ''],
      ['http', 'a b'],
      ['http', 'evil.example/x'],
      ['http', 'user@127.0.0.1'],
      ['ftp', '127.0.0.1'],
      ['http', '[::1'],
    ]) {
      expect(ownOrigin(protocol!, host!), `${protocol}://${host}`).toBeUndefined();
    }
  });
});

describe('originProblem', () => {
  it("serves the relay's own origin and requests without Origin", () => {
    expect(originProblem(post('http://127.0.0.1:8080'))).toBeUndefined();
    expect(originProblem(post(undefined))).toBeUndefined();
    expect(originProblem(post('https://monitor.example.com', 'monitor.example.com', 'https'))).toBeUndefined();
  });

  it('refuses any other origin on a state-changing method with 403 origin_not_allowed', () => {
    for (const origin of [
      'http://evil.example',
      'null',
      '',
      'http://127.0.0.1:8081',
      'https://127.0.0.1:8080',
      'http://localhost:8080',
      'http://127.0.0.1:8080/',
      'http://127.0.0.1:8080, http://evil.example',
    ]) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
        expect(originProblem({ ...post(origin), method }), `${method} ${origin}`).toMatchObject({
          code: 'origin_not_allowed',
          status: 403,
          source: 'relay',
        });
      }
    }
    expect(originProblem(post('http://127.0.0.1:8080', ''))).toMatchObject({ code: 'origin_not_allowed' });
  });

  it('lets reads through from anywhere (the Host rule and CORS guard those)', () => {
    for (const method of ['GET', 'HEAD']) {
      expect(originProblem({ ...post('http://evil.example'), method })).toBeUndefined();
    }
  });
});
