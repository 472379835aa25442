import type { Redis } from 'ioredis';
import { clusterKeys } from './keys.ts';

/**
 * The holder's side of the shared stream: every record read on a shard it holds goes to Redis,
 * where one script, atomically, checks the fence (the lease is still exactly this holder's),
 * de-duplicates the hit id (a sorted set of the last `dedupCapacity` ids, scored by `seq`), gives
 * each distinct hit the next `seq` and appends it to `PUBLISH_STREAM_KEY` with the entry id
 * `<seq>-0` and the contract's fields (`hit`: the line exactly as received; `hitId`, `shard`,
 * `arrivedAt`; and `relay`, the publishing relay's id, an extension), trimmed to about `maxLen` entries. Shards held by different relays therefore get
 * one gap-free `seq`.
 *
 * Records are sent in batches (one script call per batch, at most one in flight per shard, so
 * order is kept). A batch whose call fails is sent again while the lease is still held: the
 * de-duplication makes a repeat harmless. A batch refused by the fence, or waiting when the lease
 * is lost, is dropped: a holder publishes nothing after losing its lease.
 *
 * Redis losing its data (a restart without persistence) must not restart `seq` or the event
 * ids: each call carries the highest `seq` this relay has seen and the epoch it knows, which the
 * script puts back when they are missing.
 */

export interface PublisherOptions {
  streamKey: string;
  /** Written as each entry's `relay` field (an extension: who read it). */
  relayId: string;
  /** `XADD … MAXLEN ~`: about how many entries the stream keeps. */
  maxLen: number;
  /** Hit ids remembered for de-duplication. */
  dedupCapacity: number;
  /** The epoch this relay knows (put back if Redis lost it). */
  epoch: string;
  /** The highest `seq` this relay has read (put back if Redis lost it). */
  seqFloor: () => number;
  /** The shard's lease value now (`<relayId>:<fence>`), undefined when not held. */
  leaseValue: (shard: number) => string | undefined;
  /** What each record of a batch became: its `seq`, or 0 for a duplicate. */
  onPublished: (shard: number, seqs: readonly number[], arrivedAt: readonly number[]) => void;
  /** A batch was dropped (lease lost, or the waiting bytes passed the bound). */
  onDropped?: (shard: number, hits: number, why: string) => void;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Records per script call. Default 256. */
  batchHits?: number;
  /** Bytes waiting per shard before new records are dropped. Default 32 MiB. */
  maxWaitingBytes?: number;
}

const PUBLISH = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1} end
if redis.call('EXISTS', KEYS[5]) == 0 then redis.call('SET', KEYS[5], ARGV[4]) end
local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
-- Never below the stream's last id (XADD would refuse it): the seq key lost, or another program
-- appended an entry of its own.
local last = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', 1)
if last[1] then
  local n = tonumber(string.match(last[1][1], '^(%d+)'))
  if n and n > seq then seq = n end
