import { describe, expect, it } from 'vitest';
import { TokenStore } from './token-store.ts';

describe('TokenStore', () => {
  it('issues random tokens that expire after their lifetime on the given clock', () => {
    let now = 1_000_000;
    const store = new TokenStore(() => now, 60);
    const a = store.issue('client');
    const b = store.issue('client');
    expect(a.token).not.toBe(b.token);
    expect(a.token.split('.')).toHaveLength(3);
    expect(a.expiresInS).toBe(60);
    expect(store.check(`Bearer ${a.token}`)).toBe('ok');
    expect(store.check(undefined)).toBe('missing');
    expect(store.check('Basic abc')).toBe('missing');
    expect(store.check('Bearer nope')).toBe('unknown');
    now += 60_000;
    expect(store.check(`Bearer ${a.token}`)).toBe('expired');
  });

  it('invalidates every token at once', () => {
    const store = new TokenStore(() => 0, 3600);
    const { token } = store.issue('client');
    expect(store.expireAll()).toBe(1);
    expect(store.check(`Bearer ${token}`)).toBe('unknown');
  });
});
