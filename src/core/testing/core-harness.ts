import type { Problem } from '../../contract/index.ts';
import { ManualClock } from '../clock.ts';
import { createRelayCore, type RelayCoreDeps, type RelaySettings } from '../relay-core.ts';
import { ProblemLog } from '../store/problem-log.ts';
import { MemoryShardMemory } from '../store/shard-memory.ts';
import type { ConnectOutcome, ConnectRequest } from '../upstream/connector.ts';
import { FakeBody } from './fake-body.ts';

/**
 * A relay core on a manual clock whose shards meet scripted connection outcomes, for tests of the
 * core's composition (src/core/relay-core.ts): each open stream is a `FakeBody` the test writes.
 */

export const T0 = Date.UTC(2026, 0, 1, 12);
export const COOLDOWN_S = 60;

export type Step = { kind: 'open' } | { kind: 'refuse'; status: number };

export function coreSettings(maxConnections = 1): RelaySettings {
  return {
    version: '0.0.0-test',
    mode: 'simulator',
    url: 'http://upstream.test/api/1/stream/x',
    publicUrl: 'http://upstream.test/api/1/stream/x',
    apiKey: 'key',
    maxConnections,
    cooldownS: COOLDOWN_S,
    stallTimeoutS: 3600,
    maxWaitS: 3600,
    redirectHosts: [],
    redactFields: ['ip'],
    feedMaxHitsPerS: 1000,
    passwordProtected: false,
  };
}

export interface CoreHarnessOptions {
  log?: ProblemLog;
  at?: number;
  memory?: MemoryShardMemory;
  feedIntervalMs?: RelayCoreDeps['feedIntervalMs'];
}

/** A core whose shards meet `scripts` in order (the last step repeats); stop it with `core.stop()`. */
export function startCore(scripts: Step[][], options: CoreHarnessOptions = {}) {
  const clock = new ManualClock(options.at ?? T0);
  const bodies: FakeBody[][] = scripts.map(() => []);
  const attempts = scripts.map(() => 0);
  const connect = (request: ConnectRequest): Promise<ConnectOutcome> => {
    const script = scripts[request.shard]!;
    const step = script[Math.min(attempts[request.shard]!++, script.length - 1)]!;
    if (step.kind === 'refuse') {
      return Promise.resolve({
        kind: 'http-error',
        status: step.status,
        url: request.url,
        redirects: 0,
        contentType: 'text/plain',
        body: '',
      });
    }
    const body = new FakeBody();
    bodies[request.shard]!.push(body);
    let bytes = 0;
    const listen = body.listen.bind(body);
    body.listen = (handlers) =>
      listen({
        ...handlers,
        data: (chunk) => {
          bytes += chunk.length;
          handlers.data(chunk);
        },
      });
    return Promise.resolve({
      kind: 'open',
      status: 200,
      url: request.url,
      redirects: 0,
      encoding: 'identity',
      body,
      compressedBytes: () => bytes,
      socketBytes: () => bytes,
      close: () => body.destroy(),
    });
  };
  let issued = 1;
  const log = options.log ?? new ProblemLog();
  const core = createRelayCore(coreSettings(scripts.length), {
    clock,
    connect,
    tokens: {
      get: () => Promise.resolve(`token-${issued}`),
      invalidate: () => {
        issued++;
      },
      canRefresh: true,
      secrets: () => [],
      requests: 0,
    },
    memory: options.memory ?? new MemoryShardMemory(),
    problemLog: log,
    runId: 'rtest',
    ...(options.feedIntervalMs !== undefined ? { feedIntervalMs: options.feedIntervalMs } : {}),
  });
  const sent: Problem[] = [];
  const events: { name: string; data: unknown }[] = [];
  const broadcast = core.hub.broadcast.bind(core.hub);
  core.hub.broadcast = (name, data, id) => {
    if (name === 'problem') sent.push(data as Problem);
    events.push({ name, data });
    return broadcast(name, data, id);
  };
  const batches: { at: number; seqs: number[] }[] = [];
  const publishBatch = core.hub.publishBatch.bind(core.hub);
  core.hub.publishBatch = (batch) => {
    batches.push({ at: clock.now(), seqs: batch.hits.map((h) => h.seq) });
    publishBatch(batch);
  };
  return { core, clock, bodies, log, sent, events, batches };
}
