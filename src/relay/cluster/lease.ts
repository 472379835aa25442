import type { Redis } from 'ioredis';
import type { Lease, ShardGate } from '../../core/upstream/gate.ts';
import { clusterKeys } from './keys.ts';

/**
 * A shard's upstream connection held under a Redis lease with a fencing token (`ShardGate`).
 *
 * - **Acquire**: one script, atomically: the lease key must be absent; the shard's fence counter
 *   is incremented and the lease set to `<relayId>:<fence>` with its TTL; the answer carries
 *   Redis' clock and what is kept beside the lease: the previous holder's last moment with an open
 *   connection (`aliveAt`) and its planned retry (`retryAt`). The new holder connects no sooner
 *   than `aliveAt + cooldown` (and `retryAt`); with no record (a new Redis, or one restarted
 *   without its data) it assumes the worst: a full cooldown from now. Times are Redis' clock
 *   turned into this relay's by the difference seen in the same answer, so relays' clocks need
 *   not agree.
 * - **Renew** every `ttl / 4`: the script extends the lease only when it still holds exactly this
 *   holder's value (an expired lease is never extended: it is gone, and taking it again is an
 *   acquisition with a new fence), and writes `aliveAt` while a connection is open.
 * - **Validity is counted from the send time** of the last renewal that succeeded, not from its
 *   answer: the lease is held until `sent + ttl × 0.75` on this relay's monotonic clock. A renewal
 *   that fails, times out or is answered "not yours" is noticed: "not yours" loses the lease at
 *   once, errors let the deadline run; a watchdog timer at the deadline (and `held()`, checked per
 *   chunk) loses it. A process paused past the deadline finds it lost as soon as it runs again.
 * - **Fencing**: `fence` goes with every publish (publisher.ts): Redis refuses hits from a
 *   holder whose lease is no longer exactly its own.
 */

export interface LeaseOptions {
  /** Unique per relay process. */
  relayId: string;
  shard: number;
  /** Names the lease instead of the shard number (`alerts`: the relay that sends the alerts). */
  name?: 'alerts';
  /** `PUBLISH_STREAM_KEY`: every key of the cluster starts with it. */
  streamKey: string;
  cooldownMs: number;
  ttlMs: number;
  /** This relay's clock (epoch ms), the supervisor's. Default `Date.now`. */
  now?: () => number;
  /** Monotonic ms. Default `performance.now`. */
  monotonic?: () => number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /**
   * Nothing was ever published on the stream as far as this relay knows (no seq, no saved
   * state): only then is a lease without a record `fresh` (a first connection, which may send
   * `reset`), not a Redis that lost its data. Default: always.
   */
  streamIsNew?: () => boolean;
}

/** Default lease TTL: a holder that cannot renew closes its connection within 7.5 s. */
export const LEASE_TTL_MS = 10_000;
/** Part of the TTL a holder counts on: the rest absorbs clock rate differences and latency. */
const VALID_SHARE = 0.75;

const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {0, redis.call('PTTL', KEYS[1])}
end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. fence, 'PX', ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local aliveAt = redis.call('HGET', KEYS[3], 'aliveAt') or ''
local retryAt = redis.call('HGET', KEYS[3], 'retryAt') or ''
redis.call('HSET', KEYS[3], 'holder', ARGV[1], 'fence', fence, 'acquiredAt', now, 'open', '0')
return {1, fence, now, aliveAt, retryAt}
`;

/** ARGV: value, ttl, open (1/0/-1: open, closed now, unchanged), retryAt (Redis clock, or ''). */
const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[3] ~= '-1' then
  redis.call('HSET', KEYS[2], 'open', ARGV[3])
end
if redis.call('HGET', KEYS[2], 'open') == '1' or ARGV[3] == '0' then
  redis.call('HSET', KEYS[2], 'aliveAt', now)
end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[2], 'retryAt', ARGV[4]) end
return 1
`;

