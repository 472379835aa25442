import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProblemSchema, type Problem } from '../../contract/index.ts';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createRelay } from '../relay.ts';
import { openSse, seqsOf, startTestRelay, type SseReader, type TestRelay } from '../testing/relay-harness.ts';
import { rawExchange, type RawAnswer, type RawRequest } from './raw-http.ts';
import { createServer } from './server.ts';

const CLIENT_SECRET = 'p8-Very-Secret-Client-Value-42';
const PASSWORD = 'correct horse battery staple';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeAdobe(): Promise<Simulator> {
  const sim = await startSimulator({
    clientId: 'known-client',
    clientSecret: CLIENT_SECRET,
    rate: 200,
    churnWindowS: 0,
    rhythm: false,
  });
  cleanups.push(() => sim.close());
  return sim;
}

async function tokenFrom(sim: Simulator): Promise<string> {
  const response = await fetch(sim.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.clientId,
      client_secret: CLIENT_SECRET,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function relayOn(sim: Simulator, env: Record<string, string>): Promise<TestRelay> {
  const relay = await startTestRelay(
    { LIVESTREAM_URL: sim.streamUrl, ADOBE_CLIENT_ID: sim.clientId, ADOBE_IMS_TOKEN_URL: sim.tokenUrl, ...env },
    { ephemeral: true, feedIntervalMs: 100 },
  );
  cleanups.push(() => relay.close());
  return relay;
}

async function sse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const reader = await openSse(url, headers);
  cleanups.push(() => reader.close());
  return reader;
}

describe('secrets never leave the relay', () => {
  it('keeps the client secret and the tokens out of every route and the SSE stream', async () => {
    const sim = await fakeAdobe();
    const staticToken = await tokenFrom(sim);
    // One relay with the grant (it fetches its own token), one with a static token.
    const withGrant = await relayOn(sim, { ADOBE_CLIENT_SECRET: CLIENT_SECRET, LIVESTREAM_MAX_CONNECTIONS: '2' });
    const stream = await sse(`${withGrant.url}/api/stream`);
    await stream.waitFor((events) => seqsOf(events).length > 20, 15_000);
    // Provoke problems whose bodies could echo something: a 401 and a refused token request.
    await fetch(`${sim.controlUrl}/next-connect`, {
      method: 'POST',
      body: JSON.stringify({ status: 503, body: 'html' }),
    });
    await fetch(`${sim.controlUrl}/drop`, { method: 'POST', body: '{}' });
    await stream.waitFor((events) => events.some((e) => e.event === 'problem'));

    const grantToken = sim
      .attempts()
      .map((a) => a.headers.authorization)
      .find(Boolean);
    expect(grantToken).toBeDefined();
    const secrets = [CLIENT_SECRET, staticToken];

    const outputs: string[] = [stream.raw()];
    const firstHit = JSON.parse(stream.events.find((e) => e.event === 'hits')!.data) as { hits: { hitId: string }[] };
    for (const path of [
      '/api/status',
      '/api/problems?limit=1000',
      '/api/catalog',
      '/api/stats?window=3600',
      '/api/top?window=60',
      '/metrics',
      '/healthz',
      `/api/hits/${firstHit.hits[0]!.hitId}`,
      '/api/nope',
      '/api/stats?window=x',
    ]) {
      const response = await fetch(`${withGrant.url}${path}`);
      outputs.push(JSON.stringify(Object.fromEntries(response.headers)), await response.text());
    }
    const withStatic = await relayOn(sim, { ADOBE_ACCESS_TOKEN: staticToken, ADOBE_CLIENT_SECRET: CLIENT_SECRET });
    const staticStream = await sse(`${withStatic.url}/api/stream`);
    await staticStream.waitFor((events) => events.some((e) => e.event === 'hello'));
    outputs.push(staticStream.raw(), await fetch(`${withStatic.url}/api/status`).then((r) => r.text()));

    const everything = outputs.join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    // The simulator masks tokens in its own log; what the relay sent was a real bearer token.
    expect(grantToken).toMatch(/^Bearer \*+/);
  });

  it('masks the ip of every hit it serves', async () => {
    const sim = await fakeAdobe();
    const relay = await relayOn(sim, { ADOBE_CLIENT_SECRET: CLIENT_SECRET });
    const stream = await sse(`${relay.url}/api/stream`);
    await stream.waitFor((events) => seqsOf(events).length > 5, 15_000);
    await fetch(`${sim.controlUrl}/hit`, {
      method: 'POST',
      body: JSON.stringify({
        record: { hitIdHigh: '9223372036854775809', hitIdLow: '1', ip: '203.0.113.77', pageName: 'probe' },
      }),
    });
    await stream.waitFor(
      (events) => events.some((e) => e.event === 'hits' && e.data.includes('9223372036854775809-1')),
      10_000,
    );
    const full = await fetch(`${relay.url}/api/hits/9223372036854775809-1`).then((r) => r.text());
    expect(full).toContain('"ip":"203.0.113.xxx"');
    expect(full).toContain('"hitIdHigh":9223372036854775809');
    expect(full).not.toContain('203.0.113.77');
    expect(stream.raw()).not.toMatch(/"ip":"\d+\.\d+\.\d+\.\d+"/);
  });
});

describe('DASHBOARD_PASSWORD', () => {
  it('guards every route but /healthz; Basic and the login cookie both work, for EventSource too', async () => {
    const relay = await startTestRelay({ DASHBOARD_PASSWORD: PASSWORD, SIM_RATE: '50' }, { ephemeral: true });
    cleanups.push(() => relay.close());
    expect(await fetch(`${relay.url}/healthz`).then((r) => r.status)).toBe(200);
    for (const path of ['/api/status', '/api/stream', '/api/problems', '/metrics', '/api/catalog']) {
      const response = await fetch(`${relay.url}${path}`);
      expect(response.status, path).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'dashboard_authentication_required',
      );
    }
    const page = await fetch(`${relay.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('Dashboard password');

    const basic = `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`;
    expect(await fetch(`${relay.url}/api/status`, { headers: { authorization: basic } }).then((r) => r.status)).toBe(
      200,
    );
    const stream = await sse(`${relay.url}/api/stream`, { authorization: basic });
    expect(stream.status).toBe(200);

    const wrong = await fetch(`${relay.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'nope' }),
    });
    expect(wrong.status).toBe(401);
    const login = await fetch(`${relay.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(login.status).toBe(204);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0]!;
    expect(await fetch(`${relay.url}/api/status`, { headers: { cookie: session } }).then((r) => r.status)).toBe(200);
    const form = await fetch(`${relay.url}/api/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(form.status).toBe(303);
    await fetch(`${relay.url}/api/logout`, { method: 'POST', headers: { cookie: session } });
    expect(await fetch(`${relay.url}/api/status`, { headers: { cookie: session } }).then((r) => r.status)).toBe(401);

    const everything = JSON.stringify(
      await fetch(`${relay.url}/api/status`, { headers: { authorization: basic } }).then((r) => r.json()),
    );
    expect(everything).not.toContain(PASSWORD);
  });

  it('refuses to start on a non-loopback HOST without a password, naming DASHBOARD_PASSWORD', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0', DATA_DIR: mkdtempSync(join(tmpdir(), 'lsm-')) })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/^DASHBOARD_PASSWORD: /);
    expect(loadConfig({ HOST: '0.0.0.0', DASHBOARD_PASSWORD: 'x'.repeat(12) }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
  });

  it('sends security headers with the SPA and the API', async () => {
    const relay = await startTestRelay({ SIM_RATE: '10' }, { ephemeral: true });
    cleanups.push(() => relay.close());
    const response = await fetch(`${relay.url}/api/status`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    // `no-referrer` would make browsers send `Origin: null` with the sign-in form's POST (Fetch
    // standard, "append a request Origin header"), which the Origin rule refuses.
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
  });
});

const portOf = (relay: { url: string }) => Number(new URL(relay.url).port);

async function exchange(relay: { url: string }, request: RawRequest): Promise<RawAnswer> {
  const answer = await rawExchange(portOf(relay), request);
  answer.socket.destroy();
  return answer;
}

function problemOf(answer: { body: string }): Problem {
  return ProblemSchema.parse((JSON.parse(answer.body) as { error: unknown }).error);
}

async function plainRelay(env: Record<string, string> = {}): Promise<TestRelay> {
  const relay = await startTestRelay({ SIM_RATE: '10', ...env }, { ephemeral: true });
  cleanups.push(() => relay.close());
  return relay;
}

/** A relay whose HTTP layer reads `now` (the password throttle and the sessions). */
async function relayOnClock(env: Record<string, string>, now: () => number): Promise<{ url: string }> {
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'lsm-test-')),
    SIM_CHURN_WINDOW_S: '0',
    SIM_RATE: '10',
    ...env,
  });
  const relay = await createRelay(config, '0.0.0-test', { ephemeral: true });
  const app = await createServer(relay, { now });
  await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(async () => {
    await relay.stop();
    await app.close();
  });
  const address = app.server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

