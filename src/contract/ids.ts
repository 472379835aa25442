interface RandomSource {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

/**
 * A random RFC 4122 version-4 UUID. Uses `crypto.getRandomValues`, which exists in Node 20 and
 * in every browser context (unlike `crypto.randomUUID`, which needs a secure context and would
 * fail on a demo served over plain HTTP).
 */
export function randomUuid(): string {
  const bytes = new Uint8Array(16);
  const source = (globalThis as { crypto?: RandomSource }).crypto;
  if (source) {
    source.getRandomValues(bytes);
  } else {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
