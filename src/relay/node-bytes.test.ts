import { describe, expect, it } from 'vitest';
import { portableBytes } from '../core/bytes.ts';
import { HitStore } from '../core/ingest/hit-store.ts';
import { nodeBytes } from './node-bytes.ts';

/** The Node host's byte operations must do exactly what the portable ones do, on any Uint8Array. */
describe('nodeBytes', () => {
  const text = '{"geoCity":"Zürich","pageName":"日本語 ✓"}\r\n{"x":1}\n';
  const buffer = Buffer.from(text);
  // A plain Uint8Array that is a window into a larger ArrayBuffer (not a Buffer).
  const backing = new Uint8Array(buffer.length + 7);
  backing.set(buffer, 3);
  const plain = backing.subarray(3, 3 + buffer.length);

  it('finds bytes and decodes UTF-8 as the portable operations do, Buffer or not', () => {
    for (const bytes of [buffer, plain]) {
      for (const from of [0, 5, 60]) {
        expect(nodeBytes.indexOf(bytes, 0x0a, from)).toBe(portableBytes.indexOf(bytes, 0x0a, from));
      }
      expect(nodeBytes.utf8(bytes, 0, bytes.length)).toBe(text);
      // A cut inside a multi-byte character gives U+FFFD in both.
      expect(nodeBytes.utf8(bytes, 0, 16)).toBe(portableBytes.utf8(bytes, 0, 16));
    }
  });

  it('copies a range into any Uint8Array at an offset, Buffer or not, and nothing else', () => {
    for (const source of [buffer, plain]) {
      const a = new Uint8Array(64).fill(0xaa);
      const b = new Uint8Array(64).fill(0xaa);
      nodeBytes.copy(source, a, 5, 2, 30);
      portableBytes.copy(source, b, 5, 2, 30);
      expect(a).toEqual(b);
      expect(a[4]).toBe(0xaa);
      expect(a[5 + 28]).toBe(0xaa);
    }
  });

  it('keeps hit store lines exact across slabs and the ring end', () => {
    const store = new HitStore({ capacity: 1000, maxBytes: 4096, slabBytes: 1024, bytes: nodeBytes });
    const lines: string[] = [];
    for (let i = 0; i < 120; i++) {
      const line = `{"i":${i},"pad":"${'é'.repeat(100 + ((i * 53) % 300))}"}`;
      lines.push(line);
      const chunk = new TextEncoder().encode(`..${line}\r\n`);
      store.add(`h${i}`, chunk, 2, chunk.length - 2, 0, i, i);
    }
    let held = 0;
    for (let i = 0; i < 120; i++) {
      const stored = store.get(`h${i}`);
      if (stored) {
        held++;
        expect(stored.line).toBe(lines[i]);
      }
    }
    expect(held).toBeGreaterThan(3);
    expect(store.get('h119')?.line).toBe(lines[119]);
  });
});
