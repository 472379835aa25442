import type { IncomingMessage } from 'node:http';
import { EXACT_INT_FIELDS } from '../contract/index.ts';

/** Reads a request body as text, refusing more than `limit` bytes. */
export function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const EXACT_BARE = new RegExp(`"(${EXACT_INT_FIELDS.join('|')})"(\\s*:\\s*)(\\d+)(?=\\s*[,}\\]])`, 'g');

/**
 * `JSON.parse`, except that the 64-bit id fields (`hitIdHigh`…) written as bare numbers are
 * read as decimal strings, keeping every digit, as the contract's records hold them.
 */
export function parseJsonKeepingIds(text: string): unknown {
  return JSON.parse(text.replace(EXACT_BARE, '"$1"$2"$3"'));
}
