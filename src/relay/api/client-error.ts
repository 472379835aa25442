import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Problem } from '../../contract/index.ts';
import { relayProblem } from './problem-reply.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before a request exists is
 * answered like every other error, `{error: Problem}` with the security headers, and the
 * connection closed. Seen on a real socket: headers over Node's 16 KiB `maxHeaderSize` (431; the
 * request line counts, so a 100 KB URL is a 431 too), bytes that are not HTTP or a malformed
 * header (400), headers that did not arrive within `headersTimeout` (408, slowloris). The error
 * is never logged: its `rawPacket` may hold a password or a cookie.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // An answer already under way on this connection (a pipelined request after an SSE stream or
  // a slow reply) cannot be followed by another: the connection is only closed, as Node does.
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) socket.write(rawAnswer(clientErrorProblem(error.code)));
  socket.destroy();
}

function clientErrorProblem(code: string | undefined): Problem {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return relayProblem({
        code: 'invalid_header',
        status: 431,
        message: 'The request line and headers are larger than the relay reads (16 KiB).',
      });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return relayProblem({
        code: 'bad_request',
        status: 408,
        message: 'The request headers did not arrive in time.',
      });
    default:
      return relayProblem({
        code: 'bad_request',
        status: 400,
        message: 'The request is not valid HTTP.',
        ...(code ? { details: code } : {}),
      });
  }
}

/** A whole HTTP/1.1 answer as bytes for the raw socket. */
function rawAnswer(problem: Problem): string {
  const body = JSON.stringify({ error: problem });
  const head = [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}
