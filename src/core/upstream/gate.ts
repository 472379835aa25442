/**
 * What stands between a shard's supervisor and its upstream connection when several relays share
 * one stream (`REDIS_URL`): a lease that at most one relay holds per shard. Without a gate (the
 * embedded default) a relay holds every shard itself.
 *
 * The supervisor asks for the lease before each attempt and connects no sooner than `notBefore`
 * (the cooldown after the previous holder was last seen with an open connection, a retry the
 * previous holder had planned); once it holds it, it tells the gate whether a connection is open
 * (so the last moment alive is kept beside the lease) and closes its connection at once when the
 * gate says the lease is lost.
 */
export interface Lease {
  /** The earliest moment (this relay's clock, epoch ms) the connection may open. */
  notBefore: number;
  /** No relay held the shard before (as far as the store knows): only then may `reset` be sent. */
  fresh: boolean;
}

export interface ShardGate {
  /**
   * Waits until this relay holds the shard's lease. Resolves with the earliest moment (this
   * relay's clock, epoch ms) it may open the connection; undefined when `signal` aborts first.
   * Never rejects: a shared store that cannot be reached means waiting.
   */
  acquire(signal: AbortSignal, onWaiting: (retryAt: number) => void): Promise<Lease | undefined>;
  /** The lease is held now, by this relay's clock (renewed in time, not lost). Cheap: called per chunk. */
  held(): boolean;
  /** `listener` runs once each time a held lease is lost (expired, taken, store gone). */
  onLost(listener: () => void): void;
  /**
   * The connection is about to be opened: resolves true once the store has it (so a relay that
   * takes over after this one dies counts the cooldown from now, however soon that is); false
   * when it could not be written or the lease is gone: then nothing is opened.
   */
  opening(): Promise<boolean>;
  /**
   * The shard's connection opened or closed (`retryAt`: the next attempt planned, if any). Kept
   * beside the lease so a relay that takes the shard over waits the cooldown from here.
   */
  connection(open: boolean, retryAt?: number): void;
  /** Gives the lease up (shutdown): the moment of the loss is kept for whoever takes over. */
  release(): Promise<void>;
}
