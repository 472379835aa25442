import { randomBytes } from 'node:crypto';
import { ProblemSchema, ShardSchema, type Shard } from '../../contract/index.ts';
import { Dedup } from '../../core/ingest/dedup.ts';
import type { RelayClusterHooks, RelayCore, RelayLog, StreamEntry } from '../../core/relay-core.ts';
import { readStateFile, writeFileAtomic } from '../store/atomic-file.ts';
import { clusterKeys } from './keys.ts';
import { LEASE_TTL_MS, RedisShardLease } from './lease.ts';
import { HitPublisher } from './publisher.ts';
import { connectRedis, whenReady } from './redis-client.ts';

/**
 * The Node host's side of several relays on one stream (`REDIS_URL`, CONTRACT §6): the shards'
 * leases (lease.ts), the publishing of what this relay reads (publisher.ts), the reading of the
 * shared stream that every relay serves its browsers from (blocking `XREAD`), and the shards'
 * views shared through Redis so every relay shows the holder's.
 *
 * Three connections: commands (leases, publishing, views: bounded by a command timeout), the
 * blocking reader, and nothing else. The stream's epoch (a random name kept in Redis, put back by
 * the relays if Redis loses it) is the run id of every relay: event ids `<epoch>.<seq>` mean the
 * same on each, so a browser moved to another relay resumes with `Last-Event-ID`.
 */

export interface ClusterOptions {
  redisUrl: string;
  streamKey: string;
  shards: number;
  cooldownMs: number;
  /** Lease TTL. Default `LEASE_TTL_MS`. */
  leaseTtlMs?: number;
  /** `XADD … MAXLEN ~`. Default `STREAM_MAX_LEN`. */
  maxLen?: number;
  log: RelayLog;
  /** How long start-up waits for Redis. Default 10 s. */
  connectTimeoutMs?: number;
  /** Where the epoch and the highest seq seen are kept across restarts (in `DATA_DIR`). */
  stateFile?: string;
}

/** About the replay window: a minute at 1,600 hits/s, 20 s at 5,000 (the relay's own replay is bounded in bytes). */
export const STREAM_MAX_LEN = 100_000;
/** Hit ids the shared de-duplication remembers (as the single relay's `Dedup`). */
export const DEDUP_CAPACITY = 200_000;
const READ_BLOCK_MS = 1_000;
const READ_COUNT = 1_000;
const VIEW_POLL_MS = 1_000;
/** `LIVESTREAM_MAX_CONNECTIONS` is at most 8: an entry naming another shard is not a relay's. */
const MAX_SHARDS = 8;
/** Seconds of counts kept (`XADD … MAXLEN ~`): only followed live, never read back. */
const COUNTS_MAX_LEN = 1_000;
/** Problems kept in the shared stream (`XADD … MAXLEN ~`): as many as a relay's own log keeps. */
const PROBLEMS_MAX_LEN = 1_000;
/** Entries read back at start for `Last-Event-ID` replay (the replay buffer keeps at least 10,000 hits). */
const BACKFILL_ENTRIES = 10_000;

export interface Cluster {
  readonly relayId: string;
  /** The stream's epoch: the run id of every relay on it. */
  readonly epoch: string;
  readonly hooks: RelayClusterHooks;
  readonly leases: readonly RedisShardLease[];
  readonly publisher: HitPublisher;
  /** Reads back the stream's recent entries for replay, then follows it and the shards' views. */
  start(core: RelayCore): Promise<void>;
  stop(): Promise<void>;
}

