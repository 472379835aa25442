import type { HitRecord } from '../contract/index.ts';
import type { ConnectionAttempt } from './attempt-log.ts';
import type { BodyKind } from './fault-plan.ts';
import type { RecordStyle } from './generator/index.ts';
import type { SimulatorState } from './server.ts';
import type { QuietPlan, QuietState } from './stream-hub.ts';

/**
 * A typed client of the simulator's control API (`/__sim`), for tests, e2e and demos. Every
 * method is one POST (or GET) and resolves with the JSON answer; a refusal rejects.
 */
export class SimulatorControl {
  readonly #base: string;

  /** `controlUrl` as `Simulator.controlUrl` gives it, e.g. `http://127.0.0.1:8081/__sim`. */
  constructor(controlUrl: string) {
    this.#base = controlUrl.replace(/\/+$/, '');
  }

  drop(slot?: number) {
    return this.#post<{ dropped: number[] }>('drop', { slot });
  }
  end(slot?: number) {
    return this.#post<{ ended: number[] }>('end', { slot });
  }
  stall(options: { slot?: number; seconds?: number; keepAliveEveryS?: number } = {}) {
    return this.#post<{ stalled: number[] }>('stall', options);
  }
  resume(slot?: number) {
    return this.#post<{ resumed: number[] }>('resume', { slot });
  }
  nextConnect(fault: {
    status: number;
    body?: BodyKind;
    retryAfter?: number | string;
    errorDescription?: string;
    /** A body sent as is (with `contentType`) instead of the `body` kind's. */
    text?: string;
    contentType?: string;
    times?: number;
  }) {
    return this.#post('next-connect', fault);
  }
  /** The next `times` connects get 503 with an error object saying the stream is in migration. */
  migration(options: { times?: number; body?: BodyKind; retryAfter?: number | string } = {}) {
    return this.#post('migration', options);
  }
  redirect(options: { hops?: number; crossOrigin?: boolean; loop?: boolean; location?: string } = {}) {
    return this.#post('redirect', options);
  }
  tokenAnswer(answer: 'garbage' | 'no-token' | 'expires-zero', times?: number) {
    return this.#post('token-answer', { answer, times });
  }
  badEncoding(times?: number) {
    return this.#post('bad-encoding', { times });
  }
  malformed(options: { count?: number; slot?: number } = {}) {
    return this.#post<{ written: number }>('malformed', options);
  }
  empty(options: { count?: number; slot?: number } = {}) {
    return this.#post<{ written: number }>('empty', options);
  }
  duplicates(count: number) {
    return this.#post<{ replayed: number }>('duplicates', { count });
  }
  /** Writes a record (64-bit fields as decimal strings: their digits go out exact) or a raw line. */
  hit(input: { record: HitRecord; slot?: number } | { line: string; slot?: number }) {
    return this.#post<{ slot: number; written: boolean }>('hit', input);
  }
  /** One record of about `bytes` bytes (a long `pageName`). */
  hugeRecord(bytes: number, slot?: number) {
    return this.#post<{ slot: number; written: boolean }>('huge-record', { bytes, slot });
  }
  /** The records' style from now on (device fields, A4T timing); answers the style in force. */
  records(style: Partial<RecordStyle>) {
    return this.#post<{ records: RecordStyle }>('records', style);
  }
  /** A quiet report suite (`seconds: 0` ends it); answers the plan in force, or null. */
  quiet(plan: QuietPlan) {
    return this.#post<{ quiet: QuietState | null }>('quiet', plan);
  }
  rate(rate: number) {
    return this.#post<{ rate: number }>('rate', { rate });
  }
  token(fault: { status?: number; body?: BodyKind; times?: number; unreachable?: boolean } = {}) {
    return this.#post('token', fault);
  }
  expireTokens() {
    return this.#post<{ expired: number }>('expire-tokens', {});
  }
  churnWindow(seconds: number) {
    return this.#post<{ churnWindowS: number }>('churn-window', { seconds });
  }
  reset(options: { releases?: boolean } = {}) {
    return this.#post('reset', options);
  }
  connections(): Promise<ConnectionAttempt[]> {
    return this.#get('connections');
  }
  state(): Promise<SimulatorState> {
    return this.#get('state');
  }

  async #get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.#base}/${path}`);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async #post<T = Record<string, unknown>>(path: string, body: object): Promise<T & { ok: true }> {
    const response = await fetch(`${this.#base}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T & { ok: true };
  }
}
