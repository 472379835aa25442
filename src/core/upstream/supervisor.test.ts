import { describe, expect, it } from 'vitest';
import type { Problem, Shard } from '../../contract/index.ts';
import { ManualClock, settle } from '../clock.ts';
import { MemoryShardMemory } from '../store/shard-memory.ts';
import { FakeBody } from '../testing/fake-body.ts';
import type { ConnectOutcome, OpenStream } from './connector.ts';
import { ShardSupervisor, type ShardSupervisorOptions } from './supervisor.ts';
import type { Lease, ShardGate } from './gate.ts';
import { TokenError } from './token.ts';

const COOLDOWN = 60_000;
const STALL = 90_000;

type Script = (attempt: number, token: string) => ConnectOutcome | Promise<ConnectOutcome>;

interface FakeStream extends OpenStream {
  feed: FakeBody;
}

function openStreamFake(onClose: () => void): FakeStream {
  const feed = new FakeBody();
  let closed = false;
  return {
    kind: 'open',
    status: 200,
    url: 'http://upstream/api/1/stream/x',
    redirects: 0,
    encoding: 'identity',
    body: feed,
    feed,
    compressedBytes: () => 0,
    socketBytes: () => 0,
    close: () => {
      if (closed) return;
      closed = true;
      onClose();
      feed.destroy();
    },
  };
}

function refusal(status: number, extra: Partial<{ retryAfterS: number; body: string }> = {}): ConnectOutcome {
  return {
    kind: 'http-error',
    status,
    url: 'http://upstream/x',
    redirects: 0,
    contentType: 'application/json',
    body: extra.body ?? '',
    ...(extra.retryAfterS !== undefined ? { retryAfterS: extra.retryAfterS } : {}),
  };
}

/** A supervisor with a manual clock, a scripted connector and an eye on every invariant. */
function harness(
  script: Script,
  opts: {
    memory?: MemoryShardMemory;
    tokens?: { get(): Promise<string>; canRefresh?: boolean };
    maxWaitMs?: number;
    createDecoder?: ShardSupervisorOptions['createDecoder'];
    gate?: ShardGate;
  } = {},
) {
  const clock = new ManualClock();
  const memory = opts.memory ?? new MemoryShardMemory();
  const states: Shard[] = [];
  const problems: Problem[] = [];
  const attempts: { at: number; token: string; first: boolean }[] = [];
  const streams: FakeStream[] = [];
  const records: string[] = [];
  let open = 0;
  let maxOpen = 0;
  let tokenSerial = 0;
  const invalidated: string[] = [];
  const tokens = {
    get: opts.tokens?.get ?? (() => Promise.resolve(`token-${tokenSerial}`)),
    invalidate: (token: string) => {
      invalidated.push(token);
      tokenSerial++;
    },
    canRefresh: opts.tokens?.canRefresh ?? true,
  };
  const supervisor = new ShardSupervisor({
    shard: 0,
    clock,
    cooldownMs: COOLDOWN,
    stallTimeoutMs: STALL,
    ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}),
    tokens,
    memory,
    // Like the ingest: every line with content is a distinct hit the supervisor hears of.
    createDecoder:
      opts.createDecoder ??
      (() => ({
        push: (chunk) => {
          const text = new TextDecoder().decode(chunk);
          records.push(text);
          if (text.trim()) supervisor.noteHit(clock.now());
        },
        end: () => undefined,
      })),
    onState: (shard) => states.push(shard),
    onProblem: (problem) => problems.push(problem),
    ...(opts.gate ? { gate: opts.gate } : {}),
    connect: async (token, _signal, { first }) => {
      attempts.push({ at: clock.now(), token, first });
      const outcome = await script(attempts.length, token);
      if (outcome.kind === 'open') {
        open++;
        maxOpen = Math.max(maxOpen, open);
        streams.push(outcome as FakeStream);
      }
      return outcome;
    },
  });
  const stream = () =>
    openStreamFake(() => {
      open--;
    });
  return {
    clock,
    memory,
    supervisor,
    states,
    problems,
    attempts,
    streams,
    records,
    invalidated,
    stream,
    maxOpen: () => maxOpen,
    last: () => states[states.length - 1]!,
    gaps: () => attempts.slice(1).map((a, i) => a.at - attempts[i]!.at),
  };
}

