import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from './server.ts';
import { fetchText, fetchToken, openStream, type StreamClient } from './stream-client.ts';

const running: Simulator[] = [];
const clients: StreamClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ seed: 1, rhythm: false, rate: 50, churnWindowS: 0.3, ...options });
  running.push(sim);
  return sim;
}

async function headersFor(sim: Simulator, extra: Record<string, string> = {}) {
  return {
    authorization: `Bearer ${await fetchToken(sim)}`,
    'x-api-key': sim.clientId,
    'accept-encoding': 'gzip',
    ...extra,
  };
}

async function open(url: string, headers: Record<string, string>): Promise<StreamClient> {
  const client = await openStream(url, headers);
  clients.push(client);
  return client;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errorOf = (text: string) => JSON.parse(text) as { error: string; error_description: string };
const HIT_ID = /"hitIdHigh":(\d{1,20}),"hitIdLow":(\d{1,20})/;
const idOf = (line: string) => HIT_ID.exec(line)?.slice(1, 3).join('-');

describe('token endpoint', () => {
  it('grants a bearer token for the right client and refuses a wrong secret', async () => {
    const sim = await start({ tokenTtlS: 3600 });
    const form = (secret: string) =>
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sim.clientId,
        client_secret: secret,
        scope: 'openid',
      }).toString();
    const post = (body: string) =>
      fetchText(sim.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    const granted = await post(form(sim.clientSecret));
    expect(granted.status).toBe(200);
    expect(JSON.parse(granted.text)).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'bearer',
      expires_in: 3600,
    });
    const refused = await post(form('wrong'));
    expect(refused.status).toBe(401);
    expect(errorOf(refused.text).error).toBe('invalid_client');
    expect((await post('grant_type=password')).status).toBe(400);
    expect((await fetchText(sim.tokenUrl)).status).toBe(405);
    const logged = sim.attempts().filter((a) => a.kind === 'token');
    expect(logged.map((a) => a.status)).toEqual([200, 401, 400, 405]);
    expect(JSON.stringify(logged)).not.toContain(sim.clientSecret);
  });
});

describe('Adobe’s documented client command', () => {
  const curl = '/usr/bin/curl';
  it.skipIf(!existsSync(curl))('curl --location-trusted --compressed prints NDJSON hits with exact ids', async () => {
    const sim = await start({ rate: 100 });
    const tokenJson = await new Promise<string>((resolve, reject) =>
      execFile(
        curl,
        [
          '-s',
          '-X',
          'POST',
          sim.tokenUrl,
          '-d',
          'grant_type=client_credentials',
          '-d',
          `client_id=${sim.clientId}`,
          '-d',
          `client_secret=${sim.clientSecret}`,
        ],
        (error, stdout) => (error ? reject(new Error(error.message)) : resolve(stdout)),
      ),
    );
    const token = (JSON.parse(tokenJson) as { access_token: string }).access_token;
    const child = spawn(curl, [
      '-sS',
      '--location-trusted',
      '--compressed',
      '-H',
      `Authorization: Bearer ${token}`,
      '-H',
      `x-api-key: ${sim.clientId}`,
      sim.streamUrl,
    ]);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 8000;
    while (stdout.split('\r\n').filter(Boolean).length < 6 && Date.now() < deadline) await sleep(25);
    await fetch(`${sim.controlUrl}/end`, { method: 'POST', body: '{}' });
    expect(await exited).toBe(0);
    const lines = stdout.split('\r\n');
    expect(lines.pop()).toBe('');
    const records = lines.filter((line) => line !== '');
    expect(records.length).toBeGreaterThanOrEqual(6);
    for (const line of records) {
      expect(() => JSON.parse(line) as unknown).not.toThrow();
      expect(line).toMatch(/"hitIdHigh":\d{16,20},"hitIdLow":\d{16,20},/);
    }
    expect(records.some((line) => /"hitId(High|Low)":\d{19,20},/.test(line))).toBe(true);
    const streamAttempts = sim.attempts().filter((a) => a.kind === 'stream');
    expect(streamAttempts.map((a) => a.status)).toEqual([302, 200]);
    expect(streamAttempts[1]?.headers.authorization).toMatch(/^Bearer \*{4}.{4}$/);
    expect(streamAttempts[1]?.port).not.toBe(streamAttempts[0]?.port);
  });
});

