import { describe, expect, it } from 'vitest';
import { PasswordThrottle, addressKey } from './password-throttle.ts';

function throttle(options: ConstructorParameters<typeof PasswordThrottle>[0] = {}) {
  const clock = { now: Date.UTC(2026, 0, 1) };
  return { clock, throttle: new PasswordThrottle({ now: () => clock.now, ...options }) };
}

describe('PasswordThrottle', () => {
  it('locks an address out at the tenth wrong password within 5 minutes, for 60 s', () => {
    const { clock, throttle: t } = throttle();
    for (let i = 0; i < 9; i++) expect(t.failed('203.0.113.1')).toBe(0);
    expect(t.lockedFor('203.0.113.1')).toBe(0);
    expect(t.failed('203.0.113.1')).toBe(60_000);
    expect(t.lockedFor('203.0.113.1')).toBe(60_000);
    expect(t.lockedFor('203.0.113.2')).toBe(0);
    clock.now += 59_000;
    expect(t.lockedFor('203.0.113.1')).toBe(1_000);
    clock.now += 1_000;
    expect(t.lockedFor('203.0.113.1')).toBe(0);
  });

  it('forgets failures older than the window', () => {
    const { clock, throttle: t } = throttle();
    for (let i = 0; i < 9; i++) t.failed('203.0.113.1');
    clock.now += 5 * 60_000 + 1;
    for (let i = 0; i < 9; i++) expect(t.failed('203.0.113.1')).toBe(0);
  });

  it('doubles each next lockout up to 15 minutes; a success or an hour of quiet starts afresh', () => {
    const { clock, throttle: t } = throttle();
    const lockout = () => {
      let lock = 0;
      for (let i = 0; i < 10; i++) lock = t.failed('203.0.113.1');
      clock.now += lock;
      return lock / 1000;
    };
    expect([lockout(), lockout(), lockout(), lockout(), lockout(), lockout()]).toEqual([60, 120, 240, 480, 900, 900]);
    t.succeeded('203.0.113.1');
    expect(lockout()).toBe(60);
    clock.now += 60 * 60_000 + 1;
    t.failed('198.51.100.1'); // any failure sweeps what is stale
    expect(t.size).toBe(1);
    expect(lockout()).toBe(60);
  });

  it('remembers at most maxAddresses, dropping the least recently seen', () => {
    const { throttle: t } = throttle({ maxAddresses: 100 });
    for (let i = 0; i < 10; i++) t.failed('192.0.2.1');
    for (let i = 0; i < 1_000; i++) t.failed(`10.0.${i >> 8}.${i & 255}`);
    expect(t.size).toBe(100);
    expect(t.lockedFor('192.0.2.1')).toBe(0);
  });

  it('drops stale addresses as failures come, so memory also shrinks with time', () => {
    const { clock, throttle: t } = throttle();
    for (let i = 0; i < 500; i++) t.failed(`10.0.${i >> 8}.${i & 255}`);
    expect(t.size).toBe(500);
    clock.now += 5 * 60_000 + 1;
    t.failed('192.0.2.1');
    expect(t.size).toBe(1);
  });
});

describe('addressKey', () => {
  it('counts IPv4 by address and IPv6 by /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:DB8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('1:2::3:4:5:6:7')).toBe('1:2:0:3::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });
});
