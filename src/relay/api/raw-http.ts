import net from 'node:net';

/**
 * Tests only: one HTTP exchange on a raw socket, for what `fetch` cannot send (a foreign or
 * missing `Host`, HTTP/1.0, oversized headers, bytes that are not HTTP) or cannot observe (a
 * HEAD that must end at once on a connection kept open).
 */

export interface RawAnswer {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** The socket, still open unless the server closed it; the caller destroys it. */
  socket: net.Socket;
}

export interface RawRequest {
  method?: string;
  path: string;
  /** `null` leaves the header out; default `127.0.0.1:<port>`. */
  host?: string | null;
  headers?: Record<string, string>;
  body?: string;
  /** Default `1.1`. */
  version?: '1.0' | '1.1';
  /** Default true: the server closes the socket after answering. */
  close?: boolean;
}

/** The request as bytes on the wire. */
export function requestText(port: number, request: RawRequest): string {
  const lines = [`${request.method ?? 'GET'} ${request.path} HTTP/${request.version ?? '1.1'}`];
  const host = request.host === undefined ? `127.0.0.1:${port}` : request.host;
  if (host !== null) lines.push(`Host: ${host}`);
  for (const [name, value] of Object.entries(request.headers ?? {})) lines.push(`${name}: ${value}`);
  if (request.body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(request.body)}`);
  if (request.close ?? true) lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n${request.body ?? ''}`;
}

/**
 * Sends `bytes` (or a request built by `requestText`) and resolves with the first answer once it
 * is complete: after its `Content-Length`, its last chunk, its headers alone for `head`, or when
 * the server closes the socket.
 */
export function rawExchange(
  port: number,
  bytes: string | RawRequest,
  options: { head?: boolean; timeoutMs?: number } = {},
): Promise<RawAnswer> {
  const text = typeof bytes === 'string' ? bytes : requestText(port, bytes);
  const head = options.head ?? (typeof bytes !== 'string' && bytes.method === 'HEAD');
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let settled = false;
    const timer = setTimeout(() => {
      finish(new Error(`no complete answer within ${options.timeoutMs ?? 5_000} ms: ${received.toString('latin1')}`));
    }, options.timeoutMs ?? 5_000);
    const finish = (error?: Error) => {
      if (settled) return;
      const answer = error ? undefined : parse(received, head, socket.destroyed || socket.readableEnded);
      if (!error && !answer) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        socket.destroy();
        reject(error);
      } else resolve({ ...answer!, socket });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish();
    });
    socket.on('end', () => finish());
    socket.on('close', () =>
      finish(settled ? undefined : new Error(`closed without a complete answer: ${received.toString('latin1')}`)),
    );
    // A server may answer and close before reading all we send (oversized headers): not a failure.
    socket.on('error', () => undefined);
    socket.write(text);
  });
}

function parse(received: Buffer, head: boolean, ended: boolean): Omit<RawAnswer, 'socket'> | undefined {
  const end = received.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine, ...headerLines] = received.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0);
  const rest = received.subarray(end + 4);
  if (head) return { status, headers, body: '' };
  const length = headers['content-length'];
  if (length !== undefined) {
    if (rest.length < Number(length)) return ended ? { status, headers, body: rest.toString('utf8') } : undefined;
    return { status, headers, body: rest.subarray(0, Number(length)).toString('utf8') };
  }
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const body = dechunk(rest);
    return body === undefined ? (ended ? { status, headers, body: '' } : undefined) : { status, headers, body };
  }
  return ended ? { status, headers, body: rest.toString('utf8') } : undefined;
}

function dechunk(bytes: Buffer): string | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd === -1) return undefined;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts).toString('utf8');
    if (bytes.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