describe('stream refusals', () => {
  it('answers 406 without Accept-Encoding, 401 without a valid token, 403 with a wrong key', async () => {
    const sim = await start({ redirectFirstConnect: false });
    const good = await headersFor(sim);
    const noEncoding = await fetchText(sim.streamUrl, { headers: { ...good, 'accept-encoding': '' } });
    expect(noEncoding.status).toBe(406);
    expect(errorOf(noEncoding.text).error).toBe('invalid_header');
    const identity = await fetchText(sim.streamUrl, { headers: { ...good, 'accept-encoding': 'identity' } });
    expect(identity.status).toBe(406);
    const { authorization: _, ...anonymous } = good;
    const noToken = await fetchText(sim.streamUrl, { headers: anonymous });
    expect(noToken.status).toBe(401);
    expect(errorOf(noToken.text).error_description).toMatch(/Authorization/);
    expect((await fetchText(sim.streamUrl, { headers: { ...good, authorization: 'Bearer forged' } })).status).toBe(401);
    const wrongKey = await fetchText(sim.streamUrl, { headers: { ...good, 'x-api-key': 'someone-else' } });
    expect(wrongKey.status).toBe(403);
    expect(errorOf(wrongKey.text).error).toBe('stream_access_denied');
  });

  it('answers 401 once the token has expired on the simulator clock', async () => {
    let now = Date.UTC(2025, 0, 1);
    const sim = await start({ redirectFirstConnect: false, tokenTtlS: 60, now: () => now });
    const headers = await headersFor(sim);
    now += 61_000;
    const answer = await fetchText(sim.streamUrl, { headers });
    expect(answer.status).toBe(401);
    expect(errorOf(answer.text)).toEqual({
      error: 'access_token_expired',
      error_description: expect.stringMatching(/expired/),
    });
  });

  it('answers 405 to other methods, 404 to an unknown stream, 505 to HTTP/1.0', async () => {
    const sim = await start({ redirectFirstConnect: false });
    const headers = await headersFor(sim);
    const post = await fetchText(sim.streamUrl, { method: 'POST', headers });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
    const unknown = await fetchText(`${sim.origin}/api/1/stream/nope`, { headers });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.text).error).toBe('stream_not_found');
    const port = Number(new URL(sim.origin).port);
    const statusLine = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(`GET /api/1/stream/demo HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n`),
      );
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text.split('\r\n')[0] ?? ''));
      socket.on('error', reject);
    });
    expect(statusLine).toBe('HTTP/1.1 505 HTTP Version Not Supported');
  });

  it.each([
    ['maxConnections=9', 'maxConnections'],
    ['maxConnections=0', 'maxConnections'],
    ['reset=newest', 'reset'],
    ['smoothingBucketSize=0', 'smoothingBucketSize'],
    ['smoothingBucketSize=7201', 'smoothingBucketSize'],
    ['smoothing=yes', 'smoothing'],
  ])('answers 400 to %s, naming the parameter', async (query, parameter) => {
    const sim = await start({ redirectFirstConnect: false });
    const answer = await fetchText(`${sim.streamUrl}?${query}`, { headers: await headersFor(sim) });
    expect(answer.status).toBe(400);
    expect(errorOf(answer.text).error).toBe('invalid_parameter_value');
    expect(errorOf(answer.text).error_description).toContain(parameter);
  });
});

