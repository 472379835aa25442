/**
 * What the core asks of a host's connector: one attempt to open the stream, answered by an open
 * stream, an HTTP refusal or a failure with no HTTP answer. The Node host's connector
 * (src/relay/upstream/connect.ts) speaks HTTP/1.1 with redirects and gunzip; the mock host's
 * plays a scenario's script. Both hand the supervisor the same shapes.
 */

export interface ConnectRequest {
  /** Which shard (connection slot) asks; Livestream tells them apart by itself, a script may not. */
  shard: number;
  url: string;
  token: string;
  /** Sent as `x-api-key`; empty for a static token without a client id: then no `x-api-key` is sent. */
  apiKey: string;
  userAgent?: string;
  /** From socket creation to TCP/TLS connected. Default 10 s (Adobe's sample client). */
  connectTimeoutMs?: number;
  /** From request sent to response headers. Default 30 s. */
  headerTimeoutMs?: number;
  maxRedirects?: number;
  /** Hosts a redirect may lead to with the credentials, beside the configured one (`LIVESTREAM_REDIRECT_HOSTS`). */
  redirectHosts?: readonly string[];
  /** Reading an error body gives up after this long. Default 5 s. */
  errorBodyTimeoutMs?: number;
  /** Aborts the attempt (relay shutdown). */
  signal?: AbortSignal;
}

export type Connector = (request: ConnectRequest) => Promise<ConnectOutcome>;

/** Why a stream's body stopped other than by ending. `code` starting with `Z_`: not compressed as announced. */
export interface BodyError {
  code?: string;
  message: string;
}

/**
 * The decompressed body of an open stream. `listen` is called once: `data` for every chunk (the
 * chunk is the listener's until it returns), then at most one of `end` (the server finished the
 * body) or `error` (it broke, or the connection closed); anything after that is ignored.
 */
export interface StreamBody {
  listen(handlers: { data(chunk: Uint8Array): void; end(): void; error(error: BodyError): void }): void;
}

export interface OpenStream {
  kind: 'open';
  status: number;
  /** Where the stream was finally served from, after redirects. */
  url: string;
  redirects: number;
  requestId?: string;
  encoding: string;
  body: StreamBody;
  /** Raw (compressed) bytes of the body received so far. */
  compressedBytes(): number;
  /**
   * Bytes read on the socket so far (headers, chunk framing and TLS records included): what the
   * stall clock watches, so a gzip flush that decompresses to nothing still keeps a stream alive.
   */
  socketBytes(): number;
  /** Closes the connection; idempotent. Nothing is delivered after it. */
  close(): void;
}

export interface HttpRefusal {
  kind: 'http-error';
  status: number;
  url: string;
  /**
   * The URL the attempt started from (the configured one, before redirects), when the caller
   * knows it: a 424's enable call is named on the configured host.
   */
  requestedUrl?: string;
  redirects: number;
  requestId?: string;
  /** Seconds, from a `Retry-After` header (delta or HTTP date). */
  retryAfterS?: number;
  contentType: string;
  /** At most 64 KiB of the body, decompressed when it was compressed. */
  body: string;
}

export interface ConnectFailure {
  kind: 'failure';
  code: 'network_connection_failure' | 'network_connection_timeout' | 'too_many_redirects' | 'untrusted_redirect';
  message: string;
  url: string;
}

export type ConnectOutcome = OpenStream | HttpRefusal | ConnectFailure;

/** Seconds of a `Retry-After` header: a delta, or an HTTP date measured from `now`. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
