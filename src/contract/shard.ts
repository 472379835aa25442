import { z } from 'zod';
import { ProblemSchema } from './problem.ts';

/**
 * A shard's life: `connecting → streaming → (stalled) → waiting → connecting`, `failed` for what
 * waiting cannot fix, `stopped` on shutdown. The set may grow: schemas accept any non-empty word.
 */
export const SHARD_STATES = ['connecting', 'streaming', 'stalled', 'waiting', 'failed', 'stopped'] as const;
export type ShardState = (typeof SHARD_STATES)[number];

export function isKnownShardState(state: string): state is ShardState {
  return (SHARD_STATES as readonly string[]).includes(state);
}

/** Why a shard is waiting; lets the dashboard say it in one line. */
export const WAIT_REASONS = [
  'lost',
  'refused',
  'too-many-connections',
  'retry-after',
  'restart',
  'token',
  // Several relays (REDIS_URL): waiting for the shard's lease, and the cooldown after taking it over.
  'standby',
  'takeover',
] as const;
export type WaitReason = (typeof WAIT_REASONS)[number];

/** One upstream connection slot (docs/api.md, "Routes"). Times are epoch ms. */
export const ShardSchema = z.looseObject({
  shard: z.int().nonnegative(),
  state: z.string().min(1),
  since: z.number(),
  /** Set while `waiting`: when the next attempt will be made, on the relay's clock. */
  retryAt: z.number().optional(),
  attempt: z.int().nonnegative(),
  connectedAt: z.number().optional(),
  /** Distinct hits this shard delivered since the relay started. */
  hits: z.int().nonnegative(),
  /** The shard's item-level problem: the other shards keep streaming. */
  problem: ProblemSchema.optional(),
  /** Extension: arrival time of this shard's last hit. */
  lastHitAt: z.number().optional(),
  /** Extension: while waiting, why (WAIT_REASONS; may grow). */
  waitReason: z.string().optional(),
  /**
   * Extension: the end of the enforced cooldown after the last loss (epoch ms, relay clock).
   * `POST /api/upstream/:shard/reconnect` answers 429 before it; `retryAt` may be later (a
   * growing 409 wait, a long Retry-After).
   */
  cooldownUntil: z.number().optional(),
});
export type Shard = z.output<typeof ShardSchema>;
