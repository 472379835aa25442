import { describe, expect, it } from 'vitest';
import { Dedup } from './dedup.ts';
import { maskIp, Redactor } from './redact.ts';

describe('Redactor', () => {
  it('keeps the first three octets of an IPv4 address', () => {
    expect(maskIp('203.0.113.42')).toBe('203.0.113.xxx');
    expect(maskIp('2001:db8:85a3:0:0:8a2e:370:7334')).toBe('2001:db8:85a3::xxxx');
    expect(maskIp(42)).toBe('[redacted]');
  });

  it('masks listed fields of a record, nested ones by dotted name, without touching the original', () => {
    const redactor = new Redactor(['ip', 'evars.evars.eVar5', 'geoCity']);
    const record = {
      ip: '198.51.100.7',
      geoCity: 'Lyon',
      evars: { evars: { eVar5: 'email@example.com', eVar1: 'x' } },
      pageName: 'home',
    };
    expect(redactor.record(record)).toEqual({
      ip: '198.51.100.xxx',
      geoCity: '[redacted]',
      evars: { evars: { eVar5: '[redacted]', eVar1: 'x' } },
      pageName: 'home',
    });
    expect(record.ip).toBe('198.51.100.7');
    expect(
      redactor.summary({ seq: 1, hitId: '1-2', shard: 0, arrivedAt: 0, geoCity: 'Lyon', pageName: 'home' }),
    ).toMatchObject({ geoCity: '[redacted]', pageName: 'home' });
    const untouched = { pageName: 'x' };
    expect(redactor.record(untouched)).toBe(untouched);
  });

  it('masks inside free text', () => {
    const redactor = new Redactor(['ip', 'geoCity']);
    expect(redactor.text('{"ip":"198.51.100.7","geoCity":"Lyon","n":1} from 10.1.2.3')).toBe(
      '{"ip":"198.51.100.xxx","geoCity":"[redacted]","n":1} from 10.1.2.xxx',
    );
  });
});

describe('Dedup', () => {
  it('drops a repeated id and stays bounded', () => {
    const dedup = new Dedup(3);
    expect(['a', 'b', 'a', 'c', 'b'].map((id) => dedup.add(id))).toEqual([true, true, false, true, false]);
    for (let i = 0; i < 100; i++) dedup.add(`x${i}`);
    expect(dedup.size).toBeLessThanOrEqual(6);
    expect(dedup.add('x99')).toBe(false);
  });
});