const basic = (password: string) => `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`;

describe('browsers only from where they belong: Host (DNS rebinding)', () => {
  it('answers 421 host_not_allowed to a Host that is not loopback, on every route but /healthz', async () => {
    const relay = await plainRelay();
    const port = portOf(relay);
    for (const host of [
      `rebind.example:${port}`,
      'rebind.example',
      `127.0.0.1.rebind.example:${port}`,
      `127.0.0.1:${port}@rebind.example`,
      '[::ffff:127.0.0.1]',
      `0.0.0.0:${port}`,
      `192.168.1.20:${port}`,
      '',
    ]) {
      for (const [method, path] of [
        ['GET', '/api/status'],
        ['GET', '/api/stream'],
        ['GET', '/api/problems'],
        ['GET', '/metrics'],
        ['GET', '/'],
        ['POST', '/api/upstream/0/reconnect'],
      ] as const) {
        const answer = await exchange(relay, { method, path, host });
        expect(answer.status, `${method} ${path} Host: ${host}`).toBe(421);
        expect(problemOf(answer)).toMatchObject({ code: 'host_not_allowed', status: 421, source: 'relay' });
        expect(answer.headers['x-content-type-options']).toBe('nosniff');
      }
    }
    // /healthz always answers: its constant "ok" tells a rebinding page nothing.
    const health = await exchange(relay, { path: '/healthz', host: `rebind.example:${port}` });
    expect([health.status, health.body]).toEqual([200, 'ok']);
  });

  it('serves every loopback name and address, with or without a port', async () => {
    const relay = await plainRelay();
    const port = portOf(relay);
    for (const host of [
      `127.0.0.1:${port}`,
      '127.0.0.1',
      `127.4.5.6:${port}`,
      `localhost:${port}`,
      'localhost',
      'LocalHost',
      `[::1]:${port}`,
      '[::1]',
    ]) {
      expect((await exchange(relay, { path: '/api/status', host })).status, host).toBe(200);
    }
  });

  it('serves HTTP/1.0 without a Host (no browser sends that), refuses HTTP/1.1 without one with a Problem', async () => {
    const relay = await plainRelay();
    expect((await exchange(relay, { path: '/api/status', host: null, version: '1.0' })).status).toBe(200);
    const missing = await exchange(relay, { path: '/api/status', host: null });
    expect(missing.status).toBe(400);
    expect(problemOf(missing)).toMatchObject({ code: 'bad_request', status: 400, source: 'relay' });
    expect(missing.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('allows any Host when DASHBOARD_PASSWORD is set: the password protects', async () => {
    const relay = await plainRelay({ DASHBOARD_PASSWORD: PASSWORD });
    const answer = await exchange(relay, {
      path: '/api/status',
      host: 'monitor.example.com',
      headers: { authorization: basic(PASSWORD) },
    });
    expect(answer.status).toBe(200);
    expect((await exchange(relay, { path: '/api/status', host: 'monitor.example.com' })).status).toBe(401);
  });
});

describe('browsers only from where they belong: Origin (cross-site requests)', () => {
  it('refuses a cross-site POST with 403 origin_not_allowed, even with valid Basic credentials', async () => {
    const relay = await plainRelay({ DASHBOARD_PASSWORD: PASSWORD });
    const port = portOf(relay);
    for (const origin of [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${port + 1}`,
      `https://127.0.0.1:${port}`,
      `http://localhost:${port}`,
      `http://127.0.0.1:${port}/path`,
    ]) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const answer = await exchange(relay, {
          method,
          path: '/api/upstream/0/reconnect',
          headers: { origin, 'content-type': 'text/plain', authorization: basic(PASSWORD) },
          body: 'x',
        });
        expect(answer.status, `${method} Origin: ${origin}`).toBe(403);
        expect(problemOf(answer)).toMatchObject({ code: 'origin_not_allowed', status: 403, source: 'relay' });
      }
    }
    const login = await exchange(relay, {
      method: 'POST',
      path: '/api/login',
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: `password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(login.status).toBe(403);
    expect(login.headers['set-cookie']).toBeUndefined();
  });

  it("accepts the relay's own origin, no Origin at all, and cross-site reads", async () => {
    const relay = await plainRelay();
    const port = portOf(relay);
    // 409 (already streaming) or 202: anything but the origin refusal.
    const own = await exchange(relay, {
      method: 'POST',
      path: '/api/upstream/0/reconnect',
      headers: { origin: `http://127.0.0.1:${port}` },
    });
    expect([202, 409]).toContain(own.status);
    const viaName = await exchange(relay, {
      method: 'POST',
      path: '/api/upstream/0/reconnect',
      host: `localhost:${port}`,
      headers: { origin: `http://localhost:${port}` },
    });
    expect([202, 409]).toContain(viaName.status);
    const none = await exchange(relay, { method: 'POST', path: '/api/upstream/0/reconnect' });
    expect([202, 409]).toContain(none.status);
    const read = await exchange(relay, { path: '/api/status', headers: { origin: 'http://evil.example' } });
    expect(read.status).toBe(200);
  });

  it('takes the origin from X-Forwarded-Proto/Host only behind a trusted proxy', async () => {
    const forwarded = {
      origin: 'https://monitor.example.com',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'monitor.example.com',
    };
    const trusted = await plainRelay({ TRUST_PROXY: '127.0.0.1' });
    const through = await exchange(trusted, {
      method: 'POST',
      path: '/api/upstream/0/reconnect',
      headers: forwarded,
    });
    expect([202, 409]).toContain(through.status);
    const untrusted = await plainRelay();
    const spoofed = await exchange(untrusted, {
      method: 'POST',
      path: '/api/upstream/0/reconnect',
      headers: forwarded,
    });
    expect(spoofed.status).toBe(403);
  });
});

describe('password attempts', () => {
  it('locks an address out after 10 wrong passwords: 429 + Retry-After, unchecked; sessions, /healthz and other addresses go on', async () => {
    let now = Date.UTC(2026, 0, 1);
    const relay = await relayOnClock({ DASHBOARD_PASSWORD: PASSWORD, TRUST_PROXY: '127.0.0.1' }, () => now);
    const from = (address: string, headers: Record<string, string> = {}) => ({
      'x-forwarded-for': address,
      ...headers,
    });
    const login = await fetch(`${relay.url}/api/login`, {
      method: 'POST',
      headers: from('198.51.100.1', { 'content-type': 'application/json' }),
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(login.status).toBe(204);
    const session = login.headers.get('set-cookie')!.split(';')[0]!;

    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const wrong = await fetch(`${relay.url}/api/status`, {
        headers: from('198.51.100.1', { authorization: basic(`wrong ${i}`) }),
      });
      statuses.push(wrong.status);
    }
    expect(statuses).toEqual([...Array<number>(9).fill(401), 429]);

    const right = await fetch(`${relay.url}/api/status`, {
      headers: from('198.51.100.1', { authorization: basic(PASSWORD) }),
    });
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toBe('60');
    const body = await right.text();
    expect(body).not.toContain(PASSWORD);
    expect(ProblemSchema.parse((JSON.parse(body) as { error: unknown }).error)).toMatchObject({
      code: 'too_many_requests',
      status: 429,
      action: 'retry-after',
      retryAfter: 60,
      source: 'relay',
    });
    const jsonLogin = await fetch(`${relay.url}/api/login`, {
      method: 'POST',
      headers: from('198.51.100.1', { 'content-type': 'application/json' }),
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(jsonLogin.status).toBe(429);
    expect(jsonLogin.headers.get('set-cookie')).toBeNull();
    const formLogin = await fetch(`${relay.url}/api/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: from('198.51.100.1', { 'content-type': 'application/x-www-form-urlencoded' }),
      body: `password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(formLogin.status).toBe(429);
    expect(formLogin.headers.get('retry-after')).toBe('60');
    expect(await formLogin.text()).toContain('Too many wrong passwords');

    expect(
      (await fetch(`${relay.url}/api/status`, { headers: from('198.51.100.1', { cookie: session }) })).status,
    ).toBe(200);
    expect((await fetch(`${relay.url}/healthz`, { headers: from('198.51.100.1') })).status).toBe(200);
    expect(
      (await fetch(`${relay.url}/api/status`, { headers: from('198.51.100.2', { authorization: basic(PASSWORD) }) }))
        .status,
    ).toBe(200);

    // The wait is on the injected clock; a second lockout lasts twice as long; a success forgets.
    now += 61_000;
    const tenWrong: number[] = [];
    for (let i = 0; i < 10; i++) {
      const wrong = await fetch(`${relay.url}/api/status`, {
        headers: from('198.51.100.1', { authorization: basic('nope') }),
      });
      tenWrong.push(wrong.status);
      if (i === 9) expect(wrong.headers.get('retry-after')).toBe('120');
    }
    expect(tenWrong.at(-1)).toBe(429);
    now += 121_000;
    expect(
      (await fetch(`${relay.url}/api/status`, { headers: from('198.51.100.1', { authorization: basic(PASSWORD) }) }))
        .status,
    ).toBe(200);
  });

  it('answers a flood of wrong passwords with 429 from the tenth on, without checking them', async () => {
    const now = Date.UTC(2026, 0, 1);
    const relay = await relayOnClock({ DASHBOARD_PASSWORD: PASSWORD }, () => now);
    const counts = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const response = await fetch(`${relay.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: `guess ${i}` }),
      });
      counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ 401: 9, 429: 191 });
  });
});

describe('session cookie', () => {
  async function loginCookie(relay: { url: string }, headers: Record<string, string> = {}): Promise<string> {
    const response = await fetch(`${relay.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(response.status).toBe(204);
    return response.headers.get('set-cookie')!;
  }

  it('is Secure behind a trusted TLS proxy, and X-Forwarded-Proto is ignored from anyone else', async () => {
    const trusted = await plainRelay({ DASHBOARD_PASSWORD: PASSWORD, TRUST_PROXY: '127.0.0.1' });
    expect(await loginCookie(trusted, { 'x-forwarded-proto': 'https' })).toMatch(/; Secure/);
    expect(await loginCookie(trusted)).not.toMatch(/Secure/);
    const untrusted = await plainRelay({ DASHBOARD_PASSWORD: PASSWORD });
    expect(await loginCookie(untrusted, { 'x-forwarded-proto': 'https' })).not.toMatch(/Secure/);
    const logout = await fetch(`${trusted.url}/api/logout`, {
      method: 'POST',
      headers: { 'x-forwarded-proto': 'https', authorization: basic(PASSWORD) },
    });
    expect(logout.headers.get('set-cookie')).toMatch(/Max-Age=0.*; Secure/);
  });
});
