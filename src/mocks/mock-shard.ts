import { makeProblem, randomUuid, type Problem, type Shard } from '../contract/index.ts';
import { normaliseErrorBody } from '../core/upstream/error-body.ts';
import { shardView } from '../core/upstream/shard-view.ts';
import { type ReconnectAnswer } from '../core/upstream/reconnect.ts';
import type { AttemptOutcome } from './scenarios.ts';

/**
 * One upstream connection slot of the mock relay, driven by a clock instead of sockets: it plays
 * its scenario script with the rules of the relay's supervisor (`src/relay/upstream/supervisor.ts`)
 * — `connecting → streaming → (stalled) → waiting → connecting`, `failed` for what waiting cannot
 * fix; the cooldown after every loss or refusal; the 409 wait doubling up to 5 min; a single
 * immediate retry with a fresh token after a 401; `retryAt` published the moment a wait starts —
 * and produces the same `Shard` snapshots and Problems (`outcome.ts` messages and codes).
 */

export interface MockShardOptions {
  shard: number;
  script: readonly AttemptOutcome[];
  cooldownMs: number;
  stallTimeoutMs: number;
  /** How long a connect takes before its outcome is known. Default 1 s. */
  connectMs?: number;
  onState(shard: Shard): void;
  onProblem(problem: Problem): void;
}

type Pending = 'result' | 'retry' | 'stall-warn' | 'stall-lost' | 'lost';

/** Cap of the growing 409 wait (the supervisor's default). */
const MAX_GROWTH_MS = 5 * 60_000;

interface RefusalRow {
  code: string;
  action: string;
  message: string;
  reason: 'refused' | 'too-many-connections' | 'retry-after';
}

/** The relay's outcome table (`src/relay/upstream/outcome.ts`) for the statuses the scenarios use. */
const REFUSALS: Record<number, RefusalRow> = {
  409: {
    code: 'too_many_connections',
    action: 'retry-after',
    reason: 'too-many-connections',
    message: 'Livestream refused the connection: more clients than maxConnections, or mismatched values (409).',
  },
  429: {
    code: 'too_many_requests',
    action: 'retry-after',
    reason: 'retry-after',
    message: 'Livestream asks to slow down (429).',
  },
  500: {
    code: 'internal_error',
    action: 'retry-after',
    reason: 'refused',
    message: 'Livestream failed with an internal error (500).',
  },
  503: {
    code: 'service_unavailable',
    action: 'retry-after',
    reason: 'retry-after',
    message: 'Livestream is unavailable: no hits flowing, a migration, or connect/disconnect churn (503).',
  },
};

const TOKEN_REFUSED = {
  code: 'access_token_expired',
  action: 'application-registration',
  message: 'Livestream refused the access token (401).',
} as const;

function describeDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `the server ended the stream after ${s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`}`;
}

export class MockShard {
  readonly shard: number;
  private state = 'connecting';
  private since = 0;
  private attempt = 0;
  private retryAt: number | undefined;
  private waitReason: string | undefined;
  private cooldownUntil: number | undefined;
  private connectedAt: number | undefined;
  private problem: Problem | undefined;
  private consecutive409 = 0;
  private refreshed = false;
  private hits = 0;
  private lastHitAt: number | undefined;
  private next = 0;
  /** While streaming: when the data stops (a stall or a loss follows). */
  private dataUntil = Infinity;
  private due: number | undefined;
  private pending: Pending | undefined;
  private readonly connectMs: number;

  constructor(private readonly options: MockShardOptions) {
    this.shard = options.shard;
    this.connectMs = options.connectMs ?? 1000;
  }

  /** Makes the first attempt at `at`. */
  start(at: number): void {
    this.since = at;
    this.begin(at);
  }

  /** When the next transition is due, if one is planned (a failed shard waits for an operator). */
  get nextAt(): number | undefined {
    return this.due;
  }

  /** Plays every transition due at or before `now`. */
  advance(now: number): void {
    while (this.due !== undefined && this.due <= now) {
      const at = this.due;
      const pending = this.pending;
      this.due = undefined;
      this.pending = undefined;
      this.run(pending, at);
    }
  }

  /** Whether this shard delivers records at `at` (streaming, and not gone silent). */
  flowing(at: number): boolean {
    return this.state === 'streaming' && at < this.dataUntil;
  }

  isStreaming(): boolean {
    return this.state === 'streaming' || this.state === 'stalled';
  }

  isDown(): boolean {
    return this.state === 'waiting' || this.state === 'failed';
  }

  get attempts(): number {
    return this.attempt;
  }

  noteHit(at: number): void {
    this.hits++;
    this.lastHitAt = at;
  }

  /** Operator's "Reconnect now": only for a waiting or failed shard, never within the cooldown. */
  reconnect(now: number): ReconnectAnswer {
    if (this.state !== 'waiting' && this.state !== 'failed') return { ok: false, reason: 'connected' };
    if (this.cooldownUntil !== undefined && now < this.cooldownUntil) {
      return { ok: false, reason: 'cooldown', retryAfterS: Math.ceil((this.cooldownUntil - now) / 1000) };
    }
    this.due = undefined;
    this.pending = undefined;
    this.begin(now);
    return { ok: true };
  }

  snapshot(now: number): Shard {
    return shardView(
      {
        shard: this.shard,
        state: this.state,
        since: this.since,
        attempt: this.attempt,
        hits: this.hits,
        retryAt: this.retryAt,
        waitReason: this.waitReason,
        connectedAt: this.connectedAt,
        problem: this.problem,
        lastHitAt: this.lastHitAt,
        cooldownUntil: this.cooldownUntil,
      },
      now,
    );
  }

  private set(state: string, at: number, wait?: { retryAt: number; reason: string }): void {
    this.state = state;
    this.since = at;
    this.retryAt = wait?.retryAt;
    this.waitReason = wait?.reason;
    this.options.onState(this.snapshot(at));
  }

  private plan(at: number, pending: Pending): void {
    this.due = at;
    this.pending = pending;
  }

  private publish(init: Omit<Parameters<typeof makeProblem>[0], 'source' | 'shard' | 'at'>, at: number): void {
    const problem = makeProblem({ source: 'upstream', ...init, shard: this.shard, at });
    this.problem = problem;
    this.options.onProblem(problem);
  }

  private begin(at: number): void {
    this.attempt++;
    this.set('connecting', at);
    this.plan(at + this.connectMs, 'result');
  }

  private takeOutcome(): AttemptOutcome {
    const { script } = this.options;
    const outcome = script[Math.min(this.next, script.length - 1)] ?? { kind: 'open' };
    this.next++;
    return outcome;
  }

  private run(pending: Pending | undefined, at: number): void {
    switch (pending) {
      case 'result':
        return this.result(this.takeOutcome(), at);
      case 'retry':
        return this.begin(at);
      case 'stall-warn':
        this.set('stalled', at);
        return this.plan(this.dataUntil + this.options.stallTimeoutMs, 'stall-lost');
      case 'stall-lost': {
        const idle = at - this.dataUntil;
        return this.lose(at, {
          code: 'stream_stalled',
          action: 'retry-after',
          message: 'No byte arrived for the stall timeout; the connection was closed.',
          details: `no byte for ${Math.round(idle / 1000)} s (STALL_TIMEOUT_S=${this.options.stallTimeoutMs / 1000})`,
        });
      }
      case 'lost':
        return this.lose(at, {
          code: 'connection_lost',
          action: 'retry-after',
          message: 'The stream ended.',
          details: describeDuration(at - (this.connectedAt ?? at)),
        });
      default:
        return undefined;
    }
  }

  private result(outcome: AttemptOutcome, at: number): void {
    if (outcome.kind === 'open') {
      this.consecutive409 = 0;
      this.refreshed = false;
      this.connectedAt = at;
      this.problem = undefined;
      this.dataUntil = outcome.forS !== undefined ? at + outcome.forS * 1000 : Infinity;
      this.set('streaming', at);
      if (outcome.forS === undefined) return;
      if (outcome.end === 'stall') this.plan(this.dataUntil + this.options.stallTimeoutMs / 2, 'stall-warn');
      else this.plan(this.dataUntil, 'lost');
      return;
    }
    const body = normaliseErrorBody(outcome.body, outcome.contentType);
    const requestId = randomUuid();
    const fromBody = {
      details: body.details,
      requestId,
      ...(body.trace ? { trace: body.trace } : {}),
      ...(body.helpUrl ? { helpUrl: body.helpUrl } : {}),
    };
    if (outcome.status === 401) {
      if (!this.refreshed) {
        this.refreshed = true;
        this.publish(
          {
            ...TOKEN_REFUSED,
            status: 401,
            message: `${TOKEN_REFUSED.message} Reconnecting at once with a fresh token.`,
            ...fromBody,
          },
          at,
        );
        return this.begin(at);
      }
      this.refreshed = false;
      this.cooldownUntil = at + this.options.cooldownMs;
      this.publish(
        {
          ...TOKEN_REFUSED,
          status: 401,
          message: 'Livestream refused a freshly issued access token (401 twice).',
          ...fromBody,
        },
        at,
      );
      this.set('failed', at);
      return;
    }
    this.refreshed = false;
    const row = REFUSALS[outcome.status] ?? {
      code: 'unexpected_upstream_status',
      action: 'retry-after',
      reason: 'refused' as const,
      message: `Livestream answered an unexpected status (${outcome.status}).`,
    };
    const { cooldownMs } = this.options;
    let waitMs = cooldownMs;
    if (row.reason === 'too-many-connections') {
      this.consecutive409++;
      waitMs = Math.min(cooldownMs * 2 ** (this.consecutive409 - 1), Math.max(MAX_GROWTH_MS, cooldownMs));
    }
    if (outcome.retryAfterS !== undefined) waitMs = Math.max(waitMs, outcome.retryAfterS * 1000);
    this.cooldownUntil = at + cooldownMs;
    this.publish(
      {
        code: outcome.code ?? row.code,
        status: outcome.status,
        action: outcome.action ?? row.action,
        message: outcome.message ?? row.message,
        ...fromBody,
        retryAfter: Math.ceil(waitMs / 1000),
      },
      at,
    );
    this.wait(at, at + waitMs, row.reason);
  }

  private lose(at: number, problem: { code: string; action: string; message: string; details: string }): void {
    const waitMs = this.options.cooldownMs;
    this.cooldownUntil = at + waitMs;
    this.dataUntil = Infinity;
    this.publish({ ...problem, retryAfter: Math.ceil(waitMs / 1000) }, at);
    this.wait(at, at + waitMs, 'lost');
  }

  private wait(at: number, retryAt: number, reason: string): void {
    this.set('waiting', at, { retryAt, reason });
    this.plan(retryAt, 'retry');
  }
}