/** ARGV: value. Gives the lease up; a connection open until now was lost now. */
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('HGET', KEYS[2], 'open') == '1' then
  local t = redis.call('TIME')
  redis.call('HSET', KEYS[2], 'aliveAt', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), 'open', '0')
end
return 1
`;

export class RedisShardLease implements ShardGate {
  private current: string | undefined;
  /** The fencing token of the lease held (0: none). */
  fence = 0;
  private validUntil = 0;
  private renewTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private listeners: (() => void)[] = [];
  /** Redis' clock minus this relay's, from the last answer that carried it. */
  private skewMs = 0;
  /** A change of the connection's state not yet written (sent with the next renewal, or at once). */
  private pending: { open: 0 | 1 | -1; retryAt: string } = { open: -1, retryAt: '' };
  private readonly now: () => number;
  private readonly monotonic: () => number;
  private readonly keys: { lease: string; fence: string; shard: string };

  constructor(
    private readonly redis: Redis,
    private readonly options: LeaseOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.monotonic = options.monotonic ?? (() => performance.now());
    const keys = clusterKeys(options.streamKey);
    this.keys = {
      lease: keys.lease(options.shard),
      fence: keys.fence(options.shard),
      shard: keys.shard(options.shard),
    };
  }

  get shard(): number {
    return this.options.shard;
  }

  /** `<relayId>:<fence>` while held (what the publish script checks), else undefined. */
  get value(): string | undefined {
    return this.held() ? this.current : undefined;
  }

  held(): boolean {
    if (this.current === undefined) return false;
    if (this.monotonic() < this.validUntil) return true;
    this.lose('not renewed in time');
    return false;
  }

  onLost(listener: () => void): void {
    this.listeners.push(listener);
  }

  async acquire(signal: AbortSignal, onWaiting: (retryAt: number) => void): Promise<Lease | undefined> {
    const { ttlMs, cooldownMs, relayId } = this.options;
    const value = `${relayId}`;
    while (!signal.aborted) {
      const sentAt = this.monotonic();
      let waitMs = Math.max(250, Math.round(ttlMs / 4));
      try {
        const answer = (await this.redis.eval(
          ACQUIRE,
          3,
          this.keys.lease,
          this.keys.fence,
          this.keys.shard,
          value,
          String(ttlMs),
        )) as [number, number, number?, string?, string?];
        this.failing = false;
        if (answer[0] === 1) {
          const [, fence, redisNow, aliveAt, retryAt] = answer;
          if (signal.aborted) {
            await this.giveBack(`${value}:${fence}`);
            return undefined;
          }
          this.current = `${value}:${fence}`;
          this.fence = fence;
          this.validUntil = sentAt + ttlMs * VALID_SHARE;
          this.skewMs = (redisNow ?? this.now()) - this.now();
          const lastAlive = aliveAt ? Number(aliveAt) : (redisNow ?? this.now());
          let notBefore = lastAlive + cooldownMs;
          if (retryAt && Number(retryAt) > notBefore) notBefore = Number(retryAt);
          this.pending = { open: -1, retryAt: '' };
          this.scheduleRenewal();
          this.options.log?.('lease acquired', {
            shard: this.options.shard,
            fence,
            previousAliveAt: aliveAt || undefined,
          });
          return { notBefore: notBefore - this.skewMs, fresh: !aliveAt && (this.options.streamIsNew?.() ?? true) };
        }
        const pttl = Number(answer[1]);
        if (pttl > 0) waitMs = Math.min(waitMs, pttl + 25);
      } catch (error) {
        this.failed('lease: Redis did not answer', error);
        waitMs = Math.max(waitMs, 1000);
      }
      onWaiting(this.now() + waitMs);
      await sleep(waitMs, signal);
    }
    return undefined;
  }

  async opening(): Promise<boolean> {
    this.pending = { open: 1, retryAt: '0' };
    return (await this.renew()) && this.held();
  }

  connection(open: boolean, retryAt?: number): void {
    // An open connection ends any retry planned before it.
    let planned = open ? '0' : this.pending.retryAt;
    if (retryAt !== undefined) planned = String(Math.round(retryAt + this.skewMs));
    this.pending = { open: open ? 1 : 0, retryAt: planned };
    // A closed connection is a loss whose moment matters to the next holder: written at once.
    if (!open && this.current !== undefined) void this.renew();
  }

  async release(): Promise<void> {
    const value = this.current;
    this.stopTimers();
    this.current = undefined;
    this.fence = 0;
    if (value !== undefined) await this.giveBack(value);
  }

  private async giveBack(value: string): Promise<void> {
    try {
      await this.redis.eval(RELEASE, 2, this.keys.lease, this.keys.shard, value);
    } catch (error) {
      // The lease expires on its own; the loss is then the last renewal.
      this.options.log?.('lease: could not give it back', { shard: this.options.shard, error: describe(error) });
    }
  }

  private scheduleRenewal(): void {
    this.stopTimers();
    const every = Math.max(100, Math.round(this.options.ttlMs / 4));
    const tick = () => {
      void this.renew().finally(() => {
        if (this.current !== undefined) this.renewTimer = setTimeout(tick, every);
      });
    };
    this.renewTimer = setTimeout(tick, every);
    this.armWatchdog();
  }

  private armWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    // A timer may fire a little before the monotonic deadline (the event loop's clock is read
    // once per turn): still held then, it looks again for what is left, so the loss is always
    // noticed, reading or not.
    this.watchdog = setTimeout(
      () => {
        this.watchdog = undefined;
        if (this.held()) this.armWatchdog();
      },
      Math.max(0, this.validUntil - this.monotonic()) + 1,
    );
  }

  private renewing: Promise<boolean> | undefined;

  /** Renews, with any pending change of the connection; true when Redis took it. */
  private renew(): Promise<boolean> {
    // One renewal in flight; a state change asked for meanwhile goes with the next one.
    if (this.renewing) return this.renewing.then((ok) => (this.pending.open !== -1 ? this.renew() : ok));
    const value = this.current;
    if (value === undefined) return Promise.resolve(false);
    const sentAt = this.monotonic();
    const pending = this.pending;
    this.pending = { open: -1, retryAt: '' };
    this.renewing = (async () => {
      try {
        const ok = await this.redis.eval(
          RENEW,
          2,
          this.keys.lease,
          this.keys.shard,
          value,
          String(this.options.ttlMs),
          String(pending.open),
          pending.retryAt,
        );
        this.failing = false;
        if (this.current !== value) return false;
        if (ok === 1) {
          // Only a renewal sent while the lease was still valid here extends it.
          if (sentAt < this.validUntil) {
            this.validUntil = sentAt + this.options.ttlMs * VALID_SHARE;
            this.armWatchdog();
          }
          return true;
        }
        this.lose('held by another relay, or gone from Redis');
        return false;
      } catch (error) {
        // The deadline runs on; the watchdog loses the lease when it passes.
        if (this.current === value && pending.open !== -1 && this.pending.open === -1) this.pending = pending;
        this.failed('lease: renewal failed', error);
        return false;
      } finally {
        this.renewing = undefined;
      }
    })();
    return this.renewing;
  }

  /** Redis did not answer: said once per episode (until it answers again), not at every try. */
  private failing = false;

  private failed(message: string, error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.options.log?.(message, { shard: this.options.shard, error: describe(error) });
  }

  private lose(why: string): void {
    if (this.current === undefined) return;
    this.current = undefined;
    this.fence = 0;
    this.stopTimers();
    this.options.log?.('lease lost', { shard: this.options.shard, why });
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // one listener's failure does not keep the others from closing
      }
    }
  }

  private stopTimers(): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    if (this.watchdog) clearTimeout(this.watchdog);
    this.renewTimer = undefined;
    this.watchdog = undefined;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
