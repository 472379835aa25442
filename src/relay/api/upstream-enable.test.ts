import { afterEach, describe, expect, it } from 'vitest';
import { ApiErrorSchema, StatusSchema, UpstreamEnableResponseSchema, type Shard } from '../../contract/index.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/server.ts';
import { fetchToken } from '../../simulator/stream-client.ts';
import { startTestRelay, type TestRelay } from '../testing/relay-harness.ts';

/**
 * Socket-level, issue 12 (Adobe's 2026 Livestream): the relay against the simulator on
 * `/api/2/stream` and `/api/1/stream?beta=true`; a 424 becomes the Problem naming the enable call;
 * `POST /api/upstream/enable` sends that call (only when an operator asks, behind the same rules as
 * every POST), after which the simulator serves and a reconnect streams; a static token without a
 * client id sends no `x-api-key`.
 */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sim(options: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator({ rate: 100, churnWindowS: 0, rhythm: false, ...options });
  cleanups.push(() => s.close());
  return s;
}

async function relay(env: Record<string, string>): Promise<TestRelay> {
  const r = await startTestRelay(env, { ephemeral: true, feedIntervalMs: 100 });
  cleanups.push(() => r.close());
  return r;
}

function grantEnv(s: Simulator, url: string): Record<string, string> {
  return {
    LIVESTREAM_URL: url,
    ADOBE_CLIENT_ID: s.clientId,
    ADOBE_CLIENT_SECRET: s.clientSecret,
    ADOBE_SCOPES: 'openid,AdobeID,additional_info.projectedProductContext',
    ADOBE_IMS_TOKEN_URL: s.tokenUrl,
  };
}

async function until(predicate: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text || 'null') as unknown };
}

const shard = (r: TestRelay, n = 0): Shard => r.relay.upstream.shards()[n]!;
const enableCalls = (s: Simulator) => s.attempts().filter((a) => a.path.startsWith('/api/2/enable/'));
const streamCalls = (s: Simulator) => s.attempts().filter((a) => a.kind === 'stream');

