import { describe, expect, it } from 'vitest';
import {
  MAX_RECORD_BYTES,
  parseExact,
  parseHitLine,
  quoteUnsafeIntegers,
  RecordDecoder,
  type DecodedRecord,
} from './decode.ts';

function collect() {
  const records: DecodedRecord[] = [];
  const malformed: { line: string; reason: string }[] = [];
  const decoder = new RecordDecoder({
    record: (r) => records.push(r),
    malformed: (line, reason) => malformed.push({ line, reason }),
  });
  return { decoder, records, malformed };
}

const HIGH = '2948027281753079808';
const LOW = '18446744073709551615';

describe('RecordDecoder', () => {
  it('decodes CRLF records split at every possible byte, including inside a UTF-8 character', () => {
    const text = `{"hitIdHigh":${HIGH},"hitIdLow":${LOW},"geoCity":"東京","pageName":"Zürich → São Paulo"}\r\n\r\n{"hitIdHigh":1,"hitIdLow":2,"geoCity":"Kraków"}\r\n`;
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const { decoder, records, malformed } = collect();
      decoder.push(bytes.subarray(0, cut));
      decoder.push(bytes.subarray(cut));
      expect(malformed, `cut at ${cut}`).toEqual([]);
      expect(records.map((r) => r.record.geoCity)).toEqual(['東京', 'Kraków']);
      expect(records[0]!.hitId).toBe(`${HIGH}-${LOW}`);
      expect(records[0]!.record.pageName).toBe('Zürich → São Paulo');
    }
  });

  it('decodes one byte at a time, LF or CRLF, and skips empty records', () => {
    const { decoder, records, malformed } = collect();
    const text = '{"a":1}\n\r\n   \r\n{"a":2}\r\n\n{"a":3}';
    for (const byte of Buffer.from(text)) decoder.push(Buffer.from([byte]));
    decoder.end();
    expect(records.map((r) => r.record.a)).toEqual([1, 2, 3]);
    expect(records.map((r) => r.line)).toEqual(['{"a":1}', '{"a":2}', '{"a":3}']);
    expect(malformed).toEqual([]);
  });

  it('keeps 19- and 20-digit hit ids exact where JSON.parse would corrupt them', () => {
    const line = `{"hitIdHigh":${HIGH},"hitIdLow":${LOW},"visIdHigh":9007199254740993,"visIdLow":42}`;
    expect(String((JSON.parse(line) as { hitIdLow: number }).hitIdLow)).not.toBe(LOW);
    const { decoder, records } = collect();
    decoder.push(Buffer.from(`${line}\r\n`));
    expect(records[0]!.record).toMatchObject({ hitIdHigh: HIGH, hitIdLow: LOW });
    expect(records[0]!.hitId).toBe(`${HIGH}-${LOW}`);
    expect(records[0]!.line).toBe(line);
    const { bytes, start, end } = records[0]!;
    expect(new TextDecoder().decode(bytes.subarray(start, end))).toBe(line);
    // The careful parse is exact for every field.
    expect(parseExact(line)).toMatchObject({
      hitIdHigh: HIGH,
      hitIdLow: LOW,
      visIdHigh: '9007199254740993',
      visIdLow: '42',
    });
  });

  it('reads hit ids from the text only where it cannot be fooled', () => {
    // Keys in any order, spaces around the colon, the key's name inside a string first.
    expect(parseHitLine(`{"note":"xhitIdHigh\\" 1","hitIdLow" : ${LOW},"hitIdHigh": ${HIGH}}`)).toMatchObject({
      hitIdHigh: HIGH,
      hitIdLow: LOW,
    });
    // A nested field of the same name first: the top-level value wins.
    expect(
      parseHitLine(`{"products":[{"hitIdHigh":12345678901234567890}],"hitIdHigh":${HIGH},"hitIdLow":7}`),
    ).toMatchObject({ hitIdHigh: HIGH, hitIdLow: '7' });
    // Safe integers and digit strings are exact as parsed.
    expect(parseHitLine('{"hitIdHigh":12,"hitIdLow":"34"}')).toEqual({ hitIdHigh: 12, hitIdLow: '34' });
    // Not an id at all: left as parsed (the record then gets an id from its bytes).
    expect(parseHitLine('{"hitIdHigh":-1e30,"hitIdLow":1.5}')).toEqual({ hitIdHigh: -1e30, hitIdLow: 1.5 });
  });

  it('reports a runaway line once, never holding more than the limit, and resumes at the next line break', () => {
    const { decoder, records, malformed } = collect();
    const big = Buffer.alloc(64 * 1024, 0x61);
    let most = 0;
    for (let sent = 0; sent <= 4 * MAX_RECORD_BYTES; sent += big.length) {
      decoder.push(big);
      most = Math.max(most, decoder.pendingBytes, decoder.pendingCapacity);
    }
    decoder.push(Buffer.from('aaa\r\n{"a":1}\r\n'));
    expect(most).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    expect(malformed).toHaveLength(1);
    expect(malformed[0]!.reason).toBe(`record longer than ${MAX_RECORD_BYTES} bytes`);
    expect(malformed[0]!.line).toBe('a'.repeat(256));
    expect(records.map((r) => r.record.a)).toEqual([1]);
  });

  it('accepts a record of exactly the limit and counts one byte more as malformed, in one chunk or many', () => {
    const line = (bytes: number) => `{"pageName":"${'p'.repeat(bytes - 15)}"}`;
    expect(Buffer.byteLength(line(MAX_RECORD_BYTES))).toBe(MAX_RECORD_BYTES);
    for (const cut of [0, 1, 100_000, MAX_RECORD_BYTES - 1, MAX_RECORD_BYTES]) {
      const { decoder, records, malformed } = collect();
      const bytes = Buffer.from(`${line(MAX_RECORD_BYTES)}\n${line(MAX_RECORD_BYTES + 1)}\n{"a":2}\n`);
      decoder.push(bytes.subarray(0, cut));
      decoder.push(bytes.subarray(cut));
      expect(
        records.map((r) => r.line.length),
        `cut at ${cut}`,
      ).toEqual([MAX_RECORD_BYTES, 7]);
      expect(malformed.map((m) => m.reason)).toEqual([`record longer than ${MAX_RECORD_BYTES} bytes`]);
    }
  });

  it('keeps no reference to a chunk: the caller may reuse it', () => {
    const { decoder, records } = collect();
    const chunk = Buffer.from('{"pageName":"kept"');
    decoder.push(chunk);
    chunk.fill(0x78);
    decoder.push(Buffer.from('}\n'));
    expect(records.map((r) => r.record.pageName)).toEqual(['kept']);
  });

  it('decodes a record nested 100,000 deep', () => {
    const { decoder, records, malformed } = collect();
    const deep = `{"hitIdHigh":1,"hitIdLow":2,"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    decoder.push(Buffer.from(`${deep}\r\n`));
    expect(malformed).toEqual([]);
    expect(records.map((r) => r.hitId)).toEqual(['1-2']);
  });

  it('never reads an id out of a number that is not an integer literal', () => {
    // `JSON.parse` rounds both to 12345678901234567000; the digits before `.`/`e` are not the id.
    expect(parseHitLine('{"hitIdHigh":1.2345678901234567e19,"hitIdLow":5}')).not.toMatchObject({ hitIdHigh: '1' });
    expect(parseExact('{"hitIdHigh":1.2345678901234567e19,"hitIdLow":5}')).not.toMatchObject({ hitIdHigh: '1' });
    expect(parseHitLine('{"hitIdHigh":12345678901234567890.5,"hitIdLow":5}')).not.toMatchObject({
      hitIdHigh: '12345678901234567890',
    });
  });

  it('keeps unknown fields, and exact digits of a 64-bit field it has never seen', () => {
    const record = parseExact(
      `{"brandNew":{"deep":[12345678901234567890, 1.5, -3]},"note":"id 12345678901234567890 in text","x":1}`,
    );
    expect(record).toEqual({
      brandNew: { deep: ['12345678901234567890', 1.5, -3] },
      note: 'id 12345678901234567890 in text',
      x: 1,
    });
  });

  it('leaves safe numbers and strings alone when quoting', () => {
    expect(
      quoteUnsafeIntegers('{"a":"9999999999999999999","b":9007199254740991,"c":[1e25, 9999999999999999999]}'),
    ).toBe('{"a":"9999999999999999999","b":9007199254740991,"c":[1e25, "9999999999999999999"]}');
  });

  it('counts lines that are not JSON objects and keeps going', () => {
    const { decoder, records, malformed } = collect();
    decoder.push(Buffer.from('{"a":1}\r\n{"pageName": "trunc\r\nnot json at all\r\n[1,2]\r\n{"a":2}\r\n'));
    expect(records.map((r) => r.record.a)).toEqual([1, 2]);
    expect(malformed.map((m) => m.line)).toEqual(['{"pageName": "trunc', 'not json at all', '[1,2]']);
    expect(malformed[2]!.reason).toBe('not a JSON object');
  });

  it('gives records without hit ids a stable id from their bytes', () => {
    const a = collect();
    const b = collect();
    a.decoder.push(Buffer.from('{"pageName":"home"}\n'));
    b.decoder.push(Buffer.from('{"pageName":"home"}\r\n'));
    expect(a.records[0]!.hitId).toMatch(/^x[0-9a-f]{16}$/);
    expect(a.records[0]!.hitId).toBe(b.records[0]!.hitId);
  });
});
