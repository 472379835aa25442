import { describe, expect, it } from 'vitest';
import { hostProblem, isLoopbackHostHeader } from './host-guard.ts';

describe('isLoopbackHostHeader', () => {
  it('takes localhost, 127.0.0.0/8 and [::1], with or without a port, in any case', () => {
    for (const host of [
      'localhost',
      'localhost:8080',
      'LOCALHOST:8080',
      '127.0.0.1',
      '127.0.0.1:8080',
      '127.255.0.9:1',
      '[::1]',
      '[::1]:8080',
    ]) {
      expect(isLoopbackHostHeader(host), host).toBe(true);
    }
  });

  it('refuses every other name, address or shape', () => {
    for (const host of [
      '',
      'rebind.example',
      'rebind.example:8080',
      'localhost.rebind.example',
      '127.0.0.1.rebind.example',
      '127.0.0.1:8080@rebind.example',
      'user@127.0.0.1',
      '127.0.0.1:80:80',
      '127.0.0.1:abc',
      '127.0.0.1/x',
      '127.1',
      '0.0.0.0',
      '10.0.0.1:8080',
      '::1',
      '[::ffff:127.0.0.1]',
      '[::2]',
      '[::1',
      ' localhost',
      'localhost.',
    ]) {
      expect(isLoopbackHostHeader(host), host).toBe(false);
    }
  });
});

describe('hostProblem', () => {
  it('answers 421 host_not_allowed without a password, nothing with one', () => {
    expect(hostProblem({ host: 'rebind.example', httpVersion: '1.1' }, false)).toMatchObject({
      code: 'host_not_allowed',
      status: 421,
      source: 'relay',
      details: 'Host: rebind.example',
    });
    expect(hostProblem({ host: 'rebind.example', httpVersion: '1.1' }, true)).toBeUndefined();
    expect(hostProblem({ host: '127.0.0.1:8080', httpVersion: '1.1' }, false)).toBeUndefined();
  });

  it('answers 400 to HTTP/1.1 without Host, whatever the password; lets HTTP/1.0 without one in', () => {
    for (const passwordSet of [false, true]) {
      expect(hostProblem({ host: undefined, httpVersion: '1.1' }, passwordSet)).toMatchObject({
        code: 'bad_request',
        status: 400,
      });
      expect(hostProblem({ host: undefined, httpVersion: '1.0' }, passwordSet)).toBeUndefined();
    }
  });
});
