/**
 * Every Redis key of a cluster starts with `PUBLISH_STREAM_KEY`, so two streams (two report
 * suites) can share one Redis without meeting.
 */
export function clusterKeys(streamKey: string) {
  return {
    /** The stream other programs read: one entry per distinct hit. */
    stream: streamKey,
    /** `<relayId>:<fence>` of the shard's holder, with the lease's TTL (`alerts`: the relay that sends alerts). */
    lease: (shard: number | 'alerts') => `${streamKey}:lease:${shard}`,
    /** The shard's fencing counter (grows by one per acquisition). */
    fence: (shard: number | 'alerts') => `${streamKey}:fence:${shard}`,
    /** Beside the lease: holder, fence, `open`, `aliveAt` (last moment open), `retryAt`, the holder's view. */
    shard: (shard: number | 'alerts') => `${streamKey}:shard:${shard}`,
    /** Problems raised, resolved or acknowledged on any relay (a stream, trimmed to about 1,000). */
    problems: `${streamKey}:problems`,
    /** Each second, what a holder read beyond the distinct hits: duplicates, malformed records, bytes. */
    counts: `${streamKey}:counts`,
    /** The last `seq` given. */
    seq: `${streamKey}:seq`,
    /** Hit ids seen recently (de-duplication across shards and relays). */
    seen: `${streamKey}:seen`,
    /** Names this stream's `seq` sequence: event ids are `<epoch>.<seq>`; a Redis that lost its data gets a new one. */
    epoch: `${streamKey}:epoch`,
  };
}
