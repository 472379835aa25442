import type { Shard } from '../../contract/index.ts';

/** What a shard's state machine knows, whatever its state. */
export interface ShardFacts {
  shard: number;
  state: string;
  since: number;
  attempt: number;
  hits: number;
  retryAt?: number | undefined;
  waitReason?: string | undefined;
  connectedAt?: number | undefined;
  problem?: Shard['problem'] | undefined;
  lastHitAt?: number | undefined;
  cooldownUntil?: number | undefined;
}

/**
 * The `Shard` to publish: `retryAt` and `waitReason` only while waiting, `connectedAt` only while
 * connected, the item-level problem unless streaming, `cooldownUntil` only while it lies ahead.
 * Shared by the relay's supervisor and the mock relay so both publish the same shapes.
 */
export function shardView(facts: ShardFacts, now: number): Shard {
  const { state } = facts;
  const shard: Shard = { shard: facts.shard, state, since: facts.since, attempt: facts.attempt, hits: facts.hits };
  if (state === 'waiting' && facts.retryAt !== undefined) shard.retryAt = facts.retryAt;
  if (state === 'waiting' && facts.waitReason) shard.waitReason = facts.waitReason;
  if ((state === 'streaming' || state === 'stalled') && facts.connectedAt !== undefined) {
    shard.connectedAt = facts.connectedAt;
  }
  if (facts.problem && state !== 'streaming') shard.problem = facts.problem;
  if (facts.lastHitAt !== undefined) shard.lastHitAt = facts.lastHitAt;
  if (facts.cooldownUntil !== undefined && facts.cooldownUntil > now) shard.cooldownUntil = facts.cooldownUntil;
  return shard;
}
