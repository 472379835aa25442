/**
 * The byte operations on the ingest's hot path, injectable so the core stays portable
 * (`Uint8Array` and `TextDecoder`, in any host) while the Node host plugs in `Buffer`'s native
 * `indexOf` (about ten times faster than `Uint8Array.prototype.indexOf` over a 64 KiB chunk) and
 * `copy`.
 */
export interface ByteOps {
  /** Index of `byte` in `bytes` at or after `from`, or -1. */
  indexOf(bytes: Uint8Array, byte: number, from: number): number;
  /** The UTF-8 text of `bytes[start, end)` (invalid sequences become U+FFFD). */
  utf8(bytes: Uint8Array, start: number, end: number): string;
  /** `source[start, end)` copied into `target` at `offset` (the hit store's copy of each line). */
  copy(source: Uint8Array, target: Uint8Array, offset: number, start: number, end: number): void;
}

const decoder = new TextDecoder();

/** Works in every host. */
export const portableBytes: ByteOps = {
  indexOf: (bytes, byte, from) => bytes.indexOf(byte, from),
  utf8: (bytes, start, end) => decoder.decode(bytes.subarray(start, end)),
  copy: (source, target, offset, start, end) => copyBytes(source, target, offset, start, end),
};

/** `bytes[start, end)` copied into `target` at `offset`. */
export function copyBytes(source: Uint8Array, target: Uint8Array, offset: number, start: number, end: number): void {
  target.set(source.subarray(start, end), offset);
}
