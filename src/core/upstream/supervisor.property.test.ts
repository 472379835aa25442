import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { Shard } from '../../contract/index.ts';
import { ManualClock, settle } from '../clock.ts';
import { MemoryShardMemory } from '../store/shard-memory.ts';
import { FakeBody } from '../testing/fake-body.ts';
import type { ConnectOutcome, OpenStream } from './connector.ts';
import { ShardSupervisor } from './supervisor.ts';
import { TokenError } from './token.ts';

/**
 * The supervisor's invariants over random outcome sequences on the manual clock: whatever the
 * upstream answers (streams that end, break or stall after a while, every status with any
 * Retry-After, network failures, token failures, a connector that throws) and however an
 * operator hammers "Reconnect now", there are never two connections, never an attempt sooner
 * than the cooldown after a loss (but the one immediate retry after a first 401), every wait
 * lies within [cooldown, RECONNECT_MAX_WAIT_S], and `retryAt` lies ahead while waiting.
 */

const STATUSES = [400, 401, 403, 404, 405, 406, 409, 424, 429, 500, 502, 503, 505] as const;

const outcomeArb = fc.oneof(
  fc.record({
    kind: fc.constant('stream' as const),
    lifeMs: fc.integer({ min: 0, max: 400_000 }),
    end: fc.constantFrom('end', 'break', 'stall'),
  }),
  fc.record({
    kind: fc.constant('refusal' as const),
    status: fc.constantFrom(...STATUSES),
    retryAfterS: fc.option(
      fc.oneof(fc.integer({ min: 0, max: 600 }), fc.constantFrom(999_999_999, 2 ** 40, Number.MAX_SAFE_INTEGER)),
      { nil: undefined },
    ),
  }),
  fc.record({ kind: fc.constant('network' as const) }),
  fc.record({ kind: fc.constant('token' as const), permanent: fc.boolean() }),
  fc.record({ kind: fc.constant('throws' as const) }),
);
type Outcome = typeof outcomeArb extends fc.Arbitrary<infer T> ? T : never;

const stepArb = fc.record({
  advanceMs: fc.integer({ min: 0, max: 300_000 }),
  press: fc.boolean(),
});

describe('ShardSupervisor, properties', () => {
  test.prop(
    {
      cooldownMs: fc.constantFrom(1_000, 60_000),
      maxWaitFactor: fc.constantFrom(1, 3, 60),
      outcomes: fc.array(outcomeArb, { minLength: 1, maxLength: 25 }),
      steps: fc.array(stepArb, { minLength: 1, maxLength: 40 }),
    },
    { numRuns: 60 },
  )(
    'never two connections, never too soon, every wait within bounds',
    async ({ cooldownMs, maxWaitFactor, outcomes, steps }) => {
      const maxWaitMs = cooldownMs * maxWaitFactor;
      const clock = new ManualClock();
      const states: Shard[] = [];
      const attempts: { at: number; outcome: Outcome | undefined }[] = [];
      /** When each attempt's connection was lost or refused. */
      const lostAt: number[] = [];
      let open = 0;
      let maxOpen = 0;
      const violations: string[] = [];

      const streamFor = (index: number, outcome: Extract<Outcome, { kind: 'stream' }>): OpenStream => {
        const feed = new FakeBody();
        let closed = false;
        open++;
        maxOpen = Math.max(maxOpen, open);
        if (outcome.end !== 'stall') {
          clock.setTimeout(() => {
            if (outcome.end === 'end') feed.end();
            else feed.fail({ message: 'reset' });
          }, outcome.lifeMs);
        }
        return {
          kind: 'open',
          status: 200,
          url: 'http://upstream/x',
          redirects: 0,
          encoding: 'identity',
          body: feed,
          compressedBytes: () => 0,
          socketBytes: () => 0,
          close: () => {
            if (closed) return;
            closed = true;
            open--;
            lostAt[index] = clock.now();
            feed.destroy();
          },
        };
      };

      const supervisor = new ShardSupervisor({
        shard: 0,
        clock,
        cooldownMs,
        stallTimeoutMs: 90_000,
        maxWaitMs,
        memory: new MemoryShardMemory(),
        tokens: {
          get: () => {
            const next = outcomes[attempts.length % outcomes.length]!;
            if (next.kind === 'token') {
              attempts.push({ at: clock.now(), outcome: next });
              lostAt[attempts.length - 1] = clock.now();
              return Promise.reject(
                new TokenError({
                  code: next.permanent ? 'invalid_client_id' : 'network_connection_failure',
                  action: next.permanent ? 'application-registration' : 'retry-after',
                  message: 'token trouble',
                  permanent: next.permanent,
                }),
              );
            }
            return Promise.resolve(`token-${attempts.length}`);
          },
          invalidate: () => undefined,
          canRefresh: true,
        },
        createDecoder: () => ({ push: () => undefined, end: () => undefined }),
        onState: (shard) => {
          states.push(shard);
          if (shard.state === 'waiting') {
            const wait = (shard.retryAt ?? NaN) - shard.since;
            // The first wait of a run may be shorter (a remembered loss); this memory starts empty.
            if (!(wait >= cooldownMs && wait <= maxWaitMs)) violations.push(`wait of ${wait} ms`);
          }
        },
        onProblem: () => undefined,
        connect: (): Promise<ConnectOutcome> => {
          const index = attempts.length;
          const outcome = outcomes[index % outcomes.length]!;
          attempts.push({ at: clock.now(), outcome });
          if (open > 0) violations.push('an attempt while a connection is open');
          switch (outcome.kind) {
            case 'stream':
              return Promise.resolve(streamFor(index, outcome));
            case 'refusal':
              lostAt[index] = clock.now();
              return Promise.resolve({
                kind: 'http-error',
                status: outcome.status,
                url: 'http://upstream/x',
                redirects: 0,
                contentType: 'application/json',
                body: '',
                ...(outcome.retryAfterS !== undefined ? { retryAfterS: outcome.retryAfterS } : {}),
              });
            case 'throws':
              lostAt[index] = clock.now();
              throw new Error('connector bug');
            default:
              lostAt[index] = clock.now();
              return Promise.resolve({
                kind: 'failure',
                code: 'network_connection_failure',
                message: 'reset',
                url: 'x',
              });
          }
        },
      });

      supervisor.start();
      await settle();
      for (const step of steps) {
        await clock.advance(step.advanceMs);
        if (step.press) supervisor.reconnect();
        await settle();
        const last = states.at(-1);
        if (last?.state === 'waiting' && !(last.retryAt! > clock.now()))
          violations.push('retryAt not ahead while waiting');
      }
      await supervisor.stop();

      expect(violations).toEqual([]);
      expect(maxOpen).toBeLessThanOrEqual(1);
      for (let i = 1; i < attempts.length; i++) {
        const previous = attempts[i - 1]!;
        const before = attempts[i - 2];
        // The one immediate retry: after a first 401 (not itself that retry), with a fresh token.
        const immediateAllowed =
          previous.outcome?.kind === 'refusal' &&
          previous.outcome.status === 401 &&
          !(before?.outcome?.kind === 'refusal' && before.outcome.status === 401 && before.at === previous.at);
        if (immediateAllowed && attempts[i]!.at === previous.at) continue;
        const loss = lostAt[i - 1];
        expect(loss, `attempt ${i - 1} has a loss time`).toBeDefined();
        expect(attempts[i]!.at - loss!).toBeGreaterThanOrEqual(cooldownMs);
      }
    },
  );
});
