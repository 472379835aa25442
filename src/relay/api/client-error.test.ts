import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { answerClientError } from './client-error.ts';

function socket(inFlight?: { headersSent: boolean }) {
  const stream = new PassThrough() as PassThrough & { _httpMessage?: { headersSent: boolean } };
  if (inFlight) stream._httpMessage = inFlight;
  const written: string[] = [];
  stream.on('data', (chunk: Buffer) => written.push(chunk.toString('utf8')));
  return { stream, written: () => written.join('') };
}

const error = (code: string) => Object.assign(new Error(code), { code });

describe('answerClientError', () => {
  it('answers a Problem with the security headers, then closes', async () => {
    for (const [code, status, problemCode] of [
      ['HPE_HEADER_OVERFLOW', 431, 'invalid_header'],
      ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'bad_request'],
      ['HPE_INVALID_METHOD', 400, 'bad_request'],
    ] as const) {
      const { stream, written } = socket();
      answerClientError(error(code), stream);
      await new Promise((resolve) => setImmediate(resolve));
      expect(stream.destroyed).toBe(true);
      const [head, body] = written().split('\r\n\r\n');
      expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(head).toContain('\r\nx-content-type-options: nosniff');
      expect(head).toContain('\r\nconnection: close');
      expect(head).toContain(`\r\ncontent-length: ${Buffer.byteLength(body!)}`);
      expect(JSON.parse(body!)).toMatchObject({ error: { status, code: problemCode, source: 'relay' } });
    }
  });

  it('writes nothing over an answer already under way, or after a reset', async () => {
    const busy = socket({ headersSent: true });
    answerClientError(error('HPE_INVALID_METHOD'), busy.stream);
    const reset = socket();
    answerClientError(error('ECONNRESET'), reset.stream);
    await new Promise((resolve) => setImmediate(resolve));
    expect(busy.written()).toBe('');
    expect(busy.stream.destroyed).toBe(true);
    expect(reset.written()).toBe('');
  });
});
