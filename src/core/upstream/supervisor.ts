import { makeProblem, type Problem, type Shard, type ShardState } from '../../contract/index.ts';
import { shardView } from './shard-view.ts';
import { type ReconnectAnswer } from './reconnect.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { ShardMemory } from '../store/shard-memory.ts';
import type { ConnectOutcome, OpenStream } from './connector.ts';
import {
  UNSTABLE_AFTER,
  UNSTABLE_WITHIN_MS,
  verdictForFailure,
  verdictForLoss,
  verdictForRefusal,
  verdictForUnstable,
  type Verdict,
} from './outcome.ts';
import type { ShardGate } from './gate.ts';
import { TokenError, type TokenManager } from './token.ts';
import { describeCap, maxWaitOf, planWait, type WaitPolicy } from './wait-policy.ts';

/**
 * One state machine per shard: `connecting → streaming → (stalled) → waiting → connecting`,
 * `failed` for what waiting cannot fix, `stopped` on shutdown.
 *
 * Invariants (each has a test; supervisor.property.test.ts plays random outcome sequences):
 * - never two open connections for one shard: attempts run one after another and a connection
 *   is closed before the next attempt starts;
 * - never an attempt sooner than the cooldown after a loss or a refused connect; the single
 *   exception is one immediate retry with a fresh token after a 401;
 * - every wait lies within `[cooldown, RECONNECT_MAX_WAIT_S]` (wait-policy.ts): repeated 409s
 *   grow it (cooldown × 2ⁿ⁻¹, capped at 5 min or the cooldown if longer), a `Retry-After`
 *   lengthens it, the cap shortens it and the Problem says so;
 * - the last loss and the planned next attempt are persisted, and a connection open when the
 *   relay died counts as lost when it was last seen alive, so a crash-and-restart cannot
 *   reconnect early; a memory that cannot be read counts as a loss at start;
 * - `retryAt` is published the moment a wait starts, and always lies ahead while waiting;
 * - the stall clock counts bytes on the socket (a gzip flush that decompresses to nothing still
 *   counts); `stalled` ends with the next hit, not with a stray byte, so a trickle cannot flap it;
 * - connections that keep dying right after they open are named: the `UNSTABLE_AFTER`-th
 *   connection in a row lost within `UNSTABLE_WITHIN_MS` of opening (and each after it) is
 *   `connection_unstable` instead of `connection_lost`, with the same wait (outcome.ts);
 * - `reset` goes with the shard's first connection attempt of the run only (`first` below);
 * - nothing thrown inside an attempt or a timer escapes: it becomes a Problem and a wait;
 * - with a gate (several relays, gate.ts): no attempt without the shard's lease, none sooner than
 *   the gate's `notBefore` (the cooldown after the previous holder's last moment alive), and the
 *   connection is closed the moment the lease is lost; the shard then waits for the lease again.
 */

export interface RecordStream {
  /** A chunk of the decompressed body (the decoder's until it returns). */
  push(chunk: Uint8Array): void;
  /** The stream ended cleanly: a last line without a line break is still a record. */
  end(): void;
}

export interface ShardSupervisorOptions {
  shard: number;
  clock: Clock;
  cooldownMs: number;
  stallTimeoutMs: number;
  /** Cap of the growing 409 wait. Default 5 min. */
  maxGrowthMs?: number;
  /** `RECONNECT_MAX_WAIT_S` in ms: no wait is longer. Default 1 h. */
  maxWaitMs?: number;
  tokens: Pick<TokenManager, 'get' | 'invalidate' | 'canRefresh'>;
  /**
   * Opens the stream with this token (URL, headers and redirects are the connector's job).
   * `first`: the shard's first connection attempt of this relay run (the only one to send `reset`).
   */
  connect: (token: string, signal: AbortSignal, attempt: { first: boolean }) => Promise<ConnectOutcome>;
  memory: ShardMemory;
  /** A fresh decoder for each connection: a partial line never leaks into the next one. */
  createDecoder: (shard: number) => RecordStream;
  onState: (shard: Shard) => void;
  onProblem: (problem: Problem) => void;
  /** Compressed bytes read, for stats. */
  onBytes?: (shard: number, bytes: number) => void;
  /** How often an open connection is recorded as alive. Default 5 s. */
  aliveEveryMs?: number;
  /** A connection lost sooner than this after opening is short-lived. Default `UNSTABLE_WITHIN_MS` (60 s). */
  unstableWithinMs?: number;
  /** Short-lived connections in a row that make `connection_unstable`. Default `UNSTABLE_AFTER` (3). */
  unstableAfter?: number;
  /** Several relays on one stream: the shard's lease. Default: none (this relay holds every shard). */
  gate?: ShardGate;
}