end
local floor = tonumber(ARGV[6])
if seq < floor then seq = floor end
local first = seq
local out = {}
for i = 8, #ARGV, 3 do
  if redis.call('ZADD', KEYS[2], 'NX', seq + 1, ARGV[i]) == 1 then
    seq = seq + 1
    redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], seq .. '-0',
      'hit', ARGV[i + 2], 'hitId', ARGV[i], 'shard', ARGV[5], 'arrivedAt', ARGV[i + 1], 'relay', ARGV[7])
    out[#out + 1] = seq
  else
    out[#out + 1] = 0
  end
end
if seq ~= first then
  redis.call('SET', KEYS[3], seq)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', seq - tonumber(ARGV[3]))
end
return out
`;

interface Pending {
  hitIds: string[];
  lines: string[];
  arrivedAt: number[];
  bytes: number;
}

const RETRY_MS = 200;

export class HitPublisher {
  private readonly keys: ReturnType<typeof clusterKeys>;
  private readonly waiting = new Map<number, Pending>();
  private readonly inFlight = new Set<number>();
  private readonly scheduled = new Set<number>();
  private stopped = false;
  /** Calls failed in a row (the first of an episode is logged). */
  private failing = 0;
  /** Distinct hits published, duplicates dropped by Redis, records dropped unpublished. */
  readonly counters = { published: 0, duplicates: 0, dropped: 0, failedCalls: 0 };

  constructor(
    private readonly redis: Redis,
    private readonly options: PublisherOptions,
  ) {
    this.keys = clusterKeys(options.streamKey);
  }

  /** One record read on `shard` (the caller checked the lease is held when it was read). */
  push(shard: number, hitId: string, line: string, arrivedAt: number): void {
    if (this.stopped) return;
    let pending = this.waiting.get(shard);
    if (!pending) {
      pending = { hitIds: [], lines: [], arrivedAt: [], bytes: 0 };
      this.waiting.set(shard, pending);
    }
    const size = line.length + hitId.length + 32;
    if (pending.bytes + size > (this.options.maxWaitingBytes ?? 32 * 1024 * 1024)) {
      this.counters.dropped++;
      this.options.onDropped?.(shard, 1, 'Redis is not keeping up: the waiting records passed 32 MiB');
      return;
    }
    pending.hitIds.push(hitId);
    pending.lines.push(line);
    pending.arrivedAt.push(arrivedAt);
    pending.bytes += size;
    this.schedule(shard);
  }

  /** The lease of `shard` is lost: what waits is not published. */
  drop(shard: number): void {
    const pending = this.waiting.get(shard);
    if (!pending || pending.hitIds.length === 0) return;
    this.waiting.delete(shard);
    this.counters.dropped += pending.hitIds.length;
    this.options.onDropped?.(shard, pending.hitIds.length, 'the lease was lost');
  }

  /** Waits (bounded) for what is waiting to be sent. */
  async flush(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (
      (this.inFlight.size > 0 || [...this.waiting.values()].some((p) => p.hitIds.length > 0)) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  stop(): void {
    this.stopped = true;
    this.waiting.clear();
  }

  private schedule(shard: number): void {
    if (this.inFlight.has(shard) || this.scheduled.has(shard)) return;
    this.scheduled.add(shard);
    setImmediate(() => {
      this.scheduled.delete(shard);
      void this.send(shard);
    });
  }

  private async send(shard: number): Promise<void> {
    if (this.stopped || this.inFlight.has(shard)) return;
    const pending = this.waiting.get(shard);
    if (!pending || pending.hitIds.length === 0) return;
    const value = this.options.leaseValue(shard);
    if (value === undefined) {
      this.drop(shard);
      return;
    }
    const n = Math.min(pending.hitIds.length, this.options.batchHits ?? 256);
    const hitIds = pending.hitIds.splice(0, n);
    const lines = pending.lines.splice(0, n);
    const arrivedAt = pending.arrivedAt.splice(0, n);
    for (let i = 0; i < n; i++) pending.bytes -= lines[i]!.length + hitIds[i]!.length + 32;
    const args: string[] = [
      value,
      String(this.options.maxLen),
      String(this.options.dedupCapacity),
      this.options.epoch,
      String(shard),
      String(this.options.seqFloor()),
      this.options.relayId,
    ];
    for (let i = 0; i < n; i++) args.push(hitIds[i]!, String(arrivedAt[i]), lines[i]!);
    this.inFlight.add(shard);
    try {
      for (;;) {
        try {
          const seqs = (await this.redis.eval(
            PUBLISH,
            5,
            this.keys.lease(shard),
            this.keys.seen,
            this.keys.seq,
            this.keys.stream,
            this.keys.epoch,
            ...args,
          )) as number[];
          this.failing = 0;
          if (seqs[0] === -1) {
            this.counters.dropped += n;
            this.options.onDropped?.(shard, n, 'Redis refused the fence: the lease is no longer this relay’s');
            this.drop(shard);
          } else {
            let published = 0;
            for (const seq of seqs) if (seq > 0) published++;
            this.counters.published += published;
            this.counters.duplicates += n - published;
            this.options.onPublished(shard, seqs, arrivedAt);
          }
          break;
        } catch (error) {
          // Said once per episode: the retries every 200 ms would otherwise fill the log.
          if (this.failing === 0) this.options.log?.('publish: Redis call failed', { shard, error: String(error) });
          this.counters.failedCalls++;
          this.failing++;
          // Sent again while this relay still holds the same lease; de-duplication makes it safe.
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          if (this.stopped || this.options.leaseValue(shard) !== value) {
            this.counters.dropped += n;
            this.options.onDropped?.(shard, n, 'the lease was lost while Redis did not answer');
            this.drop(shard);
            break;
          }
        }
      }
    } finally {
      this.inFlight.delete(shard);
    }
    if ((this.waiting.get(shard)?.hitIds.length ?? 0) > 0) this.schedule(shard);
  }
}
