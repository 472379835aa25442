import type { ByteOps } from '../core/bytes.ts';

/**
 * The core's byte operations on Node's native ones: `Buffer#indexOf` is a native scan, about ten
 * times faster than `Uint8Array#indexOf` over a 64 KiB chunk (gunzip hands Buffers; anything
 * else gets a Buffer view, no copy); `TextDecoder` is as fast as `Buffer#toString` for UTF-8;
 * `Buffer#copy` copies a 1.5 KB line into the hit store in ~0.26 µs where
 * `Uint8Array#set(subarray)` takes ~0.59 (it makes a view object per call).
 */
const decoder = new TextDecoder();

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const nodeBytes: ByteOps = {
  indexOf: (bytes, byte, from) => asBuffer(bytes).indexOf(byte, from),
  utf8: (bytes, start, end) => decoder.decode(bytes.subarray(start, end)),
  copy: (source, target, offset, start, end) => {
    asBuffer(source).copy(target, offset, start, end);
  },
};
