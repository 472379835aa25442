import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/server.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { openSse, seqsOf, startTestRelay, type SseReader, type TestRelay } from '../testing/relay-harness.ts';

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
  });
});