describe('the latest API (2026 payload) and the enable call', () => {
  it('serves /api/2/stream and /api/1/stream?beta=true, and takes a request without x-api-key', async () => {
    const sim = await start({ redirectFirstConnect: false, rate: 200 });
    expect(sim.streamUrlV2).toBe(`${sim.origin}/api/2/stream/demo`);
    expect(sim.enableUrl).toBe(`${sim.origin}/api/2/enable/demo`);
    const { 'x-api-key': _key, ...noKey } = await headersFor(sim);
    for (const url of [sim.streamUrlV2, `${sim.streamUrl}?beta=true&maxConnections=1`]) {
      const client = await open(url, noKey);
      expect(client.status).toBe(200);
      await client.waitFor(() => client.records().length >= 3);
      client.close();
      await client.closed;
      while (sim.state().open.length > 0) await sleep(5);
      await sleep(350);
    }
    expect(sim.state().enable).toEqual({ required: false, delayS: 0, enabled: true });
  });

  it('with requireEnable, answers 424 on the latest API until the enable call, then serves it', async () => {
    const sim = await start({ redirectFirstConnect: false, requireEnable: true });
    const headers = await headersFor(sim);
    const refused = await fetchText(sim.streamUrlV2, { headers });
    expect(refused.status).toBe(424);
    expect(errorOf(refused.text)).toEqual({
      error: 'stream_not_enabled',
      error_description: expect.stringContaining('GET /api/2/enable/demo'),
    });
    expect((await fetchText(`${sim.streamUrl}?beta=true`, { headers })).status).toBe(424);
    // The 2024 payload needs no enable call.
    const old = await open(sim.streamUrl, headers);
    expect(old.status).toBe(200);
    old.close();
    await old.closed;

    expect((await fetchText(sim.enableUrl, { method: 'POST', headers })).status).toBe(405);
    const { authorization: _auth, ...anonymous } = headers;
    expect((await fetchText(sim.enableUrl, { headers: anonymous })).status).toBe(401);
    expect((await fetchText(sim.enableUrl, { headers: { ...headers, 'x-api-key': 'other' } })).status).toBe(403);
    expect((await fetchText(`${sim.origin}/api/2/enable/nope`, { headers })).status).toBe(404);
    expect(sim.state().enable.enabledAt).toBeUndefined();

    const enabled = await fetchText(sim.enableUrl, { headers });
    expect(enabled.status).toBe(200);
    expect(JSON.parse(enabled.text)).toMatchObject({ endpointName: 'demo', status: 'enabled' });
    expect(sim.state().enable).toMatchObject({ required: true, enabled: true });
    await sleep(350);
    const served = await open(sim.streamUrlV2, headers);
    expect(served.status).toBe(200);
    expect(
      sim
        .attempts()
        .filter((a) => a.path === '/api/2/enable/demo')
        .map((a) => a.status),
    ).toEqual([405, 401, 403, 200]);
  });

  it('takes enableDelayS to switch after the enable call (simulator clock)', async () => {
    let now = Date.UTC(2026, 4, 1, 12);
    const sim = await start({ redirectFirstConnect: false, requireEnable: true, enableDelayS: 900, now: () => now });
    const headers = await headersFor(sim);
    const enabling = await fetchText(sim.enableUrl, { headers });
    expect(JSON.parse(enabling.text)).toMatchObject({ status: 'enabling', message: expect.stringContaining('900 s') });
    now += 899_999;
    const early = await fetchText(sim.streamUrlV2, { headers });
    expect(early.status).toBe(424);
    expect(errorOf(early.text).error_description).toMatch(/being enabled/);
    // A second enable call does not restart the clock.
    await fetchText(sim.enableUrl, { headers });
    now += 1;
    expect(sim.state().enable).toMatchObject({ enabled: true, effectiveAt: Date.UTC(2026, 4, 1, 12) + 900_000 });
    expect((await open(sim.streamUrlV2, headers)).status).toBe(200);
    // The rule can be changed at run time (a control API flag).
    expect(sim.setEnable({ reset: true })).toMatchObject({ required: true, enabled: false });
    expect(sim.setEnable({ required: false })).toMatchObject({ required: false, enabled: true });
  });
});

describe('redirect', () => {
  it('sends the first connect to the other origin, which needs the headers again', async () => {
    const sim = await start();
    const headers = await headersFor(sim);
    const first = await fetchText(`${sim.streamUrl}?maxConnections=1&reset=smallest`, { headers });
    expect(first.status).toBe(302);
    const location = new URL(first.headers.location ?? '');
    expect(location.origin).toBe(sim.redirectOrigin);
    expect(location.origin).not.toBe(sim.origin);
    expect(location.pathname + location.search).toBe('/api/1/stream/demo?maxConnections=1&reset=smallest');
    const { authorization: _, ...dropped } = headers;
    expect((await fetchText(location.href, { headers: dropped })).status).toBe(401);
    const followed = await open(location.href, headers);
    expect(followed.status).toBe(200);
    expect(followed.headers['content-encoding']).toBe('gzip');
    followed.close();
    // Only the first connect is redirected.
    await sleep(350);
    expect((await open(sim.streamUrl, headers)).status).toBe(200);
  });
});

