import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { stringifyRecord } from '../../contract/index.ts';
import { RecordDecoder, type DecodedRecord } from './decode.ts';

/**
 * The decoder against any stream: records, garbage, empty and oversize lines, cut into chunks at
 * any byte (inside UTF-8 characters and CRLF pairs included). A small limit keeps oversize lines
 * cheap to generate; the code path is the same as with `MAX_RECORD_BYTES`.
 */

const LIMIT = 2048;

type Line =
  | { kind: 'record'; text: string; hitId: string }
  | { kind: 'garbage'; text: string }
  | { kind: 'oversize'; text: string }
  | { kind: 'blank'; text: string };

const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const text = fc.string({ unit: 'binary', maxLength: 40 });

const recordLine: fc.Arbitrary<Line> = fc
  .record({
    high: uint64,
    low: uint64,
    pageName: text,
    geoCity: fc.option(text, { nil: undefined }),
    extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 4 }),
  })
  .map(({ high, low, pageName, geoCity, extra }) => {
    const line = stringifyRecord({
      ...extra,
      hitIdHigh: high.toString(),
      hitIdLow: low.toString(),
      pageName,
      ...(geoCity === undefined ? {} : { geoCity }),
    });
    return { kind: 'record', text: line, hitId: `${high}-${low}` } as const;
  })
  // With its CR the line must still fit.
  .filter((line) => Buffer.byteLength(line.text) < LIMIT);

// Never a JSON object: `#` cannot start JSON text.
const garbageLine: fc.Arbitrary<Line> = text.map((t) => ({
  kind: 'garbage',
  text: `#${t.replace(/[\r\n]/g, ' ')}`,
}));

const oversizeLine: fc.Arbitrary<Line> = fc
  .tuple(fc.integer({ min: LIMIT + 1, max: 4 * LIMIT }), fc.constantFrom('a', 'é', '東', '😀'), fc.boolean())
  .map(([bytes, char, json]) => {
    const body = char.repeat(Math.ceil(bytes / Buffer.byteLength(char)));
    return { kind: 'oversize', text: json ? `{"pageName":"${body}"}` : body };
  });

const blankLine: fc.Arbitrary<Line> = fc.constantFrom('', ' ', '\t  ').map((t) => ({ kind: 'blank', text: t }));

const stream = fc.record({
  lines: fc.array(fc.oneof({ arbitrary: recordLine, weight: 6 }, garbageLine, oversizeLine, blankLine), {
    maxLength: 25,
  }),
  crlf: fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
  lastBreak: fc.boolean(),
  cuts: fc.array(fc.nat(), { maxLength: 40 }),
});

function decode(chunks: Buffer[]) {
  const records: DecodedRecord[] = [];
  const malformed: { line: string; reason: string }[] = [];
  let maxPending = 0;
  let maxCapacity = 0;
  const decoder = new RecordDecoder(
    {
      record: (r) =>
        records.push({ ...r, bytes: Buffer.from(r.bytes.subarray(r.start, r.end)), start: 0, end: r.end - r.start }),
      malformed: (line, reason) => malformed.push({ line, reason }),
    },
    { maxRecordBytes: LIMIT },
  );
  for (const chunk of chunks) {
    decoder.push(chunk);
    maxPending = Math.max(maxPending, decoder.pendingBytes);
    maxCapacity = Math.max(maxCapacity, decoder.pendingCapacity);
  }
  decoder.end();
  return { records, malformed, maxPending, maxCapacity };
}

function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

test.prop([stream])(
  'emits exactly the records sent, whatever the chunking, and holds at most the limit',
  ({ lines, crlf, lastBreak, cuts }) => {
    const text = lines
      .map((line, i) => line.text + (i < lines.length - 1 || lastBreak ? (crlf[i] ? '\r\n' : '\n') : ''))
      .join('');
    const bytes = Buffer.from(text, 'utf8');
    const { records, malformed, maxPending, maxCapacity } = decode(split(bytes, cuts));
    const sent = lines.filter((l): l is Extract<Line, { kind: 'record' }> => l.kind === 'record');
    expect(records.map((r) => r.line)).toEqual(sent.map((l) => l.text));
    expect(records.map((r) => r.hitId)).toEqual(sent.map((l) => l.hitId));
    // The bytes handed over are the line's, exactly.
    expect(records.map((r) => new TextDecoder().decode(r.bytes.subarray(0, r.end)))).toEqual(sent.map((l) => l.text));
    const bad = lines.filter((l) => l.kind === 'garbage' || l.kind === 'oversize');
    expect(malformed).toHaveLength(bad.length);
    malformed.forEach((m, i) => {
      if (bad[i]!.kind === 'oversize') expect(m.reason).toMatch(/longer than 2048 bytes/);
      else expect(m.line).toBe(bad[i]!.text);
    });
    expect(maxPending).toBeLessThanOrEqual(LIMIT);
    expect(maxCapacity).toBeLessThanOrEqual(LIMIT);
  },
);

test.prop([fc.uint8Array({ maxLength: 12_000 }), fc.array(fc.nat(), { maxLength: 30 })])(
  'never throws on random bytes, and never holds more than the limit',
  (raw, cuts) => {
    const { records, maxPending, maxCapacity } = decode(split(Buffer.from(raw), cuts));
    for (const r of records) expect(Buffer.byteLength(r.line)).toBeLessThanOrEqual(LIMIT);
    expect(maxPending).toBeLessThanOrEqual(LIMIT);
    expect(maxCapacity).toBeLessThanOrEqual(LIMIT);
  },
);
