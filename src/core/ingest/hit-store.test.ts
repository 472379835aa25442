import { describe, expect, it } from 'vitest';
import { HIT_STORE_CAPACITY, HIT_STORE_MAX_BYTES, HitStore } from './hit-store.ts';

function add(store: HitStore, id: string, line: string, seq = 1, shard = 0): void {
  const bytes = Buffer.from(`xx${line}yy`);
  store.add(id, bytes, 2, bytes.length - 2, shard, seq, seq * 10);
}

describe('HitStore', () => {
  it('keeps the most recent hits up to its capacity, oldest out first', () => {
    const store = new HitStore({ capacity: 3 });
    for (let i = 1; i <= 5; i++) add(store, `h${i}`, `{"seq":${i}}`, i);
    expect(store.size).toBe(3);
    expect(store.get('h1')).toBeUndefined();
    expect(store.get('h2')).toBeUndefined();
    expect(store.get('h5')).toEqual({ line: '{"seq":5}', shard: 0, seq: 5, arrivedAt: 50 });
    // Stored again: the hit is replaced and becomes the newest.
    add(store, 'h5', '{"seq":6}', 6);
    expect(store.get('h5')?.line).toBe('{"seq":6}');
    expect(store.get('h4')?.seq).toBe(4);
    add(store, 'h7', '{"seq":7}', 7);
    expect(store.get('h5')?.seq).toBe(6);
    expect(store.size).toBeLessThanOrEqual(3);
  });

  it('copies the line: the chunk it came in may be reused at once', () => {
    const store = new HitStore();
    const chunk = Buffer.from('{"pageName":"Zürich"}\r\n{"other":1}');
    store.add('a', chunk, 0, chunk.indexOf('\r'), 2, 1, 1);
    chunk.fill(0);
    expect(store.get('a')).toMatchObject({ line: '{"pageName":"Zürich"}', shard: 2 });
  });

  it('is bounded in bytes: long lines evict the oldest, a line never lost across slabs or the ring end', () => {
    const store = new HitStore({ capacity: 1000, maxBytes: 4096, slabBytes: 1024 });
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) {
      // 300–1,099 bytes: lines straddle slabs and wrap round the ring.
      const line = `{"i":${i},"pad":"${'é'.repeat(140 + ((i * 37) % 400))}"}`;
      lines.push(line);
      add(store, `id${i}`, line, i);
      expect(store.bytes).toBeLessThanOrEqual(4096);
      expect(store.allocatedBytes).toBeLessThanOrEqual(4096 + 1024);
      expect(store.get(`id${i}`)?.line).toBe(line);
    }
    // What is held is exactly the newest lines that fit.
    let bytes = 0;
    let held = 0;
    for (let i = 199; i >= 0 && bytes + Buffer.byteLength(lines[i]!) <= 4096; i--) {
      bytes += Buffer.byteLength(lines[i]!);
      held++;
      expect(store.get(`id${i}`)?.line).toBe(lines[i]);
    }
    expect(store.size).toBe(held);
    expect(store.get(`id${199 - held}`)).toBeUndefined();
    expect(store.add('huge', Buffer.alloc(5000, 0x61), 0, 5000, 0, 1, 1)).toBe(false);
    expect(store.get('huge')).toBeUndefined();
  });

  it('holds the records’ bytes, not the chunks’: 16,000 tiny records each in its own 60 KB chunk', () => {
    const store = new HitStore();
    let recordBytes = 0;
    for (let i = 0; i < 16_000; i++) {
      const chunk = Buffer.alloc(60 * 1024, 0x20);
      const line = `{"hitIdHigh":${i},"hitIdLow":1,"pageName":"p"}`;
      chunk.write(line, 0);
      recordBytes += line.length;
      store.add(`${i}-1`, chunk, 0, line.length, 0, i, i);
    }
    expect(store.size).toBe(16_000);
    expect(store.bytes).toBe(recordBytes);
    // ~0.7 MB of lines: the arena holds them in one slab (plus the spare at most).
    expect(store.allocatedBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(store.get('15999-1')?.line).toBe('{"hitIdHigh":15999,"hitIdLow":1,"pageName":"p"}');
  });

  it('defaults to 20,000 hits and 64 MiB, and lets slabs go once no hit is in them', () => {
    const store = new HitStore();
    expect(store.capacity).toBe(HIT_STORE_CAPACITY);
    expect(store.maxBytes).toBe(HIT_STORE_MAX_BYTES);
    const line = Buffer.alloc(200 * 1024, 0x61);
    // 1,000 lines of 200 KB: 200 MB through a 64 MiB store.
    for (let i = 0; i < 1000; i++) {
      store.add(`l${i}`, line, 0, line.length, 0, i, i);
      expect(store.bytes).toBeLessThanOrEqual(HIT_STORE_MAX_BYTES);
      expect(store.allocatedBytes).toBeLessThanOrEqual(HIT_STORE_MAX_BYTES + 1024 * 1024);
    }
    expect(store.size).toBe(Math.floor(HIT_STORE_MAX_BYTES / line.length));
    // Small lines from now on: the big ones leave, and so do their slabs.
    for (let i = 0; i < HIT_STORE_CAPACITY; i++) add(store, `s${i}`, `{"i":${i}}`, i);
    expect(store.size).toBe(HIT_STORE_CAPACITY);
    expect(store.allocatedBytes).toBeLessThanOrEqual(3 * 1024 * 1024);
  });
});