describe('ShardSupervisor', () => {
  it('streams, and after a loss waits the cooldown with retryAt published at once', async () => {
    const h = harness(() => h.stream());
    h.supervisor.start();
    await settle();
    expect(h.last().state).toBe('streaming');
    h.streams[0]!.feed.write('{"a":1}\r\n');
    await settle();
    expect(h.records).toEqual(['{"a":1}\r\n']);

    await h.clock.advance(5_000);
    const lossAt = h.clock.now();
    h.streams[0]!.feed.end();
    await settle();
    const waiting = h.last();
    expect(waiting).toMatchObject({ state: 'waiting', retryAt: lossAt + COOLDOWN, waitReason: 'lost' });
    expect(h.problems.at(-1)).toMatchObject({
      code: 'connection_lost',
      action: 'retry-after',
      retryAfter: 60,
      shard: 0,
      source: 'upstream',
    });
    expect(h.memory.get(0).lastLossAt).toBe(lossAt);

    await h.clock.advance(COOLDOWN - 1);
    expect(h.attempts).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.attempts).toHaveLength(2);
    expect(h.attempts[1]!.at - lossAt).toBe(COOLDOWN);
    expect(h.last().state).toBe('streaming');
    expect(h.maxOpen()).toBe(1);
  });

  it('grows the wait on repeated 409s up to 5 minutes, and resets after a success', async () => {
    let n = 0;
    const h = harness(() =>
      ++n <= 6
        ? refusal(409, {
            body: '{"error":"too_many_connections","error_description":"maxConnections=2 but 2 clients connected"}',
          })
        : h.stream(),
    );
    h.supervisor.start();
    await h.clock.advance(1_020_000);
    expect(h.attempts).toHaveLength(6);
    expect(h.memory.get(0).consecutive409).toBe(6);
    await h.clock.advance(300_000);
    expect(h.gaps()).toEqual([60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);
    expect(h.problems[0]).toMatchObject({
      code: 'too_many_connections',
      status: 409,
      action: 'retry-after',
      details: expect.stringContaining('maxConnections=2'),
    });
    expect(h.states.find((s) => s.state === 'waiting')?.waitReason).toBe('too-many-connections');
    expect(h.last().state).toBe('streaming');
    h.streams[0]!.feed.end();
    await settle();
    expect(h.memory.get(0).consecutive409).toBe(0);
    expect(h.last().retryAt).toBe(h.clock.now() + COOLDOWN);
  });

  it('retries at once with a fresh token after a 401, and fails on a second 401', async () => {
    const h = harness((attempt) => (attempt === 1 ? refusal(401) : h.stream()));
    h.supervisor.start();
    await settle();
    expect(h.attempts.map((a) => a.at)).toEqual([h.clock.now(), h.clock.now()]);
    expect(h.attempts[1]!.token).not.toBe(h.attempts[0]!.token);
    expect(h.invalidated).toEqual(['token-0']);
    expect(h.last().state).toBe('streaming');
    expect(h.problems[0]).toMatchObject({ code: 'access_token_expired', action: 'application-registration' });

    const twice = harness(() => refusal(401));
    twice.supervisor.start();
    await settle();
    expect(twice.attempts).toHaveLength(2);
    expect(twice.last()).toMatchObject({ state: 'failed', problem: { code: 'access_token_expired', status: 401 } });
    await twice.clock.advance(60 * 60_000);
    expect(twice.attempts).toHaveLength(2);
  });

  it('fails without a retry on a static token refused with 401', async () => {
    const h = harness(() => refusal(401), { tokens: { get: () => Promise.resolve('static'), canRefresh: false } });
    h.supervisor.start();
    await settle();
    expect(h.attempts).toHaveLength(1);
    expect(h.last().state).toBe('failed');
  });

  it.each([
    [400, 'invalid_parameter_value'],
    [403, 'stream_access_denied'],
    [404, 'stream_not_found'],
    [405, 'invalid_http_method'],
    [406, 'invalid_header'],
    [424, 'stream_not_enabled'],
    [505, 'http_version_not_supported'],
  ])('goes failed on %i (%s) and never retries by itself', async (status, code) => {
    const h = harness(() => refusal(status, { body: '<html><title>Nope</title></html>' }));
    h.supervisor.start();
    await settle();
    expect(h.last()).toMatchObject({ state: 'failed', problem: { code, status, action: 'configuration' } });
    // A 424 adds the enable call (the refusal's URL has no stream path here: the documented form).
    expect(h.problems[0]!.details).toBe(
      status === 424
        ? "HTML page: Nope\nEnable it for the latest API version: GET https://livestream.adobe.net/api/2/enable/<endpoint name> with the stream's Authorization and x-api-key headers, then reconnect about 15 minutes later; or ask Adobe Customer Care."
        : 'HTML page: Nope',
    );
    await h.clock.advance(24 * 60 * 60_000);
    expect(h.attempts).toHaveLength(1);
  });

  it('lets an operator reconnect a failed shard only after the cooldown', async () => {
    let n = 0;
    const h = harness(() => (++n === 1 ? refusal(404) : h.stream()));
    h.supervisor.start();
    await settle();
    await h.clock.advance(10_000);
    expect(h.supervisor.reconnect()).toEqual({ ok: false, reason: 'cooldown', retryAfterS: 50 });
    expect(h.supervisor.snapshot().cooldownUntil).toBe(h.clock.now() + 50_000);
    await h.clock.advance(50_000);
    expect(h.supervisor.reconnect()).toEqual({ ok: true });
    await settle();
    expect(h.attempts).toHaveLength(2);
    expect(h.last().state).toBe('streaming');
    expect(h.supervisor.reconnect()).toEqual({ ok: false, reason: 'connected' });
  });

  it.each([
    [429, 120, 120_000, 'too_many_requests'],
    [503, 10, 60_000, 'service_unavailable'],
    [503, 90, 90_000, 'service_unavailable'],
    [500, undefined, 60_000, 'internal_error'],
    [502, undefined, 60_000, 'unexpected_upstream_status'],
  ])('waits max(Retry-After, cooldown) on %i with Retry-After %s', async (status, retryAfterS, wait, code) => {
    let n = 0;
    const h = harness(() =>
      ++n === 1 ? refusal(status, retryAfterS === undefined ? {} : { retryAfterS }) : h.stream(),
    );
    h.supervisor.start();
    await settle();
    expect(h.problems[0]).toMatchObject({ code, status, action: 'retry-after', retryAfter: wait / 1000 });
    expect(h.last().retryAt).toBe(h.attempts[0]!.at + wait);
    await h.clock.advance(wait - 1);
    expect(h.attempts).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.attempts).toHaveLength(2);
  });

  it.each([
    ['network_connection_failure', 'ECONNREFUSED'],
    ['network_connection_timeout', 'no response headers within 30000 ms'],
  ] as const)('waits the cooldown after %s', async (code, message) => {
    let n = 0;
    const h = harness(() => (++n === 1 ? { kind: 'failure', code, message, url: 'http://x' } : h.stream()));
    h.supervisor.start();
    await settle();
    expect(h.problems[0]).toMatchObject({ code, status: 403, action: 'retry-after', details: message });
    await h.clock.advance(COOLDOWN);
    expect(h.gaps()).toEqual([COOLDOWN]);
  });

  it('marks a silent stream stalled, then closes it as lost at the stall timeout', async () => {
    const h = harness(() => h.stream());
    h.supervisor.start();
    await settle();
    await h.clock.advance(STALL / 2);
    expect(h.last().state).toBe('stalled');
    h.streams[0]!.feed.write('{}\n');
    await settle();
    expect(h.last().state).toBe('streaming');
    await h.clock.advance(STALL);
    expect(h.problems.at(-1)).toMatchObject({ code: 'stream_stalled', action: 'retry-after' });
    expect(h.last().state).toBe('waiting');
    expect(h.streams[0]!.feed.destroyed).toBe(true);
  });

  it('stays stalled through a trickle of stray bytes (no flapping), and keeps the connection while bytes come', async () => {
    const h = harness(() => h.stream());
    h.supervisor.start();
    await settle();
    await h.clock.advance(STALL / 2);
    expect(h.last().state).toBe('stalled');
    const before = h.states.length;
    // One byte (no record) every 60 s: longer than the warning, shorter than the stall timeout.
    for (let i = 0; i < 7; i++) {
      h.streams[0]!.feed.write(' ');
      await h.clock.advance(60_000);
    }
    expect(h.states.slice(before).map((s) => s.state)).toEqual([]);
    expect(h.attempts).toHaveLength(1);
    expect(h.streams[0]!.feed.destroyed).toBe(false);
    h.streams[0]!.feed.write('{"a":1}\n');
    await settle();
    expect(h.last().state).toBe('streaming');
  });

  it('treats a body that is not gzip as invalid_content_encoding and waits', async () => {
    const h = harness(() => h.stream());
    h.supervisor.start();
    await settle();
    // What the Node connector reports when gunzip meets a body that is not gzip.
    h.streams[0]!.feed.fail({ code: 'Z_DATA_ERROR', message: 'incorrect header check' });
    await settle();
    expect(h.problems.at(-1)).toMatchObject({
      code: 'invalid_content_encoding',
      action: 'configuration',
      details: 'Z_DATA_ERROR: incorrect header check',
    });
    expect(h.last().state).toBe('waiting');
  });

  it('waits out a cooldown remembered from before a restart', async () => {
    const memory = new MemoryShardMemory();
    const clockStart = new ManualClock().now();
    memory.update(0, { lastLossAt: clockStart - 10_000, open: false });
    const h = harness(() => h.stream(), { memory });
    h.supervisor.start();
    await settle();
    expect(h.last()).toMatchObject({ state: 'waiting', retryAt: clockStart + 50_000, waitReason: 'restart' });
    await h.clock.advance(49_999);
    expect(h.attempts).toHaveLength(0);
    await h.clock.advance(1);
    expect(h.attempts).toHaveLength(1);
  });

  it('counts a connection that was open when the relay died as lost when last seen alive', async () => {
    const memory = new MemoryShardMemory();
    const start = new ManualClock().now();
    memory.update(0, { lastLossAt: start - 600_000, open: true, aliveAt: start - 3_000 });
    const h = harness(() => h.stream(), { memory });
    h.supervisor.start();
    await settle();
    expect(h.last().retryAt).toBe(start + 57_000);
  });

  it('fails on refused client credentials and waits on an unreachable token endpoint', async () => {
    const refused = harness(() => refused.stream(), {
      tokens: {
        get: () =>
          Promise.reject(
            new TokenError({
              code: 'invalid_client_id',
              status: 401,
              action: 'application-registration',
              message: 'refused',
              permanent: true,
            }),
          ),
      },
    });
    refused.supervisor.start();
    await settle();
    expect(refused.last()).toMatchObject({ state: 'failed', problem: { code: 'invalid_client_id', source: 'token' } });

    let calls = 0;
    const flaky = harness(() => flaky.stream(), {
      tokens: {
        get: () =>
          ++calls === 1
            ? Promise.reject(
                new TokenError({
                  code: 'network_connection_failure',
                  action: 'retry-after',
                  message: 'down',
                  permanent: false,
                }),
              )
            : Promise.resolve('t'),
      },
    });
    flaky.supervisor.start();
    await settle();
    expect(flaky.last()).toMatchObject({
      state: 'waiting',
      waitReason: 'token',
      problem: { source: 'token', code: 'network_connection_failure' },
    });
    await flaky.clock.advance(COOLDOWN);
    expect(flaky.last().state).toBe('streaming');
  });

  it('never holds two connections and never reconnects early, whatever happens', async () => {
    let n = 0;
    const outcomes: (() => ConnectOutcome)[] = [
      () => h.stream(),
      () => refusal(503),
      () => refusal(409),
      () => ({ kind: 'failure', code: 'network_connection_failure', message: 'reset', url: 'x' }),
      () => refusal(500),
      () => h.stream(),
    ];
    const h = harness(() => outcomes[n++ % outcomes.length]!());
    h.supervisor.start();
    for (let i = 0; i < 60; i++) {
      await h.clock.advance(7_000 + (i % 5) * 3_000);
      const live = h.streams.filter((s) => !s.feed.destroyed);
      if (live.length && i % 3 === 0) live[0]!.feed.end();
      // An operator hammering the button changes nothing during the cooldown.
      h.supervisor.reconnect();
      expect(h.maxOpen()).toBe(1);
    }
    expect(h.attempts.length).toBeGreaterThan(5);
    for (const gap of h.gaps()) expect(gap).toBeGreaterThanOrEqual(COOLDOWN);
  });

  it.each([
    ['999999999', 999_999_999],
    ['a far-future HTTP date', 253_402_300_799 - 1_767_225_600],
  ])('caps a Retry-After of %s at RECONNECT_MAX_WAIT_S and says so', async (_name, retryAfterS) => {
    let n = 0;
    const h = harness(() => (++n === 1 ? refusal(503, { retryAfterS }) : h.stream()));
    h.supervisor.start();
    await settle();
    expect(h.last()).toMatchObject({ state: 'waiting', retryAt: h.clock.now() + 3_600_000 });
    expect(h.problems[0]).toMatchObject({
      code: 'service_unavailable',
      retryAfter: 3600,
      details: expect.stringContaining('capped at RECONNECT_MAX_WAIT_S=3600 s'),
    });
    // Not one attempt within the hour (an overflowing timer fired after 1 ms: 167 attempts in 5 s).
    await h.clock.advance(3_600_000 - 1);
    expect(h.attempts).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.attempts).toHaveLength(2);
  });

  it('caps the 409 growth at a RECONNECT_MAX_WAIT_S below it, never below the cooldown', async () => {
    const h = harness(() => refusal(409), { maxWaitMs: 90_000 });
    h.supervisor.start();
    await h.clock.advance(600_000);
    expect(h.gaps().slice(0, 4)).toEqual([60_000, 90_000, 90_000, 90_000]);
    const short = harness(() => refusal(503, { retryAfterS: 1 }), { maxWaitMs: 1_000 });
    short.supervisor.start();
    await short.clock.advance(300_000);
    for (const gap of short.gaps()) expect(gap).toBe(COOLDOWN);
  });

  it("refuses Reconnect now until both the cooldown and the upstream's Retry-After have passed", async () => {
    let n = 0;
    const h = harness(() => (++n === 1 ? refusal(429, { retryAfterS: 120 }) : h.stream()));
    h.supervisor.start();
    await settle();
    await h.clock.advance(61_000);
    expect(h.supervisor.reconnect()).toEqual({ ok: false, reason: 'cooldown', retryAfterS: 59 });
    expect(h.supervisor.snapshot().cooldownUntil).toBe(h.clock.now() + 59_000);
    await h.clock.advance(59_000);
    expect(h.attempts).toHaveLength(2);
  });

  it('after a restart, waits a planned long wait, and counts a loss dated in the future as now', async () => {
    const start = new ManualClock().now();
    const planned = new MemoryShardMemory();
    planned.update(0, { lastLossAt: start - 1_000, retryAt: start + 600_000 });
    const h = harness(() => h.stream(), { memory: planned });
    h.supervisor.start();
    await h.clock.advance(599_999);
    expect(h.attempts).toHaveLength(0);
    await h.clock.advance(1);
    expect(h.attempts).toHaveLength(1);

    const future = new MemoryShardMemory();
    future.update(0, { lastLossAt: start + 365 * 86_400_000 });
    const f = harness(() => f.stream(), { memory: future });
    f.supervisor.start();
    await settle();
    expect(f.last()).toMatchObject({ state: 'waiting', retryAt: start + COOLDOWN });
    await f.clock.advance(COOLDOWN);
    expect(f.attempts).toHaveLength(1);
  });

  it('marks only its first connection attempt of the run as first (the one that sends reset)', async () => {
    let n = 0;
    const h = harness(() => (++n === 1 ? refusal(401) : n === 2 ? refusal(503) : h.stream()));
    h.supervisor.start();
    await h.clock.advance(COOLDOWN);
    expect(h.attempts.map((a) => a.first)).toEqual([true, false, false]);
  });

  it('turns whatever the connector or the decoder throws into a Problem and a wait, never a dead loop', async () => {
    let n = 0;
    const h = harness(
      () => {
        if (++n === 1) throw new Error('connector bug');
        return h.stream();
      },
      {
        createDecoder: () => ({
          push: () => {
            throw new RangeError('decoder bug');
          },
          end: () => undefined,
        }),
      },
    );
    h.supervisor.start();
    await settle();
    expect(h.problems[0]).toMatchObject({ code: 'network_connection_failure', details: 'Error: connector bug' });
    expect(h.last().state).toBe('waiting');
    await h.clock.advance(COOLDOWN);
    expect(h.last().state).toBe('streaming');
    h.streams[0]!.feed.write('{}\n');
    await settle();
    expect(h.problems[1]).toMatchObject({ code: 'connection_lost', details: expect.stringContaining('decoder bug') });
    expect(h.last().state).toBe('waiting');
    expect(h.streams[0]!.feed.destroyed).toBe(true);
  });

  describe('connections that die right after opening', () => {
    /** Lets the open stream live `lifeMs`, then the server ends it (or it breaks). */
    async function lose(h: ReturnType<typeof harness>, lifeMs: number, how: 'end' | 'reset' = 'end') {
      expect(h.last().state).toBe('streaming');
      await h.clock.advance(lifeMs);
      const stream = h.streams.at(-1)!;
      if (how === 'end') stream.feed.end();
      else stream.feed.fail({ code: 'ECONNRESET', message: 'socket hang up' });
      await settle();
    }

    it('names the third in a row lost within 60 s of opening connection_unstable, and keeps the cooldown', async () => {
      const h = harness(() => h.stream());
      h.supervisor.start();
      await settle();
      const lostAt: number[] = [];
      for (let i = 0; i < 4; i++) {
        await lose(h, i === 1 ? 59_999 : 500, i === 2 ? 'reset' : 'end');
        lostAt.push(h.clock.now());
        expect(h.last()).toMatchObject({ state: 'waiting', waitReason: 'lost', retryAt: h.clock.now() + COOLDOWN });
        await h.clock.advance(COOLDOWN);
      }
      expect(h.problems.map((p) => p.code)).toEqual([
        'connection_lost',
        'connection_lost',
        'connection_unstable',
        'connection_unstable',
      ]);
      expect(h.problems[2]).toMatchObject({
        status: 502,
        action: 'retry-after',
        retryAfter: 60,
        source: 'upstream',
        shard: 0,
        message: expect.stringContaining('last 3 connections'),
      });
      expect(h.problems[2]!.message).toContain('within 60 s of opening');
      expect(h.problems[2]!.details).toContain('ECONNRESET: socket hang up');
      expect(h.problems[2]!.details).toMatch(/another application or relay reads the same stream/);
      expect(h.problems[2]!.details).toMatch(/maxConnections/);
      expect(h.problems[2]!.details).toMatch(/proxy/);
      expect(h.problems[3]!.message).toContain('last 4 connections');
      // The wait is the cooldown as after any loss: never sooner.
      expect(h.attempts.slice(1).map((a, i) => a.at - lostAt[i]!)).toEqual([COOLDOWN, COOLDOWN, COOLDOWN, COOLDOWN]);
      expect(h.maxOpen()).toBe(1);
    });

    it('does not count a connection that lived 60 s or more, and starts counting again after it', async () => {
      const h = harness(() => h.stream());
      h.supervisor.start();
      await settle();
      for (const life of [1_000, 1_000, 60_000, 1_000, 1_000]) {
        await lose(h, life);
        await h.clock.advance(COOLDOWN);
      }
      expect(h.problems.map((p) => p.code)).toEqual(Array(5).fill('connection_lost'));
      await lose(h, 1_000);
      expect(h.problems.at(-1)!.code).toBe('connection_unstable');
    });

    it('counts connections, not attempts: refusals in between neither count nor end the run', async () => {
      let n = 0;
      const h = harness(() => (++n % 2 === 0 ? refusal(n === 2 ? 503 : 409) : h.stream()));
      h.supervisor.start();
      await settle();
      await lose(h, 2_000);
      await h.clock.advance(COOLDOWN); // 503
      await h.clock.advance(COOLDOWN); // opens
      await lose(h, 2_000);
      await h.clock.advance(COOLDOWN); // 409
      await h.clock.advance(COOLDOWN); // opens
      await lose(h, 2_000);
      expect(h.problems.map((p) => p.code)).toEqual([
        'connection_lost',
        'service_unavailable',
        'connection_lost',
        'too_many_connections',
        'connection_unstable',
      ]);
    });

    it('ends the run on a loss of another kind (a body that is not gzip)', async () => {
      const h = harness(() => h.stream());
      h.supervisor.start();
      await settle();
      await lose(h, 1_000);
      await h.clock.advance(COOLDOWN);
      await lose(h, 1_000);
      await h.clock.advance(COOLDOWN);
      h.streams.at(-1)!.feed.fail({ code: 'Z_DATA_ERROR', message: 'incorrect header check' });
      await settle();
      await h.clock.advance(COOLDOWN);
      await lose(h, 1_000);
      expect(h.problems.map((p) => p.code)).toEqual([
        'connection_lost',
        'connection_lost',
        'invalid_content_encoding',
        'connection_lost',
      ]);
    });
  });

  it('closes the connection and remembers the loss on stop', async () => {
    const h = harness(() => h.stream());
    h.supervisor.start();
    await settle();
    await h.clock.advance(1_000);
    await h.supervisor.stop();
    expect(h.streams[0]!.feed.destroyed).toBe(true);
    expect(h.last().state).toBe('stopped');
    expect(h.memory.get(0)).toMatchObject({ lastLossAt: h.clock.now(), open: false });
  });
});