export class ClusterStartError extends Error {}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const relayId = `relay-${randomBytes(6).toString('hex')}`;
  const keys = clusterKeys(options.streamKey);
  const log = (message: string) => options.log.warn(message);
  const ttlMs = options.leaseTtlMs ?? LEASE_TTL_MS;
  const commands = connectRedis(options.redisUrl, {
    name: `${relayId}-commands`,
    commandTimeoutMs: Math.max(200, Math.round(ttlMs / 5)),
    log,
  });
  const reader = connectRedis(options.redisUrl, { name: `${relayId}-reader`, blocking: true, log });
  /** Start-up cannot go on without Redis: one line naming REDIS_URL (main.ts prints it). */
  const failure = (error: unknown): ClusterStartError => {
    commands.disconnect();
    reader.disconnect();
    return new ClusterStartError(`REDIS_URL: ${(error as Error).message} (${redactUrl(options.redisUrl)})`);
  };
  try {
    await Promise.all([
      whenReady(commands, options.connectTimeoutMs ?? 10_000),
      whenReady(reader, options.connectTimeoutMs ?? 10_000),
    ]);
  } catch (error) {
    throw failure(error);
  }
  // The epoch and the highest seq this relay knew, kept in DATA_DIR: a relay that starts while
  // Redis has lost its data puts them back rather than naming a new epoch.
  const saved = options.stateFile ? readSaved(options.stateFile) : undefined;
  const candidate = saved?.epoch ?? `c${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  let epoch: string;
  let lastId: string;
  let redisSeq: number;
  try {
    await commands.set(keys.epoch, candidate, 'NX');
    epoch = (await commands.get(keys.epoch)) ?? candidate;
    const last = await commands.xrevrange(keys.stream, '+', '-', 'COUNT', 1);
    lastId = last[0]?.[0] ?? '0-0';
    redisSeq = Number(await commands.get(keys.seq)) || 0;
  } catch (error) {
    throw failure(error);
  }

  const leases = Array.from(
    { length: options.shards },
    (_, shard) =>
      new RedisShardLease(commands, {
        relayId,
        shard,
        streamKey: options.streamKey,
        cooldownMs: options.cooldownMs,
        ttlMs,
        log: (message, fields) => options.log.info(message, fields),
        streamIsNew: () => highestSeq === 0,
      }),
  );
  let core: RelayCore | undefined;
  /** Hit ids this relay has read from the shared stream: a record seen there is not sent again. */
  const consumed = new Dedup(DEDUP_CAPACITY);
  let highestSeq = Math.max(seqOf(lastId), redisSeq, saved?.epoch === epoch ? saved.seq : 0);
  let savedSeq = -1;
  let dropped = 0;
  let droppedSaidAt = -Infinity;
  let epochWarned = false;
  function save(): void {
    if (!options.stateFile || savedSeq === highestSeq) return;
    try {
      writeFileAtomic(options.stateFile, JSON.stringify({ epoch, seq: highestSeq }));
      savedSeq = highestSeq;
    } catch {
      // The floor is a help after Redis lost its data, not a need: the next save tries again.
    }
  }
  const publisher = new HitPublisher(commands, {
    streamKey: options.streamKey,
    relayId,
    maxLen: options.maxLen ?? STREAM_MAX_LEN,
    dedupCapacity: DEDUP_CAPACITY,
    epoch,
    seqFloor: () => highestSeq,
    leaseValue: (shard) => leases[shard]?.value,
    onPublished: (shard, seqs, arrivedAt) => core?.published(shard, seqs, arrivedAt),
    onDropped: (shard, hits, why) => {
      // Said at most every 10 s: a Redis that does not keep up would otherwise say it per record.
      dropped += hits;
      const now = Date.now();
      if (now - droppedSaidAt < 10_000) return;
      droppedSaidAt = now;
      options.log.warn('hits not published', { shard, hits: dropped, why });
      dropped = 0;
    },
    log: (message, fields) => options.log.warn(message, fields),
  });
  for (const lease of leases) lease.onLost(() => publisher.drop(lease.shard));
  // One relay sends the alerts (each evaluates the same rules on the same views).
  const alertsLease = new RedisShardLease(commands, {
    relayId,
    shard: -1,
    name: 'alerts',
    streamKey: options.streamKey,
    cooldownMs: 0,
    ttlMs,
  });
  let alertsLost: (() => void) | undefined;
  alertsLease.onLost(() => alertsLost?.());
  const abort = new AbortController();

  const hooks: RelayClusterHooks = {
    relayId,
    gate: (shard) => leases[shard]!,
    publish(shard, decoded, arrivedAt) {
      // Fencing, first here: nothing read once the lease is gone leaves this relay.
      if (!leases[shard]?.held()) return;
      if (consumed.has(decoded.hitId)) {
        core?.published(shard, [0], [arrivedAt]);
        return;
      }
      publisher.push(shard, decoded.hitId, decoded.line, arrivedAt);
    },
    problem(problem) {
      commands
        .xadd(keys.problems, 'MAXLEN', '~', PROBLEMS_MAX_LEN, '*', 'problem', JSON.stringify(problem), 'relay', relayId)
        .catch(() => undefined);
    },
    counts(counts) {
      commands
        .xadd(
          keys.counts,
          'MAXLEN',
          '~',
          COUNTS_MAX_LEN,
          '*',
          'relay',
          relayId,
          'duplicates',
          counts.duplicates,
          'malformed',
          counts.malformed,
          'bytes',
          counts.bytes,
        )
        .catch(() => undefined);
    },
    // Redis out of reach: no relay can hold the lease, so each sends (duplicates rather than silence).
    deliversAlerts: () => alertsLease.held() || commands.status !== 'ready',
    shardState(view) {
      const lease = leases[view.shard];
      if (!lease?.held()) return;
      commands.hset(keys.shard(view.shard), 'view', JSON.stringify(view)).catch(() => undefined);
    },
  };

  let stopped = false;
  let readLoop: Promise<void> | undefined;
  let problemsLastId = '0-0';
  let countsLastId = '0-0';
  let readFailing = false;
  let viewTimer: NodeJS.Timeout | undefined;

  async function read(target: RelayCore): Promise<void> {
    while (!stopped) {
      let answer: [Buffer, [Buffer, Buffer[]][]][] | null;
      try {
        answer = await reader.xreadBuffer(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          READ_BLOCK_MS,
          'STREAMS',
          keys.stream,
          keys.problems,
          keys.counts,
          lastId,
          problemsLastId,
          countsLastId,
        );
      } catch (error) {
        if (stopped) return;
        // Once per episode; the next answer ends it.
        if (!readFailing) options.log.warn('reading the shared stream failed', { error: (error as Error).message });
        readFailing = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (readFailing) options.log.info('reading the shared stream again');
      readFailing = false;
      for (const [key, entries] of answer ?? []) {
        const name = key.toString();
        if (name === keys.problems) {
          for (const [id, fields] of entries) takeProblem(target, id.toString(), fields);
          continue;
        }
        if (name === keys.counts) {
          for (const [id, fields] of entries) takeCounts(target, id.toString(), fields);
          continue;
        }
        for (const [id, fields] of entries) {
          const entry = take(id, fields);
          if (entry) target.fromStream(entry.shard, entry.seq, entry.hitId, entry.hit, entry.arrivedAt);
        }
      }
    }
  }

  /** A Problem shared by another relay (this relay's own are in its log already). */
  function takeProblem(target: RelayCore, id: string, fields: Buffer[]): void {
    problemsLastId = id;
    const f = textFields(fields);
    if (!f.problem || f.relay === relayId) return;
    try {
      const parsed = ProblemSchema.safeParse(JSON.parse(f.problem));
      if (parsed.success) target.remoteProblem(parsed.data);
    } catch {
      // not a Problem: another program's entry, left alone
    }
  }

  /** Another relay's counts of a second (this relay's own are in its counters already). */
  function takeCounts(target: RelayCore, id: string, fields: Buffer[]): void {
    countsLastId = id;
    const f = textFields(fields);
    if (f.relay === relayId) return;
    const count = (value: string | undefined) => {
      const n = Number(value);
      return Number.isSafeInteger(n) && n >= 0 ? n : 0;
    };
    target.remoteCounts({ duplicates: count(f.duplicates), malformed: count(f.malformed), bytes: count(f.bytes) });
  }

  /** The Problems shared so far (the stream keeps about 1,000), oldest first. */
  async function readProblems(target: RelayCore): Promise<void> {
    try {
      const entries = await commands.xrangeBuffer(keys.problems, '-', '+');
      for (const [id, fields] of entries) takeProblem(target, id.toString(), fields);
    } catch (error) {
      options.log.warn('reading the shared problems failed', { error: (error as Error).message });
    }
  }

  async function leadAlerts(target: RelayCore): Promise<void> {
    while (!stopped) {
      const lease = await alertsLease.acquire(abort.signal, () => undefined);
      if (!lease || stopped) return;
      options.log.info('this relay sends the alerts');
      target.deliverFiringAlerts();
      await new Promise<void>((resolve) => (alertsLost = resolve));
    }
  }

  /** An entry read: the cursor moves past it, its id counts as seen. */
  function take(id: Buffer, fields: Buffer[]): StreamEntry | undefined {
    lastId = id.toString();
    const seq = seqOf(lastId);
    if (seq > highestSeq) highestSeq = seq;
    const entry = fieldsOf(seq, fields);
    if (entry) consumed.add(entry.hitId);
    return entry;
  }

  /** The stream's last `BACKFILL_ENTRIES` entries, up to the cursor, into the replay buffer. */
  async function backfill(target: RelayCore): Promise<void> {
    const end = lastId;
    let from = Math.max(1, seqOf(end) - BACKFILL_ENTRIES + 1);
    if (seqOf(end) === 0) return;
    const entries: StreamEntry[] = [];
    try {
      for (;;) {
        const page = (await commands.xrangeBuffer(keys.stream, `${from}-0`, end, 'COUNT', 1000)) as [
          Buffer,
          Buffer[],
        ][];
        for (const [id, fields] of page) {
          const entry = take(id, fields);
          if (entry) entries.push(entry);
        }
        if (page.length < 1000) break;
        from = seqOf(lastId) + 1;
      }
    } catch (error) {
      options.log.warn('reading back the shared stream failed', { error: (error as Error).message });
    }
    lastId = end;
    target.backfill(entries);
  }

  /** Each shard this relay holds: its view now (hits, lag), for the relays that show it. */
  function shareViews(target: RelayCore): void {
    for (const supervisor of target.upstream.supervisors) {
      if (supervisor.holds()) hooks.shardState(supervisor.snapshot());
    }
  }

  async function pollViews(target: RelayCore): Promise<void> {
    try {
      // Redis may have lost the epoch (a restart without persistence): put it back at once.
      const [, [, current] = []] =
        (await commands.pipeline().set(keys.epoch, epoch, 'NX').get(keys.epoch).exec()) ?? [];
      if (current !== epoch && !epochWarned) {
        epochWarned = true;
        options.log.warn('the stream was given another epoch while this relay ran: restart it to follow it', {
          epoch,
          current,
        });
      }
      const pipeline = commands.pipeline();
      for (let shard = 0; shard < options.shards; shard++) {
        pipeline.get(keys.lease(shard));
        pipeline.hget(keys.shard(shard), 'view');
      }
      const answers = (await pipeline.exec()) ?? [];
      for (let shard = 0; shard < options.shards; shard++) {
        const holder = answers[shard * 2]?.[1] as string | null | undefined;
        const viewText = answers[shard * 2 + 1]?.[1] as string | null | undefined;
        if (!holder || holder.startsWith(`${relayId}:`)) {
          target.remoteShard(shard, undefined);
          continue;
        }
        target.remoteShard(shard, parseView(viewText, shard));
      }
    } catch {
      // Redis unreachable: the views stay as they were; the leases say what this relay may do.
    }
  }

  return {
    relayId,
    epoch,
    hooks,
    leases,
    publisher,
    async start(target) {
      core = target;
      await backfill(target);
      await readProblems(target);
      // Counts from before this relay ran are not its seconds: it follows from the newest.
      countsLastId = (await commands.xrevrange(keys.counts, '+', '-', 'COUNT', 1).catch(() => []))[0]?.[0] ?? '0-0';
      readLoop = read(target);
      void leadAlerts(target);
      const tick = () => {
        shareViews(target);
        save();
        void pollViews(target).finally(() => {
          if (!stopped) viewTimer = setTimeout(tick, VIEW_POLL_MS);
        });
      };
      tick();
    },
    async stop() {
      await publisher.flush(1000);
      stopped = true;
      abort.abort();
      alertsLost?.();
      publisher.stop();
      if (viewTimer) clearTimeout(viewTimer);
      reader.disconnect();
      await readLoop?.catch(() => undefined);
      await Promise.all([...leases, alertsLease].map((lease) => lease.release()));
      commands.disconnect();
    },
  };
}

function readSaved(path: string): { epoch: string; seq: number } | undefined {
  const read = readStateFile(path, 4096);
  if (read.kind !== 'text') return undefined;
  try {
    const parsed = JSON.parse(read.text) as { epoch?: unknown; seq?: unknown };
    if (typeof parsed.epoch === 'string' && /^[\w-]{1,64}$/.test(parsed.epoch) && Number.isSafeInteger(parsed.seq)) {
      return { epoch: parsed.epoch, seq: parsed.seq as number };
    }
  } catch {
    // damaged: as if absent
  }
  return undefined;
}

/** A stream entry's fields as text, by name (the small entries: Problems, counts). */
function textFields(fields: Buffer[]): Partial<Record<string, string>> {
  const out: Partial<Record<string, string>> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i]!.toString()] = fields[i + 1]!.toString();
  return out;
}

function seqOf(id: string): number {
  const dash = id.indexOf('-');
  return Number(dash < 0 ? id : id.slice(0, dash)) || 0;
}

function fieldsOf(seq: number, fields: Buffer[]): StreamEntry | undefined {
  let hit: Buffer | undefined;
  let hitId: string | undefined;
  let shard = 0;
  let arrivedAt = 0;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!.toString();
    const value = fields[i + 1]!;
    if (name === 'hit') hit = value;
    else if (name === 'hitId') hitId = value.toString();
    else if (name === 'shard') shard = Number(value.toString());
    else if (name === 'arrivedAt') arrivedAt = Number(value.toString()) || 0;
  }
  // An entry that is not a relay's (another program's, or damaged) is passed over.
  const known = Number.isInteger(shard) && shard >= 0 && shard < MAX_SHARDS;
  return hit && hitId && known ? { seq, hit, hitId, shard, arrivedAt } : undefined;
}

function parseView(text: string | null | undefined, shard: number): Shard | undefined {
  if (!text) return undefined;
  try {
    const parsed = ShardSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.shard === shard ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The URL without its password, for a message. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return 'an invalid URL';
  }
}
