import { randomUuid } from '../contract/index.ts';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type {
  BodyError,
  ConnectOutcome,
  ConnectRequest,
  Connector,
  OpenStream,
  StreamBody,
} from '../core/upstream/connector.ts';
import type { AttemptOutcome } from './scenarios.ts';

/**
 * The mock host's upstream: a `Connector` that plays each shard's script of a scenario, one
 * outcome per connection attempt, the last one repeating. It only says what Livestream answers;
 * what the relay makes of it (states, waits, Problems) is the core's business.
 *
 * - `open` → an `OpenStream` whose body carries whatever the site's traffic (`site-traffic.ts`)
 *   delivers to this shard; after `forS` it ends (`lost`) or goes silent (`stall`: not a byte
 *   more, the core's stall clock decides).
 * - `refuse` → an `HttpRefusal` with the script's status, body, content type and `Retry-After`.
 *
 * Each answer comes `connectMs` after the attempt, on the host's clock.
 */

/** How long a scripted connect takes before its answer is known (the host's clock). */
export const CONNECT_MS = 1000;

/** Framing around each chunk on the "socket" (chunked encoding, gzip block headers). */
const CHUNK_OVERHEAD_BYTES = 12;

export interface ScriptConnectorOptions {
  clock: Clock;
  /** One script per shard; a shard without one always opens. */
  scripts: readonly (readonly AttemptOutcome[])[];
  connectMs?: number;
}

type Handlers = Parameters<StreamBody['listen']>[0];

/** An open scripted stream: the traffic writes into it until it ends, goes silent or is closed. */
export class ScriptedStream implements OpenStream {
  readonly kind = 'open';
  readonly status = 200;
  readonly redirects = 0;
  readonly encoding = 'gzip';
  readonly requestId = randomUuid();
  readonly body: StreamBody;
  private handlers: Handlers | undefined;
  private compressed = 0;
  private onSocket = 0;
  private done = false;
  private silent = false;
  private timer: TimerHandle | undefined;

  constructor(
    readonly shard: number,
    readonly url: string,
    private readonly clock: Clock,
    outcome: { forS?: number; end?: 'lost' | 'stall' },
  ) {
    this.body = { listen: (handlers) => (this.handlers ??= handlers) };
    if (outcome.forS !== undefined) {
      this.timer = clock.setTimeout(() => {
        if (outcome.end === 'stall') this.silent = true;
        else this.finish((handlers) => handlers.end());
      }, outcome.forS * 1000);
    }
  }

  /** Ended, broken, or closed by the relay. */
  get closed(): boolean {
    return this.done;
  }

  /** Records (or anything) can be written: open, read by the relay, not silent. */
  get flowing(): boolean {
    return !this.done && !this.silent && this.handlers !== undefined;
  }

  /** Writes decompressed bytes that took `wireBytes` compressed bytes on the wire. */
  write(chunk: Uint8Array, wireBytes: number): void {
    if (!this.flowing) return;
    this.compressed += wireBytes;
    this.onSocket += wireBytes + CHUNK_OVERHEAD_BYTES;
    this.handlers!.data(chunk);
  }

  /** A compressed block that decompresses to nothing (a quiet stream kept alive): bytes on the socket only. */
  keepAlive(): void {
    if (!this.flowing) return;
    this.compressed += 2;
    this.onSocket += 2 + CHUNK_OVERHEAD_BYTES;
  }

  /** The connection breaks mid-read. */
  fail(error: BodyError): void {
    this.finish((handlers) => handlers.error(error));
  }

  compressedBytes(): number {
    return this.compressed;
  }

  socketBytes(): number {
    return this.onSocket;
  }

  close(): void {
    this.done = true;
    this.clock.clearTimeout(this.timer);
  }

  private finish(tell: (handlers: Handlers) => void): void {
    if (this.done) return;
    this.close();
    if (this.handlers) tell(this.handlers);
  }
}

export class ScriptConnector {
  private readonly next: number[] = [];
  private readonly open = new Map<number, ScriptedStream>();
  private readonly connectMs: number;

  constructor(private readonly options: ScriptConnectorOptions) {
    this.connectMs = options.connectMs ?? CONNECT_MS;
  }

  /** The connector handed to the core. */
  readonly connect: Connector = (request) => this.attempt(request);

  /** The shard's open stream, if it has one that is still being read. */
  stream(shard: number): ScriptedStream | undefined {
    const stream = this.open.get(shard);
    if (!stream?.closed) return stream;
    this.open.delete(shard);
    return undefined;
  }

  /** How many attempts each shard has made. */
  attempts(shard: number): number {
    return this.next[shard] ?? 0;
  }

  private take(shard: number): AttemptOutcome {
    const script = this.options.scripts[shard] ?? [];
    const index = this.next[shard] ?? 0;
    this.next[shard] = index + 1;
    return script[Math.min(index, script.length - 1)] ?? { kind: 'open' };
  }

  private attempt(request: ConnectRequest): Promise<ConnectOutcome> {
    const { clock } = this.options;
    const outcome = this.take(request.shard);
    return new Promise((resolve) => {
      const abort = () => {
        clock.clearTimeout(timer);
        resolve({ kind: 'failure', code: 'network_connection_failure', message: 'aborted', url: request.url });
      };
      const timer = clock.setTimeout(() => {
        request.signal?.removeEventListener('abort', abort);
        resolve(this.answer(request, outcome));
      }, this.connectMs);
      if (request.signal?.aborted) abort();
      else request.signal?.addEventListener('abort', abort, { once: true });
    });
  }

  private answer(request: ConnectRequest, outcome: AttemptOutcome): ConnectOutcome {
    if (outcome.kind === 'refuse') {
      return {
        kind: 'http-error',
        status: outcome.status,
        url: request.url,
        redirects: 0,
        requestId: randomUuid(),
        contentType: outcome.contentType ?? '',
        body: outcome.body ?? '',
        ...(outcome.retryAfterS !== undefined ? { retryAfterS: outcome.retryAfterS } : {}),
      };
    }
    const stream = new ScriptedStream(request.shard, request.url, this.options.clock, outcome);
    this.open.set(request.shard, stream);
    return stream;
  }
}
