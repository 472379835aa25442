import { describe, expect, it } from 'vitest';
import { exactIds, parseExactJson, quoteUnsafeIntegers, stringifyExact, supportsSourceText } from './exact-json.ts';

const RAW =
  '{"hitIdHigh": 1234567890123456789, "hitIdLow":18446744073709551615, "visIdHigh": 9007199254740993,' +
  ' "pageName": "Order 12345678901234567890 \\"done\\"", "n": 42, "neg": -9223372036854775808,' +
  ' "price": 12.50, "big": 1e21, "list": [1, 98765432109876543210, {"deep": 11111111111111111111}],' +
  ' "unknownField": {"kept": true}, "nothing": null}';

function checkExact(value: ReturnType<typeof parseExactJson>) {
  expect(value).toMatchObject({
    hitIdHigh: 1234567890123456789n,
    hitIdLow: 18446744073709551615n,
    visIdHigh: 9007199254740993n,
    pageName: 'Order 12345678901234567890 "done"',
    n: 42,
    neg: -9223372036854775808n,
    price: 12.5,
    big: 1e21,
    list: [1, 98765432109876543210n, { deep: 11111111111111111111n }],
    unknownField: { kept: true },
    nothing: null,
  });
}

describe('quoteUnsafeIntegers', () => {
  it('quotes only unsafe integer literals outside strings', () => {
    expect(quoteUnsafeIntegers('{"a":12345678901234567890,"b":"12345678901234567890","c":1}', '#')).toBe(
      '{"a":"#12345678901234567890","b":"12345678901234567890","c":1}',
    );
  });

  it('skips escaped quotes inside strings, fractions and exponents', () => {
    const text = '["x\\"12345678901234567890", 1.12345678901234567890, 2E+30]';
    expect(quoteUnsafeIntegers(text, '#')).toBe(text);
  });

  it('treats 2^53 + 1 as unsafe and 2^53 - 1 as safe', () => {
    expect(quoteUnsafeIntegers('[9007199254740993,9007199254740991]', '#')).toBe(
      '["#9007199254740993",9007199254740991]',
    );
  });
});

describe('parseExactJson', () => {
  it('keeps every unsafe integer exact without source text access (fallback)', () => {
    checkExact(parseExactJson(RAW, { useSourceText: false }));
  });

  it.skipIf(!supportsSourceText())('keeps every unsafe integer exact with source text access', () => {
    checkExact(parseExactJson(RAW, { useSourceText: true }));
  });

  it('parses with whatever the engine offers', () => {
    checkExact(parseExactJson(RAW));
  });

  it('throws on invalid JSON', () => {
    expect(() => parseExactJson('{"a": 1', { useSourceText: false })).toThrow(SyntaxError);
  });
});

describe('stringifyExact', () => {
  it('pretty-prints with the exact digits, and reads back to the same value', () => {
    const value = parseExactJson(RAW, { useSourceText: false });
    const text = stringifyExact(value);
    expect(text).toContain('"hitIdHigh": 1234567890123456789,');
    expect(text).toContain('"hitIdLow": 18446744073709551615,');
    expect(text).toContain(
      '  "list": [\n    1,\n    98765432109876543210,\n    {\n      "deep": 11111111111111111111\n    }\n  ],',
    );
    expect(parseExactJson(text, { useSourceText: false })).toEqual(value);
  });

  it('writes empty containers and scalars like JSON.stringify', () => {
    expect(stringifyExact({ a: [], b: {}, c: 'x\n', d: false })).toBe(
      JSON.stringify({ a: [], b: {}, c: 'x\n', d: false }, null, 2),
    );
  });
});

describe('exactIds', () => {
  it('lists the 64-bit id fields present, in contract order, as digits', () => {
    const record = parseExactJson(RAW, { useSourceText: false }) as Record<string, never>;
    expect(exactIds({ ...record, mcVisIdLow: '42' })).toEqual([
      ['hitIdHigh', '1234567890123456789'],
      ['hitIdLow', '18446744073709551615'],
      ['visIdHigh', '9007199254740993'],
      ['mcVisIdLow', '42'],
    ]);
  });
});