const DEFAULT_MAX_WAIT_MS = 3600_000;

export class ShardSupervisor {
  readonly shard: number;
  private state: ShardState = 'connecting';
  private since: number;
  private attempt = 0;
  private retryAt: number | undefined;
  private cooldownUntil: number | undefined;
  private connectedAt: number | undefined;
  private problem: Problem | undefined;
  private waitReason: string | undefined;
  private consecutive409: number;
  /** Connections in a row lost within `unstableWithinMs` of opening (this run). */
  private shortLived = 0;
  private hits = 0;
  private lastHitAt: number | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private current: OpenStream | undefined;
  private endStream: ((verdict: Verdict | undefined) => void) | undefined;
  private readonly abort = new AbortController();
  private readonly policy: WaitPolicy;
  /** HTTP connects made by this shard in this run. */
  private connects = 0;
  /** Connections opened in this process (for tests and metrics). */
  opened = 0;
  /** The gate's lease was lost during the current attempt. */
  private leaseLost = false;

  constructor(private readonly options: ShardSupervisorOptions) {
    this.shard = options.shard;
    this.since = options.clock.now();
    this.consecutive409 = options.memory.get(options.shard).consecutive409 ?? 0;
    this.policy = {
      cooldownMs: options.cooldownMs,
      maxWaitMs: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
      ...(options.maxGrowthMs !== undefined ? { maxGrowthMs: options.maxGrowthMs } : {}),
    };
    options.gate?.onLost(() => {
      this.leaseLost = true;
      this.endStream?.(undefined);
      this.current?.close();
      this.wake?.();
    });
  }

  /** This relay may hold the shard's connection now (always, without a gate). */
  holds(): boolean {
    return this.options.gate?.held() ?? true;
  }

  /** Starts the loop. The first attempt waits out a cooldown remembered from an earlier run. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Closes the connection, ends the loop, records the loss so a restart waits the cooldown. */
  async stop(): Promise<void> {
    if (this.stopped) return this.loop;
    this.stopped = true;
    const wasOpen = this.state === 'connecting' || this.state === 'streaming' || this.state === 'stalled';
    this.abort.abort();
    this.endStream?.(undefined);
    this.wake?.();
    await this.loop;
    const now = this.options.clock.now();
    this.options.memory.update(this.shard, wasOpen ? { lastLossAt: now, open: false } : { open: false });
    await this.options.gate?.release();
    this.set('stopped', {});
  }

  /** A distinct hit arrived on this shard (counted by the ingest, which sees duplicates). */
  noteHit(at: number): void {
    this.hits++;
    this.lastHitAt = at;
    if (this.state === 'stalled') this.set('streaming', {});
  }

  /** Operator's "Reconnect now": only for a waiting or failed shard, never within the cooldown. */
  reconnect(): ReconnectAnswer {
    if (this.stopped) return { ok: false, reason: 'stopped' };
    if (this.state !== 'waiting' && this.state !== 'failed') return { ok: false, reason: 'connected' };
    const now = this.options.clock.now();
    if (this.cooldownUntil !== undefined && now < this.cooldownUntil) {
      return { ok: false, reason: 'cooldown', retryAfterS: Math.ceil((this.cooldownUntil - now) / 1000) };
    }
    this.wake?.();
    return { ok: true };
  }