describe('the 2026 Livestream API', () => {
  it('turns a 424 into the Problem with the enable call; POST /api/upstream/enable makes the simulator serve', async () => {
    const s = await sim({ requireEnable: true });
    const r = await relay(grantEnv(s, s.streamUrlV2));
    await until(() => shard(r).state === 'failed', 15_000, 'the shard to fail on 424');

    // The Problem: 424 stream_not_enabled, naming the enable call on the configured host.
    const problem = shard(r).problem!;
    expect(problem).toMatchObject({ code: 'stream_not_enabled', status: 424, action: 'configuration' });
    expect(problem.details).toContain(`GET ${s.enableUrl} `);
    expect(problem.details).toContain('Adobe Customer Care');
    // The 424 came from the data-center origin the first connect was redirected to.
    expect(streamCalls(s).map((a) => a.status)).toEqual([302, 424]);
    expect(problem.details).not.toContain(s.redirectOrigin);

    const status = StatusSchema.parse((await call(`${r.url}/api/status`)).body);
    expect(status.upstream).toMatchObject({
      apiVersion: 2,
      payload: '2026',
      endpoint: 'demo',
      reset: 'none',
      enableUrl: s.enableUrl,
    });
    expect(status.upstream).not.toHaveProperty('enableCall');
    // The relay never sends the enable call on its own.
    expect(enableCalls(s)).toEqual([]);

    // Another origin's page may not make the relay call Adobe.
    const foreign = await call(`${r.url}/api/upstream/enable`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(ApiErrorSchema.parse(foreign.body).error.code).toBe('origin_not_allowed');
    expect(enableCalls(s)).toEqual([]);

    const sent = await call(`${r.url}/api/upstream/enable`, { method: 'POST', headers: { origin: r.url } });
    expect(sent.status).toBe(202);
    const accepted = UpstreamEnableResponseSchema.parse(sent.body);
    expect(accepted).toMatchObject({
      enableUrl: s.enableUrl,
      upstreamStatus: 200,
      takesEffectInS: 900,
      answer: expect.stringContaining('demo'),
    });
    expect(sent.text).not.toContain(s.clientSecret);
    expect(sent.text).not.toMatch(/Bearer|eyJ/);
    const [enableCall] = enableCalls(s);
    expect(enableCall).toMatchObject({ method: 'GET', status: 200 });
    expect(enableCall!.headers.authorization).toMatch(/^Bearer \*{4}/);
    expect(enableCall!.headers['x-api-key']).toBe(s.clientId);
    expect(s.state().enable.enabled).toBe(true);

    // At most one a minute.
    const again = await call(`${r.url}/api/upstream/enable`, { method: 'POST' });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(ApiErrorSchema.parse(again.body).error).toMatchObject({ code: 'too_many_requests', action: 'retry-after' });
    expect(enableCalls(s)).toHaveLength(1);
    const wrongMethod = await call(`${r.url}/api/upstream/enable`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');

    const after = StatusSchema.parse((await call(`${r.url}/api/status`)).body);
    expect(after.upstream.enableCall).toMatchObject({ ok: true, upstreamStatus: 200 });

    // The operator reconnects (after the cooldown): the latest API is served, the Problem resolved.
    await until(() => (shard(r).cooldownUntil ?? 0) <= Date.now(), 5_000, 'the cooldown');
    const reconnect = await call(`${r.url}/api/upstream/0/reconnect`, { method: 'POST' });
    expect(reconnect.status).toBe(202);
    await until(() => shard(r).state === 'streaming' && shard(r).hits > 0, 15_000, 'streaming on /api/2');
    expect(streamCalls(s).at(-1)).toMatchObject({ status: 200, path: '/api/2/stream/demo' });
    expect(r.relay.problems(10).find((p) => p.code === 'stream_not_enabled')?.resolvedAt).toBeDefined();
  });

  it('streams /api/1/stream?beta=true, keeping beta beside maxConnections and reset', async () => {
    const s = await sim({ requireEnable: false, rate: 200 });
    const r = await relay({
      ...grantEnv(s, `${s.streamUrl}?beta=true`),
      LIVESTREAM_MAX_CONNECTIONS: '2',
      LIVESTREAM_RESET: 'largest',
    });
    await until(
      () => r.relay.upstream.shards().every((x) => x.state === 'streaming' && x.hits > 0),
      15_000,
      'two shards streaming',
    );
    const served = streamCalls(s).filter((a) => a.status === 200);
    expect(served.map((a) => a.query)).toEqual([
      { beta: 'true', maxConnections: '2', reset: 'largest' },
      { beta: 'true', maxConnections: '2', reset: 'largest' },
    ]);
    expect(r.relay.status().upstream).toMatchObject({
      apiVersion: 1,
      payload: '2026',
      endpoint: 'demo',
      reset: 'largest',
      enableUrl: s.enableUrl,
    });
  });

  it('streams with a static token and no client id, sending no x-api-key', async () => {
    const s = await sim();
    const token = await fetchToken(s);
    const r = await relay({ LIVESTREAM_URL: s.streamUrlV2, ADOBE_ACCESS_TOKEN: token });
    await until(() => shard(r).state === 'streaming' && shard(r).hits > 0, 15_000, 'streaming');
    for (const attempt of streamCalls(s)) {
      expect(attempt.headers.authorization).toMatch(/^Bearer /);
      expect(attempt.headers).not.toHaveProperty('x-api-key');
    }
    // The enable call goes without x-api-key too.
    expect((await call(`${r.url}/api/upstream/enable`, { method: 'POST' })).status).toBe(202);
    expect(enableCalls(s)[0]!.headers).not.toHaveProperty('x-api-key');
  });

  it("answers Livestream's refusal of the enable call as a Problem (502), with Livestream's status", async () => {
    const s = await sim();
    const r = await relay(grantEnv(s, `${s.origin}/api/2/stream/nope`));
    const refused = await call(`${r.url}/api/upstream/enable`, { method: 'POST' });
    expect(refused.status).toBe(502);
    expect(ApiErrorSchema.parse(refused.body).error).toMatchObject({
      code: 'stream_not_found',
      status: 404,
      source: 'upstream',
    });
    expect(r.relay.status().upstream.enableCall).toMatchObject({ ok: false, upstreamStatus: 404 });
  });

  it('needs the dashboard password, with the embedded simulator requiring the enable call (SIM_REQUIRE_ENABLE)', async () => {
    const password = 'correct horse battery staple';
    const r = await relay({ DASHBOARD_PASSWORD: password, SIM_REQUIRE_ENABLE: '1', SIM_RATE: '50' });
    expect(r.relay.status().upstream).toMatchObject({ apiVersion: 2, payload: '2026' });
    await until(() => shard(r).state === 'failed', 15_000, 'the shard to fail on 424');
    expect(shard(r).problem?.code).toBe('stream_not_enabled');
    const anonymous = await call(`${r.url}/api/upstream/enable`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect(r.relay.simulator!.state().enable.enabledAt).toBeUndefined();
    const basic = `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`;
    const sent = await call(`${r.url}/api/upstream/enable`, { method: 'POST', headers: { authorization: basic } });
    expect(sent.status).toBe(202);
    expect(r.relay.simulator!.state().enable.enabled).toBe(true);
  });
});
