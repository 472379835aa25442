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

  it('masks the summary fields derived from a listed field: the device read from the mobile fields or the user agent', () => {
    const summary = {
      seq: 1,
      hitId: '1-2',
      shard: 0,
      arrivedAt: 0,
      device: 'Apple iPhone 15',
      deviceType: 'Mobile Phone',
      browser: 'Safari',
    };
    expect(new Redactor(['mobileDeviceName']).summary(summary)).toMatchObject({
      device: '[redacted]',
      deviceType: 'Mobile Phone',
      browser: 'Safari',
    });
    expect(new Redactor(['userAgent']).summary(summary)).toMatchObject({
      device: '[redacted]',
      deviceType: '[redacted]',
    });
    expect(new Redactor(['ip']).summary(summary)).toBe(summary);
  });

  it('masks inside free text', () => {
    const redactor = new Redactor(['ip', 'geoCity']);
    expect(redactor.text('{"ip":"198.51.100.7","geoCity":"Lyon","n":1} from 10.1.2.3')).toBe(
      '{"ip":"198.51.100.xxx","geoCity":"[redacted]","n":1} from 10.1.2.xxx',
    );
  });
});

describe('Redactor.line', () => {
  const redactor = new Redactor(['ip', 'evars.evars.eVar5', 'geoCity', 'a.b.c']);

  it('masks listed values in the text and leaves every other byte as received', () => {
    const line =
      '{ "hitIdHigh": 18446744073709551615 , "ip":"198.51.100.7","evars":{"evars":{"eVar1":"x","eVar5":{"nested":[1,2]}}},' +
      '"geoCity":"Lyon","pageName":"a \\"ip\\": \\"1.2.3.4\\"","n":1.50}';
    expect(redactor.line(line)).toBe(
      '{ "hitIdHigh": 18446744073709551615 , "ip":"198.51.100.xxx","evars":{"evars":{"eVar1":"x","eVar5":"[redacted]"}},' +
        '"geoCity":"[redacted]","pageName":"a \\"ip\\": \\"1.2.3.4\\"","n":1.50}',
    );
    const untouched = '{"pageName":"home","list":[{"ip":"1.2.3.4"}],"other":{"ip":"5.6.7.8"}}';
    expect(redactor.line(untouched)).toBe(untouched);
    expect(new Redactor([]).line(untouched)).toBe(untouched);
  });

  it('masks a repeated key, an escaped key and a non-string ip, and reads any value shape', () => {
    expect(redactor.line('{"ip":"1.2.3.4","ip":"5.6.7.8"}')).toBe('{"ip":"1.2.3.xxx","ip":"5.6.7.xxx"}');
    expect(redactor.line('{"\\u0069p":"1.2.3.4"}')).toBe('{"\\u0069p":"1.2.3.xxx"}');
    expect(redactor.line('{"ip":null,"geoCity":["a",{"b":"}"}],"x":true}')).toBe(
      '{"ip":"[redacted]","geoCity":"[redacted]","x":true}',
    );
    expect(redactor.line('{"a":{"b":"not an object"},"a":{"b":{"c":-1e5,"d":2}}}')).toBe(
      '{"a":{"b":"not an object"},"a":{"b":{"c":"[redacted]","d":2}}}',
    );
    expect(redactor.line('[1]')).toBeUndefined();
  });

  it('walks a record nested 100,000 deep without recursion', () => {
    const deep = `{"x":${'['.repeat(100_000)}${']'.repeat(100_000)},"geoCity":"Lyon","deep":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    expect(redactor.line(deep)).toBe(deep.replace('"Lyon"', '"[redacted]"'));
    const record = JSON.parse(deep) as Record<string, unknown>;
    expect(redactor.record(record).geoCity).toBe('[redacted]');
    expect(record.geoCity).toBe('Lyon');
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