  snapshot(): Shard {
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
      this.options.clock.now(),
    );
  }

  private set(state: ShardState, patch: { retryAt?: number; waitReason?: string }): void {
    this.state = state;
    this.since = this.options.clock.now();
    this.retryAt = patch.retryAt;
    this.waitReason = patch.waitReason;
    this.options.onState(this.snapshot());
  }

  private publish(problem: Verdict['problem']): Problem {
    const built = makeProblem({ source: 'upstream', ...problem, shard: this.shard, at: this.options.clock.now() });
    this.problem = built;
    this.options.onProblem(built);
    return built;
  }

  private async run(): Promise<void> {
    const { clock, memory, cooldownMs } = this.options;
    const start = clock.now();
    let nextAt = start;
    const remembered = memory.effectiveLastLoss(this.shard);
    if (remembered !== undefined) {
      // A loss "in the future" (a clock that went back) counts as now: the cooldown, never more.
      this.cooldownUntil = Math.min(remembered, start) + cooldownMs;
      nextAt = this.cooldownUntil;
    }
    const planned = memory.get(this.shard).retryAt;
    if (planned !== undefined && planned > nextAt) nextAt = planned;
    nextAt = Math.min(nextAt, start + maxWaitOf(this.policy));
    let reason = 'restart';
    const gate = this.options.gate;
    while (!this.stopped) {
      if (gate && !gate.held()) {
        const lease = await gate.acquire(this.abort.signal, (retryAt) => this.standBy(retryAt));
        if (!lease || this.stopped) break;
        if (!lease.fresh) this.connects = Math.max(this.connects, 1);
        if (lease.notBefore > nextAt) {
          nextAt = Math.min(lease.notBefore, clock.now() + maxWaitOf(this.policy));
          this.cooldownUntil = nextAt;
          reason = 'takeover';
        }
      }
      if (clock.now() < nextAt) {
        await this.waitUntil(nextAt, reason);
        if (this.stopped) break;
        if (gate && !gate.held()) continue;
      }
      this.leaseLost = false;
      const verdict = await this.attemptOnce();
      if (this.stopped) break;
      if (this.leaseLost || (gate && !gate.held())) {
        // Another relay may take the shard over: it waits the cooldown from this loss.
        const now = clock.now();
        memory.update(this.shard, { lastLossAt: now, open: false });
        gate?.connection(false);
        this.cooldownUntil = now + cooldownMs;
        nextAt = now + cooldownMs;
        reason = 'lost';
        continue;
      }
      if (!verdict) break;
      const now = clock.now();
      const next = verdict.next;
      const tooManyConnections = next.kind === 'wait' && next.reason === 'too-many-connections';
      if (tooManyConnections) this.consecutive409++;
      const plan = planWait(this.policy, {
        tooManyConnections,
        consecutive409: this.consecutive409,
        ...(next.kind === 'wait' && next.minWaitS !== undefined ? { retryAfterS: next.minWaitS } : {}),
      });
      this.cooldownUntil = now + plan.operatorAfterMs;
      if (next.kind === 'fail') {
        memory.update(this.shard, {
          lastLossAt: now,
          open: false,
          consecutive409: this.consecutive409,
          retryAt: undefined,
        });
        gate?.connection(false);
        this.publish(verdict.problem);
        this.set('failed', {});
        await this.waitForOperator();
        nextAt = clock.now();
        continue;
      }
      nextAt = now + plan.waitMs;
      memory.update(this.shard, { lastLossAt: now, open: false, consecutive409: this.consecutive409, retryAt: nextAt });
      gate?.connection(false, nextAt);
      const details = plan.capped
        ? [verdict.problem.details, describeCap(plan, this.policy)].filter(Boolean).join(' ')
        : verdict.problem.details;
      this.publish({ ...verdict.problem, details, retryAfter: Math.ceil(plan.waitMs / 1000) });
      reason = next.kind === 'wait' ? next.reason : 'lost';
    }
  }

  /**
   * Waiting for the lease another relay holds: said once; each later look only moves `retryAt`
   * (the views shown are the holder's, and a standby relay's log stays quiet).
   */
  private standBy(retryAt: number): void {
    if (this.state === 'waiting' && this.waitReason === 'standby') this.retryAt = retryAt;
    else this.set('waiting', { retryAt, waitReason: 'standby' });
  }

  /** Waiting with `retryAt` published at once; an operator's reconnect or a stop ends it early. */
  private waitUntil(at: number, reason: string): Promise<void> {
    this.set('waiting', { retryAt: at, waitReason: reason });
    return new Promise((resolve) => {
      const timer: TimerHandle = this.options.clock.setTimeout(() => done(), at - this.options.clock.now());
      const done = () => {
        this.options.clock.clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
    });
  }

  private waitForOperator(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }

  /**
   * One attempt (two when a 401 asks for a fresh token). Resolves when the connection is over.
   * Whatever is thrown inside becomes a Problem and a wait: the loop never dies.
   */
  private async attemptOnce(): Promise<Verdict | undefined> {
    try {
      return await this.attemptOrThrow();
    } catch (error) {
      this.current?.close();
      return {
        problem: {
          code: 'network_connection_failure',
          action: 'retry-after',
          message: 'The relay failed while connecting (an internal error); it waits the cooldown and tries again.',
          details: describeError(error),
        },
        next: { kind: 'wait', reason: 'refused' },
      };
    }
  }

  private async attemptOrThrow(): Promise<Verdict | undefined> {
    const { tokens, clock, memory } = this.options;
    let refreshed = false;
    for (;;) {
      this.attempt++;
      this.set('connecting', {});
      memory.update(this.shard, { open: true, aliveAt: clock.now(), retryAt: undefined });
      let token: string;
      try {
        token = await tokens.get();
      } catch (error) {
        if (!(error instanceof TokenError)) {
          return {
            problem: {
              code: 'access_token_unavailable',
              action: 'retry-after',
              message: 'No access token could be obtained (an internal error); the relay waits the cooldown.',
              details: describeError(error),
              source: 'token',
            },
            next: { kind: 'wait', reason: 'token' },
          };
        }
        const { failure } = error;
        const problem: Verdict['problem'] = {
          code: failure.code,
          action: failure.action,
          message: failure.message,
          source: 'token',
        };
        if (failure.status !== undefined) problem.status = failure.status;
        if (failure.details) problem.details = failure.details;
        if (failure.requestId) problem.requestId = failure.requestId;
        return { problem, next: failure.permanent ? { kind: 'fail' } : { kind: 'wait', reason: 'token' } };
      }
      if (this.stopped) return undefined;
      if (this.options.gate && !(await this.options.gate.opening())) {
        this.leaseLost = true;
        return undefined;
      }
      if (this.stopped) return undefined;
      const first = this.connects++ === 0;
      const outcome = await this.options.connect(token, this.abort.signal, { first });
      if (this.stopped) {
        if (outcome.kind === 'open') outcome.close();
        return undefined;
      }
      if (outcome.kind === 'open' && !this.holds()) {
        // The lease went while connecting: the connection is closed before a byte is read.
        outcome.close();
        return undefined;
      }
      if (outcome.kind === 'open') {
        this.opened++;
        this.consecutive409 = 0;
        return this.stream(outcome);
      }
      if (outcome.kind === 'failure') return verdictForFailure(outcome);
      const verdict = verdictForRefusal(outcome);
      if (verdict.next.kind !== 'refresh-token') return verdict;
      if (!refreshed && tokens.canRefresh) {
        refreshed = true;
        tokens.invalidate(token);
        this.publish({
          ...verdict.problem,
          message: `${verdict.problem.message} Reconnecting at once with a fresh token.`,
        });
        continue;
      }
      return {
        problem: {
          ...verdict.problem,
          message: tokens.canRefresh
            ? 'Livestream refused a freshly issued access token (401 twice).'
            : 'Livestream refused the static access token (401); it cannot be refreshed.',
        },
        next: { kind: 'fail' },
      };
    }
  }

  /** Reads an open stream until it ends, breaks, stalls or the relay stops. */
  private stream(open: OpenStream): Promise<Verdict | undefined> {
    const { clock, stallTimeoutMs } = this.options;
    this.current = open;
    this.connectedAt = clock.now();
    const openedAt = this.connectedAt;
    this.problem = undefined;
    this.set('streaming', {});
    const decoder = this.options.createDecoder(this.shard);
    const stallWarnMs = stallTimeoutMs / 2;
    const tickMs = Math.max(10, Math.min(1000, stallTimeoutMs / 10));
    const aliveEveryMs = this.options.aliveEveryMs ?? 5000;
    // The stall clock: the last moment the socket's byte count was seen to move.
    let lastByteAt = clock.now();
    let socketBytes = open.socketBytes();
    let lastAliveAt = lastByteAt;
    let reported = 0;
    const sawBytes = (now: number) => {
      const bytes = open.socketBytes();
      if (bytes !== socketBytes) {
        socketBytes = bytes;
        lastByteAt = now;
      }
    };
    return new Promise<Verdict | undefined>((resolve) => {
      let timer: TimerHandle | undefined;
      let finished = false;
      const finish = (verdict: Verdict | undefined) => {
        if (finished) return;
        finished = true;
        clock.clearTimeout(timer);
        open.close();
        this.current = undefined;
        this.endStream = undefined;
        this.reportBytes(open, reported);
        resolve(verdict && this.judgeLifetime(verdict, clock.now() - openedAt));
      };
      const internalError = (error: unknown) =>
        finish(verdictForLoss('broken', `the relay failed while reading the stream: ${describeError(error)}`));
      const tick = () => {
        try {
          const now = clock.now();
          sawBytes(now);
          const idle = now - lastByteAt;
          reported = this.reportBytes(open, reported);
          if (idle >= stallTimeoutMs) {
            finish(
              verdictForLoss(
                'stalled',
                `no byte for ${Math.round(idle / 1000)} s (STALL_TIMEOUT_S=${stallTimeoutMs / 1000})`,
              ),
            );
            return;
          }
          if (idle >= stallWarnMs && this.state === 'streaming') this.set('stalled', {});
          if (now - lastAliveAt >= aliveEveryMs) {
            lastAliveAt = now;
            this.options.memory.update(this.shard, { open: true, aliveAt: now });
          }
          timer = clock.setTimeout(tick, tickMs);
        } catch (error) {
          internalError(error);
        }
      };
      this.endStream = finish;
      open.body.listen({
        data: (chunk) => {
          if (finished) return;
          // A process paused past its lease reads nothing more once it runs again (the gate loses
          // the lease here and closes the connection).
          if (!this.holds()) return;
          lastByteAt = clock.now();
          socketBytes = open.socketBytes();
          try {
            decoder.push(chunk);
          } catch (error) {
            internalError(error);
          }
        },
        end: () => {
          if (finished) return;
          try {
            decoder.end();
          } catch {
            // The last line is lost with the stream either way.
          }
          finish(verdictForLoss('ended', describeDuration(clock.now() - (this.connectedAt ?? clock.now()))));
        },
        error: (error) => {
          const zlib = typeof error.code === 'string' && error.code.startsWith('Z_');
          finish(
            verdictForLoss(zlib ? 'encoding' : 'broken', `${error.code ? `${error.code}: ` : ''}${error.message}`),
          );
        },
      });
      timer = clock.setTimeout(tick, tickMs);
    });
  }

  /**
   * Counts the connections in a row lost soon after opening; the one that completes a run of
   * `unstableAfter` (and each after it) is reported as `connection_unstable`. A connection that
   * lived longer, or ended otherwise (stalled, not gzip), ends the run.
   */
  private judgeLifetime(verdict: Verdict, lifetimeMs: number): Verdict {
    const withinMs = this.options.unstableWithinMs ?? UNSTABLE_WITHIN_MS;
    const short = lifetimeMs < withinMs && verdict.problem.code === 'connection_lost';
    this.shortLived = short ? this.shortLived + 1 : 0;
    if (this.shortLived < (this.options.unstableAfter ?? UNSTABLE_AFTER)) return verdict;
    return verdictForUnstable(verdict, { connections: this.shortLived, withinMs });
  }

  private reportBytes(open: OpenStream, reported: number): number {
    const total = open.compressedBytes();
    if (total > reported) this.options.onBytes?.(this.shard, total - reported);
    return total;
  }
}

function describeDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `the server ended the stream after ${s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`}`;
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
