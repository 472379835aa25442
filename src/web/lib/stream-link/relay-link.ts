import { ApiErrorSchema, makeProblem, parseWith, type Problem } from '../../../contract/index.ts';
import { backoffDelay, DEFAULT_RETRY_MS } from './backoff.ts';
import { createSseParser } from './sse-parser.ts';
import type { LinkState, RawEvent } from './transport.ts';

const STREAM_PATH = '/api/stream';

export interface RelayLinkOptions {
  onEvent(event: RawEvent): void;
  onLink(state: LinkState): void;
  /** Default `/api/stream`. */
  url?: string;
  fetch?: typeof fetch;
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  random?: () => number;
  /** No byte (event or heartbeat comment) for this long: the stream is dead. Default 45 s (3 heartbeats). */
  silenceTimeoutMs?: number;
  /** A stream that stayed open this long resets the backoff. Default 5 s. */
  healthyAfterMs?: number;
  /** Resume from here (a new leader tab takes over its predecessor's position). */
  initialLastEventId?: string;
}

/**
 * The browser's connection to the relay's SSE stream, with reconnection of its own:
 * `connecting → open → (failure) retrying → connecting …`. Waits follow `backoffDelay` from the
 * relay's `retry:` hint; every reconnect carries `?lastEventId=` of the last event that had an id
 * (the `hits` events), so the relay replays what was missed; a `reset` event forgets that id.
 * A 401 stops in `unauthorized` until `retryNow()`.
 */
export class RelayLink {
  private readonly opts: Required<Omit<RelayLinkOptions, 'initialLastEventId'>>;
  private lastEventId: string | undefined;
  private retryHintMs = DEFAULT_RETRY_MS;
  private attempt = 0;
  private generation = 0;
  private abort: AbortController | undefined;
  private retryTimer: unknown;
  private silenceTimer: unknown;
  private running = false;
  private current: LinkState;

  constructor(options: RelayLinkOptions) {
    this.opts = {
      url: STREAM_PATH,
      fetch: (...args) => globalThis.fetch(...args),
      now: () => Date.now(),
      setTimer: (cb, ms) => setTimeout(cb, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      random: Math.random,
      silenceTimeoutMs: 45_000,
      healthyAfterMs: 5_000,
      ...options,
    };
    this.lastEventId = options.initialLastEventId;
    this.current = { state: 'stopped', since: this.opts.now(), attempt: 0 };
  }

  get state(): LinkState {
    return this.current;
  }

  /** The id the next reconnect resumes from. */
  get resumeId(): string | undefined {
    return this.lastEventId;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.teardown();
    this.setState({ state: 'stopped', attempt: this.attempt });
  }

  retryNow(): void {
    if (!this.running) return this.start();
    if (this.current.state === 'retrying' || this.current.state === 'unauthorized') {
      this.teardown();
      void this.connect();
    }
  }

  private teardown() {
    this.generation++;
    this.abort?.abort();
    this.abort = undefined;
    if (this.retryTimer !== undefined) this.opts.clearTimer(this.retryTimer);
    if (this.silenceTimer !== undefined) this.opts.clearTimer(this.silenceTimer);
    this.retryTimer = undefined;
    this.silenceTimer = undefined;
  }

  private setState(next: Omit<LinkState, 'since'>) {
    this.current = { ...next, since: this.opts.now() };
    this.opts.onLink(this.current);
  }

  private url(): string {
    if (!this.lastEventId) return this.opts.url;
    const sep = this.opts.url.includes('?') ? '&' : '?';
    return `${this.opts.url}${sep}lastEventId=${encodeURIComponent(this.lastEventId)}`;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const abort = new AbortController();
    this.abort = abort;
    const live = () => generation === this.generation && this.running;
    this.setState({ state: 'connecting', attempt: this.attempt });

    let response: Response;
    try {
      response = await this.opts.fetch(this.url(), {
        headers: { accept: 'text/event-stream' },
        cache: 'no-store',
        credentials: 'same-origin',
        signal: abort.signal,
      });
    } catch (cause) {
      if (live()) this.fail(linkProblem('network_connection_failure', `Could not reach the relay: ${String(cause)}`));
      return;
    }
    if (!live()) return;

    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !response.body || !type.includes('text/event-stream')) {
      const problem = await problemFromResponse(response);
      if (!live()) return;
      if (response.status === 401) {
        this.setState({ state: 'unauthorized', attempt: this.attempt, problem });
        return;
      }
      this.fail(problem);
      return;
    }

    const openedAt = this.opts.now();
    this.setState({ state: 'open', attempt: this.attempt });
    const parser = createSseParser({
      onEvent: (message) => {
        if (!live()) return;
        if (message.id !== undefined) this.lastEventId = message.id || undefined;
        if (message.event === 'reset') this.lastEventId = undefined;
        const event: RawEvent = { name: message.event, data: message.data, receivedAt: this.opts.now() };
        if (message.id !== undefined) event.id = message.id;
        this.opts.onEvent(event);
      },
      onRetry: (ms) => {
        this.retryHintMs = ms;
      },
    });

    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let silent = false;
    const armSilence = () => {
      if (this.silenceTimer !== undefined) this.opts.clearTimer(this.silenceTimer);
      this.silenceTimer = this.opts.setTimer(() => {
        if (!live()) return;
        silent = true;
        reader.cancel().catch(() => undefined);
        abort.abort();
      }, this.opts.silenceTimeoutMs);
    };
    armSilence();
    let ended: Problem | undefined;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (!live()) return;
        if (done) break;
        armSilence();
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch (cause) {
      if (!live()) return;
      if (!silent) ended = linkProblem('connection_lost', `The event stream broke: ${String(cause)}`);
    }
    ended ??= silent
      ? linkProblem(
          'stream_stalled',
          `No event or heartbeat from the relay for ${this.opts.silenceTimeoutMs / 1000} s.`,
        )
      : linkProblem('connection_lost', 'The relay closed the event stream.');
    if (this.opts.now() - openedAt >= this.opts.healthyAfterMs) this.attempt = 0;
    this.fail(ended);
  }

  private fail(problem: Problem) {
    this.teardown();
    this.attempt++;
    const delay = backoffDelay(this.attempt, this.retryHintMs, this.opts.random);
    this.setState({ state: 'retrying', attempt: this.attempt, retryAt: this.opts.now() + delay, problem });
    const generation = this.generation;
    this.retryTimer = this.opts.setTimer(() => {
      if (generation === this.generation && this.running) void this.connect();
    }, delay);
  }
}

function linkProblem(code: string, details: string): Problem {
  return makeProblem({ code, source: 'relay', action: 'retry', details });
}

async function problemFromResponse(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = parseWith(ApiErrorSchema, JSON.parse(text));
    if (parsed.ok) return parsed.value.error;
  } catch {
    // not JSON: described below
  }
  const type = response.headers.get('content-type') ?? 'no content type';
  return makeProblem({
    code: response.status >= 500 ? 'service_unavailable' : 'internal_error',
    source: 'relay',
    status: response.ok ? 502 : response.status,
    action: 'retry',
    details: response.ok
      ? `The event stream answered ${type} instead of text/event-stream.`
      : `The event stream answered HTTP ${response.status}.`,
  });
}