/** A lease granted and taken away by the test. */
class FakeGate implements ShardGate {
  isHeld = false;
  openingOk = true;
  openings = 0;
  releases = 0;
  connections: { open: boolean; retryAt: number | undefined }[] = [];
  private listeners: (() => void)[] = [];
  private pending: ((lease: Lease | undefined) => void) | undefined;

  constructor(private readonly now: () => number) {}

  acquire(signal: AbortSignal, onWaiting: (retryAt: number) => void): Promise<Lease | undefined> {
    onWaiting(this.now() + 1000);
    return new Promise((resolve) => {
      this.pending = resolve;
      signal.addEventListener('abort', () => resolve(undefined), { once: true });
    });
  }

  grant(lease: Lease): void {
    this.isHeld = true;
    this.pending?.(lease);
    this.pending = undefined;
  }

  lose(): void {
    this.isHeld = false;
    for (const listener of this.listeners) listener();
  }

  held(): boolean {
    return this.isHeld;
  }

  onLost(listener: () => void): void {
    this.listeners.push(listener);
  }

  opening(): Promise<boolean> {
    this.openings++;
    return Promise.resolve(this.openingOk);
  }

  connection(open: boolean, retryAt?: number): void {
    this.connections.push({ open, retryAt });
  }

  release(): Promise<void> {
    this.releases++;
    return Promise.resolve();
  }
}