describe('the stream body', () => {
  it('is gzip, chunked, CRLF-separated records split at odd boundaries, UTF-8 split too', async () => {
    const sim = await start({ rate: 600, redirectFirstConnect: false });
    const client = await open(sim.streamUrl, await headersFor(sim));
    expect(client.status).toBe(200);
    expect(client.headers['content-encoding']).toBe('gzip');
    expect(client.headers['transfer-encoding']).toBe('chunked');
    await client.waitFor(() => client.raw.length >= 40, 8000);
    const body = client.body();
    const boundaries = client.boundaries().filter((b) => b > 0 && b < body.length);
    const midRecord = boundaries.filter((b) => !(body[b - 2] === 0x0d && body[b - 1] === 0x0a));
    const midCharacter = boundaries.filter((b) => ((body[b] as number) & 0xc0) === 0x80);
    expect(midRecord.length).toBeGreaterThan(boundaries.length / 2);
    expect(midCharacter.length).toBeGreaterThan(0);
    const records = client.records();
    expect(records.length).toBeGreaterThan(50);
    for (const line of records) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(records.every((line) => HIT_ID.test(line))).toBe(true);
  });

  it('is deflate when only deflate is accepted', async () => {
    const sim = await start({ rate: 200, redirectFirstConnect: false });
    const client = await open(sim.streamUrl, await headersFor(sim, { 'accept-encoding': 'deflate' }));
    expect(client.headers['content-encoding']).toBe('deflate');
    await client.waitFor(() => client.records().length >= 5);
    expect(client.records().every((line) => HIT_ID.test(line))).toBe(true);
  });

  it('sends nothing at all while there is no traffic', async () => {
    const sim = await start({ rate: 0, redirectFirstConnect: false });
    const client = await open(sim.streamUrl, await headersFor(sim));
    expect(client.status).toBe(200);
    await sleep(300);
    expect(client.raw).toHaveLength(0);
  });
});

describe('maxConnections sharding', () => {
  it('spreads the stream over N connections by visitor, then answers 409', async () => {
    const sim = await start({ rate: 400, redirectFirstConnect: false });
    const headers = await headersFor(sim);
    const url = `${sim.streamUrl}?maxConnections=2`;
    const a = await open(url, headers);
    const b = await open(url, headers);
    expect([a.status, b.status]).toEqual([200, 200]);
    const third = await fetchText(url, { headers });
    expect(third.status).toBe(409);
    expect(errorOf(third.text).error).toBe('too_many_connections');
    const mismatch = await fetchText(`${sim.streamUrl}?maxConnections=3`, { headers });
    expect(mismatch.status).toBe(409);
    expect(errorOf(mismatch.text).error_description).toMatch(/mismatch/);
    await a.waitFor(() => a.records().length >= 20);
    await b.waitFor(() => b.records().length >= 20);
    const visitors = (client: StreamClient) =>
      new Set(client.records().map((line) => /"visIdHigh":(\d+),"visIdLow":(\d+)/.exec(line)?.slice(1).join('-')));
    const shared = [...visitors(a)].filter((visitor) => visitors(b).has(visitor));
    expect(shared).toEqual([]);
    const streams = sim.attempts().filter((attempt) => attempt.kind === 'stream');
    expect(streams.map((attempt) => [attempt.status, attempt.slot])).toEqual([
      [200, 0],
      [200, 1],
      [409, undefined],
      [409, undefined],
    ]);
  });
});

describe('churn', () => {
  it('answers 503 to a reconnect within the window (without extending it), 200 after it', async () => {
    let now = Date.UTC(2025, 0, 1, 12);
    const sim = await start({ churnWindowS: 60, redirectFirstConnect: false, now: () => now });
    const headers = await headersFor(sim);
    const first = await open(sim.streamUrl, headers);
    first.close();
    await first.closed;
    while (sim.state().open.length > 0) await sleep(5);
    now += 10_000;
    const churned = await fetchText(sim.streamUrl, { headers });
    expect(churned.status).toBe(503);
    expect(errorOf(churned.text)).toEqual({
      error: 'service_unavailable',
      error_description: expect.stringMatching(/churn/),
    });
    expect(churned.headers['retry-after']).toBe('50');
    now += 49_999;
    expect((await fetchText(sim.streamUrl, { headers })).status).toBe(503);
    now += 1;
    const again = await open(sim.streamUrl, headers);
    expect(again.status).toBe(200);
    const log = sim.attempts();
    expect(log.map((a) => `${a.kind} ${a.status}`)).toEqual([
      'token 200',
      'stream 200',
      'stream 503',
      'stream 503',
      'stream 200',
    ]);
    expect(log[1]).toMatchObject({ closeReason: 'client-closed', closedAt: Date.UTC(2025, 0, 1, 12) });
  });

  it('applies the window in real time too (short window)', async () => {
    const sim = await start({ churnWindowS: 0.3, redirectFirstConnect: false });
    const headers = await headersFor(sim);
    const first = await open(sim.streamUrl, headers);
    await fetch(`${sim.controlUrl}/drop`, { method: 'POST', body: '{}' });
    await first.closed;
    expect((await fetchText(sim.streamUrl, { headers })).status).toBe(503);
    await sleep(350);
    expect((await open(sim.streamUrl, headers)).status).toBe(200);
  });
});

