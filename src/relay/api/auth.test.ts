import { describe, expect, it } from 'vitest';
import { Auth, SESSION_COOKIE } from './auth.ts';

const PASSWORD = 'correct horse battery staple';
const basic = (password: string) => `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`;

function auth(options: ConstructorParameters<typeof Auth>[2] = {}) {
  const clock = { now: Date.UTC(2026, 0, 1) };
  return { clock, auth: new Auth(PASSWORD, () => clock.now, options) };
}

describe('Auth sessions', () => {
  it('sweeps expired sessions (12 h) instead of keeping them forever', () => {
    const { clock, auth: a } = auth();
    const ids = Array.from({ length: 50 }, () => a.open());
    expect(a.sessionCount).toBe(50);
    clock.now += 12 * 60 * 60_000;
    expect(a.verify({ cookie: `${SESSION_COOKIE}=${ids[0]}` }, '203.0.113.1')).toEqual({ kind: 'missing' });
    expect(a.sessionCount).toBe(0);
    a.open();
    expect(a.sessionCount).toBe(1);
  });

  it('holds at most maxSessions, closing the oldest first', () => {
    const { auth: a } = auth({ maxSessions: 3 });
    const [first, second, ...rest] = Array.from({ length: 4 }, () => a.open());
    expect(a.sessionCount).toBe(3);
    expect(a.verify({ cookie: `${SESSION_COOKIE}=${first}` }, '203.0.113.1').kind).toBe('missing');
    for (const id of [second, ...rest]) {
      expect(a.verify({ cookie: `${SESSION_COOKIE}=${id}` }, '203.0.113.1').kind).toBe('allowed');
    }
  });

  it('marks the cookie Secure only when asked (https)', () => {
    const { auth: a } = auth();
    expect(a.cookie('x', true)).toMatch(/; Secure$/);
    expect(a.cookie('x', false)).not.toMatch(/Secure/);
    expect(a.clearedCookie(true)).toMatch(/Max-Age=0; Secure$/);
  });
});

describe('Auth password attempts', () => {
  it('locks an address out after 10 wrong passwords; refuses the right one unchecked; sessions go on', () => {
    const { clock, auth: a } = auth();
    const session = `${SESSION_COOKIE}=${a.open()}`;
    const verdicts = Array.from({ length: 10 }, () => a.verify({ authorization: basic('wrong') }, '203.0.113.1').kind);
    expect(verdicts).toEqual([...Array<string>(9).fill('wrong'), 'locked']);
    expect(a.verify({ authorization: basic(PASSWORD) }, '203.0.113.1')).toEqual({ kind: 'locked', retryAfterS: 60 });
    expect(a.login(PASSWORD, '203.0.113.1')).toEqual({ kind: 'locked', retryAfterS: 60 });
    expect(a.verify({ authorization: basic('wrong'), cookie: session }, '203.0.113.1').kind).toBe('allowed');
    expect(a.verify({ authorization: basic(PASSWORD) }, '203.0.113.2').kind).toBe('allowed');
    clock.now += 30_500;
    expect(a.login(PASSWORD, '203.0.113.1')).toEqual({ kind: 'locked', retryAfterS: 30 });
    clock.now += 29_500;
    expect(a.login(PASSWORD, '203.0.113.1').kind).toBe('allowed');
  });

  it('counts Basic and login attempts together, and no credentials at all as none', () => {
    const { auth: a } = auth();
    for (let i = 0; i < 5; i++) a.verify({ authorization: basic('wrong') }, '203.0.113.1');
    for (let i = 0; i < 50; i++) expect(a.verify({}, '203.0.113.1').kind).toBe('missing');
    for (let i = 0; i < 4; i++) expect(a.login('wrong', '203.0.113.1').kind).toBe('wrong');
    expect(a.login(undefined, '203.0.113.1').kind).toBe('locked');
  });
});
