import type { Problem, Shard } from '../../contract/index.ts';
import type { ReconnectAnswer } from './reconnect.ts';
import type { Clock } from '../clock.ts';
import type { ShardMemory } from '../store/shard-memory.ts';
import type { ConnectRequest, Connector } from './connector.ts';
import type { ShardGate } from './gate.ts';
import { ShardSupervisor, type RecordStream } from './supervisor.ts';
import type { TokenManager } from './token.ts';

/**
 * The upstream side of the relay: one supervisor per shard (`maxConnections`), one shared token
 * manager, one connector. A shard's failure is item-level: the others keep streaming.
 */

export interface UpstreamOptions {
  /**
   * Stream URL with its query parameters (every shard sends the same `maxConnections`). A `reset`
   * in it goes with each shard's first attempt of the run only: a reconnect resumes where the
   * stream was lost.
   */
  url: string;
  apiKey: string;
  shards: number;
  clock: Clock;
  cooldownMs: number;
  stallTimeoutMs: number;
  /** `RECONNECT_MAX_WAIT_S` in ms. */
  maxWaitMs?: number;
  /** `LIVESTREAM_REDIRECT_HOSTS`. */
  redirectHosts?: readonly string[];
  tokens: Pick<TokenManager, 'get' | 'invalidate' | 'canRefresh'>;
  memory: ShardMemory;
  createDecoder: (shard: number) => RecordStream;
  onState: (shard: Shard) => void;
  onProblem: (problem: Problem) => void;
  onBytes?: (shard: number, bytes: number) => void;
  userAgent?: string;
  /** The host's connector (HTTP in Node, a scenario's script in mock mode). */
  connect: Connector;
  connectTimeoutMs?: number;
  headerTimeoutMs?: number;
  /** Several relays on one stream: each shard's lease (gate.ts). */
  gate?: (shard: number) => ShardGate;
}

export class Upstream {
  readonly supervisors: ShardSupervisor[];

  constructor(options: UpstreamOptions) {
    const { connect } = options;
    const resumeUrl = withoutReset(options.url);
    this.supervisors = Array.from(
      { length: options.shards },
      (_, shard) =>
        new ShardSupervisor({
          shard,
          clock: options.clock,
          cooldownMs: options.cooldownMs,
          stallTimeoutMs: options.stallTimeoutMs,
          ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
          tokens: options.tokens,
          memory: options.memory,
          createDecoder: options.createDecoder,
          onState: options.onState,
          onProblem: options.onProblem,
          ...(options.onBytes ? { onBytes: options.onBytes } : {}),
          ...(options.gate ? { gate: options.gate(shard) } : {}),
          connect: (token, signal, { first }) => {
            const url = first ? options.url : resumeUrl;
            const request: ConnectRequest = { shard, url, token, apiKey: options.apiKey, signal };
            if (options.redirectHosts?.length) request.redirectHosts = options.redirectHosts;
            if (options.userAgent) request.userAgent = options.userAgent;
            if (options.connectTimeoutMs) request.connectTimeoutMs = options.connectTimeoutMs;
            if (options.headerTimeoutMs) request.headerTimeoutMs = options.headerTimeoutMs;
            return connect(request).then((outcome) =>
              outcome.kind === 'http-error' && outcome.requestedUrl === undefined
                ? { ...outcome, requestedUrl: url }
                : outcome,
            );
          },
        }),
    );
  }

  start(): void {
    for (const supervisor of this.supervisors) supervisor.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.supervisors.map((supervisor) => supervisor.stop()));
  }

  shards(): Shard[] {
    return this.supervisors.map((supervisor) => supervisor.snapshot());
  }

  /** Attempts beyond each shard's first. */
  reconnects(): number {
    return this.supervisors.reduce((sum, supervisor) => sum + Math.max(0, supervisor.snapshot().attempt - 1), 0);
  }

  reconnect(shard: number): ReconnectAnswer | undefined {
    return this.supervisors[shard]?.reconnect();
  }

  noteHit(shard: number, at: number): void {
    this.supervisors[shard]?.noteHit(at);
  }
}

/** The stream URL a reconnect uses: the same, without `reset`. */
export function withoutReset(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('reset')) return url;
  parsed.searchParams.delete('reset');
  return parsed.toString();
}