describe('resume', () => {
  it('after a clean end, replays some delivered hits, then everything missed: no loss', async () => {
    const sim = await start({ rate: 150, redirectFirstConnect: false });
    const headers = await headersFor(sim);
    const before = await open(sim.streamUrl, headers);
    await before.waitFor(() => before.records().length >= 30);
    await fetch(`${sim.controlUrl}/end`, { method: 'POST', body: '{}' });
    expect(await before.closed).toBe('end');
    const seen = before.records().map(idOf);
    await fetch(`${sim.controlUrl}/hit`, {
      method: 'POST',
      body: '{"record":{"pageName":"while away","hitIdHigh":12345678901234567890,"hitIdLow":1}}',
    });
    await sleep(350);
    const backlog = sim.state().backlog[0] ?? 0;
    expect(backlog).toBeGreaterThan(10);
    const after = await open(sim.streamUrl, headers);
    await after.waitFor(() => after.records().length >= backlog + 1);
    const resumed = after.records().map(idOf);
    const duplicates = resumed.findIndex((id) => !seen.includes(id));
    expect(duplicates).toBeGreaterThanOrEqual(1);
    expect(duplicates).toBeLessThanOrEqual(20);
    expect(resumed.slice(0, duplicates)).toEqual(seen.slice(seen.length - duplicates));
    expect(after.records().some((line) => line.includes('"hitIdHigh":12345678901234567890,'))).toBe(true);
    await fetch(`${sim.controlUrl}/rate`, { method: 'POST', body: '{"rate":0}' });
    await sleep(100);
    const generated = sim.state().totals.generated;
    await after.waitFor(() => new Set([...seen, ...after.records().map(idOf)]).size === generated + 1);
  });

  it('after a drop, the hits held back come on the reconnect, after a few duplicates: no loss', async () => {
    const sim = await start({ rate: 200, redirectFirstConnect: false, churnWindowS: 0 });
    const control = (path: string, body = '{}') => fetch(`${sim.controlUrl}/${path}`, { method: 'POST', body });
    const headers = await headersFor(sim);
    const before = await open(sim.streamUrl, headers);
    await before.waitFor(() => before.records().length >= 20);
    // Stalled, the stream holds hits back; the drop must not lose them.
    await control('stall');
    await sleep(200);
    await control('rate', '{"rate":0}');
    await sleep(60);
    const seen = before.records().map(idOf);
    expect(sim.state().open[0]?.hits).toBe(seen.length);
    await control('drop');
    expect(await before.closed).toBe('aborted');
    const generated = sim.state().totals.generated;
    expect(generated - seen.length).toBeGreaterThan(10);
    const after = await open(sim.streamUrl, headers);
    await after.waitFor(() => new Set([...seen, ...after.records().map(idOf)]).size === generated);
    const resumed = after.records().map(idOf);
    const duplicates = resumed.findIndex((id) => !seen.includes(id));
    expect(duplicates).toBeGreaterThanOrEqual(1);
    expect(duplicates).toBeLessThanOrEqual(20);
    expect(resumed.slice(0, duplicates)).toEqual(seen.slice(seen.length - duplicates));
    expect(resumed.length - duplicates).toBe(generated - seen.length);
    expect(sim.attempts().find((a) => a.closeReason === 'sim-drop')).toBeDefined();
  });
});

describe('lifecycle', () => {
  it('close() ends open streams cleanly and frees both ports', async () => {
    const sim = await startSimulator({ rate: 100, rhythm: false, redirectFirstConnect: false });
    const client = await openStream(sim.streamUrl, await headersFor(sim));
    await client.waitFor(() => client.records().length > 0);
    await sim.close();
    expect(await client.closed).toBe('end');
    await expect(fetchText(sim.streamUrl)).rejects.toThrow();
  });
});