describe('ShardSupervisor behind a lease (several relays)', () => {
  it('connects only once it holds the lease, not before notBefore, and sends reset only when the lease is fresh', async () => {
    const gate = new FakeGate(() => h.clock.now());
    const h = harness(() => h.stream(), { gate });
    h.supervisor.start();
    await settle();
    expect(h.attempts).toHaveLength(0);
    expect(h.last()).toMatchObject({ state: 'waiting', waitReason: 'standby' });
    expect(h.supervisor.holds()).toBe(false);

    const notBefore = h.clock.now() + 30_000;
    gate.grant({ notBefore, fresh: false });
    await settle();
    expect(h.last()).toMatchObject({ state: 'waiting', waitReason: 'takeover', retryAt: notBefore });
    await h.clock.advance(29_999);
    expect(h.attempts).toHaveLength(0);
    await h.clock.advance(1);
    expect(h.attempts).toHaveLength(1);
    // The store heard of the connection before it was opened.
    expect(gate.openings).toBe(1);
    // Another relay held the shard before: this is a reconnect of the stream, never a reset.
    expect(h.attempts[0]!.first).toBe(false);
    expect(h.last().state).toBe('streaming');
    await h.supervisor.stop();
    expect(gate.releases).toBe(1);
  });

  it('closes the connection the moment the lease is lost, then waits for the lease and the cooldown again', async () => {
    const gate = new FakeGate(() => g.clock.now());
    const g = harness(() => g.stream(), { gate });
    g.supervisor.start();
    await settle();
    gate.grant({ notBefore: g.clock.now(), fresh: true });
    await settle();
    expect(g.attempts).toHaveLength(1);
    expect(g.attempts[0]!.first).toBe(true);
    expect(g.last().state).toBe('streaming');

    const lostAt = g.clock.now();
    gate.lose();
    await settle();
    expect(g.maxOpen()).toBe(1);
    expect(g.streams[0]!.feed.destroyed).toBe(true);
    expect(gate.connections.at(-1)).toMatchObject({ open: false });
    expect(g.last()).toMatchObject({ state: 'waiting', waitReason: 'standby' });
    // No Problem: losing the lease is a move to another relay, not an upstream failure.
    expect(g.problems).toEqual([]);

    // Granted again at once: still the cooldown from this relay's own loss.
    gate.grant({ notBefore: g.clock.now(), fresh: false });
    await settle();
    await g.clock.advance(COOLDOWN - 1);
    expect(g.attempts).toHaveLength(1);
    await g.clock.advance(1);
    expect(g.attempts).toHaveLength(2);
    expect(g.attempts[1]!.at - lostAt).toBe(COOLDOWN);
    await g.supervisor.stop();
  });

  it('reads nothing more once the lease has run out (a process paused past it), and opens nothing it cannot record', async () => {
    const gate = new FakeGate(() => g.clock.now());
    const g = harness(() => g.stream(), { gate });
    g.supervisor.start();
    await settle();
    gate.grant({ notBefore: g.clock.now(), fresh: true });
    await settle();
    g.streams[0]!.feed.write('{"a":1}\n');
    await settle();
    expect(g.records).toHaveLength(1);
    // Expired without a timer having run: the next chunk finds it so.
    gate.isHeld = false;
    g.streams[0]!.feed.write('{"a":2}\n');
    await settle();
    expect(g.records).toHaveLength(1);

    // The lease comes back but the store cannot record the opening: nothing is opened.
    gate.openingOk = false;
    gate.lose();
    gate.grant({ notBefore: g.clock.now(), fresh: false });
    await settle();
    await g.clock.advance(COOLDOWN * 3);
    expect(g.attempts).toHaveLength(1);
    expect(gate.openings).toBeGreaterThan(1);
    await g.supervisor.stop();
  });
});
