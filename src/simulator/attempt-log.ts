import type { IncomingHttpHeaders } from 'node:http';

/**
 * One request to the simulator's stream or token endpoint, as `GET /__sim/connections` lists
 * it. Times are epoch ms on the simulator's clock. A test reads these to prove that a client
 * never churned (connect times, statuses) and always sent the right headers.
 */
export interface ConnectionAttempt {
  id: number;
  kind: 'stream' | 'token' | 'other';
  /** When the request arrived (ms). */
  at: number;
  /** Local port it arrived on (the main port or the redirect port). */
  port: number;
  method: string;
  httpVersion: string;
  path: string;
  query: Record<string, string>;
  /** Status answered; 0 while undecided or when the socket was destroyed without an answer. */
  status: number;
  /** The `error` code of the answer's body, for refusals. */
  error?: string;
  /** Where a redirect pointed. */
  location?: string;
  slot?: number;
  maxConnections?: number;
  /** Token requests: the `client_id` of the form (never the secret). */
  clientId?: string;
  /** Request headers, lower-case names; `authorization` masked as `Bearer ****abcd`. */
  headers: Record<string, string>;
  closedAt?: number;
  /** `client-closed`, `sim-drop`, `sim-end`, `slow-consumer`, `shutdown`, `socket-destroyed`. */
  closeReason?: string;
  /** Body bytes written on the wire (compressed). */
  bytes: number;
  /** Records written (duplicates included; empty and malformed lines excluded). */
  hits: number;
}

/** `Bearer ****abcd`: the scheme and the last four characters, never the secret part. */
export function maskAuthorization(value: string): string {
  const match = /^(\S+)\s+(\S*)/.exec(value.trim());
  const scheme = match?.[1] ?? '';
  const secret = match ? (match[2] ?? '') : value.trim();
  const tail = secret.length > 8 ? secret.slice(-4) : '';
  return `${scheme ? `${scheme} ` : ''}****${tail}`;
}

const MASKED = new Set(['cookie', 'proxy-authorization']);

export function maskHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    out[name] = name === 'authorization' ? maskAuthorization(value) : MASKED.has(name) ? '****' : value;
  }
  return out;
}

/** The attempt log: newest last, bounded (the oldest entries go first). */
export class AttemptLog {
  readonly #entries: ConnectionAttempt[] = [];
  readonly #limit: number;
  readonly #log: ((line: string) => void) | undefined;
  #nextId = 1;

  constructor(options: { limit?: number; log?: (line: string) => void } = {}) {
    this.#limit = options.limit ?? 10_000;
    this.#log = options.log;
  }

  begin(fields: Omit<ConnectionAttempt, 'id' | 'status' | 'bytes' | 'hits'>): ConnectionAttempt {
    const attempt: ConnectionAttempt = { id: this.#nextId++, status: 0, bytes: 0, hits: 0, ...fields };
    this.#entries.push(attempt);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
    return attempt;
  }

  /** Records the answer and writes the attempt's one log line. */
  answer(attempt: ConnectionAttempt, status: number, extra: Partial<ConnectionAttempt> = {}): void {
    Object.assign(attempt, extra, { status });
    this.#log?.(describeAttempt(attempt));
  }

  list(): ConnectionAttempt[] {
    return this.#entries.map((entry) => ({ ...entry, query: { ...entry.query }, headers: { ...entry.headers } }));
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

/** One line for an operator: time, kind, request, port, answer; the token only masked. */
export function describeAttempt(attempt: ConnectionAttempt): string {
  const query = new URLSearchParams(attempt.query).toString();
  const parts = [
    new Date(attempt.at).toISOString(),
    attempt.kind,
    `#${attempt.id}`,
    `${attempt.method} ${attempt.path}${query ? `?${query}` : ''}`,
    `on :${attempt.port}`,
    '→',
    attempt.status === 0 ? 'no answer (socket destroyed)' : String(attempt.status),
  ];
  if (attempt.error) parts.push(attempt.error);
  if (attempt.location) parts.push(`to ${attempt.location}`);
  if (attempt.slot !== undefined) parts.push(`slot ${attempt.slot}/${attempt.maxConnections ?? 1}`);
  const auth = attempt.headers.authorization;
  parts.push(auth ? `(${auth})` : '(no Authorization)');
  return parts.join(' ');
}
