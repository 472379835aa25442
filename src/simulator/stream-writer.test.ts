import { PassThrough } from 'node:stream';
import { constants, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createRandom } from './generator/index.ts';
import { chooseCut, StreamWriter } from './stream-writer.ts';

function sink() {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { out, chunks };
}

const decoded = (chunks: Buffer[]) => gunzipSync(Buffer.concat(chunks), { finishFlush: constants.Z_SYNC_FLUSH });

describe('chooseCut', () => {
  it('cuts anywhere, sometimes inside a multi-byte UTF-8 character', () => {
    const text = Buffer.from('{"geoCity":"São Paulo","x":"東京"}\r\n'.repeat(3));
    const random = createRandom(1);
    let insideCharacter = 0;
    for (let i = 0; i < 500; i++) {
      const cut = chooseCut(text, random);
      expect(cut).toBeGreaterThan(0);
      expect(cut).toBeLessThanOrEqual(text.length);
      if (cut < text.length && ((text[cut] as number) & 0xc0) === 0x80) insideCharacter++;
    }
    expect(insideCharacter).toBeGreaterThan(50);
  });
});

describe('StreamWriter', () => {
  it('compresses at uneven boundaries and the body decodes to exactly what was pushed', async () => {
    const { out, chunks } = sink();
    const written: number[] = [];
    const writer = new StreamWriter<number>(out, {
      encoding: 'gzip',
      random: createRandom(2),
      minDelayMs: 1,
      maxDelayMs: 3,
      onWritten: (n) => written.push(n),
    });
    const lines = Array.from({ length: 200 }, (_, i) => `{"i":${i},"city":"Zürich"}\r\n`);
    for (let i = 0; i < lines.length; i++) {
      writer.push(lines[i] as string, i);
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 6));
    }
    await writer.end();
    expect(decoded(chunks).toString('utf8')).toBe(lines.join(''));
    expect(written).toEqual(lines.map((_, i) => i));
    expect(chunks.length).toBeGreaterThan(3);
  });

  it('sends nothing while nothing is pushed, and nothing while stalled', async () => {
    const { out, chunks } = sink();
    const writer = new StreamWriter<number>(out, {
      encoding: 'gzip',
      random: createRandom(3),
      minDelayMs: 1,
      maxDelayMs: 2,
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(chunks).toHaveLength(0);
    writer.stall();
    writer.push('{"a":1}\r\n', 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(chunks).toHaveLength(0);
    writer.resume();
    await new Promise((r) => setTimeout(r, 30));
    expect(decoded(chunks).toString()).toBe('{"a":1}\r\n');
    writer.abort();
  });

  it('hands back the items not fully written when aborted', () => {
    const { out } = sink();
    const writer = new StreamWriter<string>(out, { encoding: 'deflate', random: createRandom(4) });
    writer.push('{"a":1}\r\n', 'a');
    writer.push('{"b":2}\r\n', 'b');
    expect(writer.abort()).toEqual(['a', 'b']);
  });

  it('writes plain bytes under identity (the bad-encoding fault)', async () => {
    const { out, chunks } = sink();
    const writer = new StreamWriter(out, {
      encoding: 'identity',
      random: createRandom(5),
      minDelayMs: 1,
      maxDelayMs: 2,
    });
    writer.push('{"plain":true}\r\n');
    await writer.end();
    expect(Buffer.concat(chunks).toString()).toBe('{"plain":true}\r\n');
  });
});
