import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatorControl } from './control-client.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from './server.ts';
import { fetchText, fetchToken, openStream, type StreamClient } from './stream-client.ts';

const running: Simulator[] = [];
const clients: StreamClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

/** A simulator with a connected client, most faults need one. */
async function setup(options: SimulatorOptions = {}) {
  const sim = await startSimulator({
    seed: 2,
    rhythm: false,
    rate: 100,
    churnWindowS: 0.2,
    redirectFirstConnect: false,
    ...options,
  });
  running.push(sim);
  const control = new SimulatorControl(sim.controlUrl);
  const headers = {
    authorization: `Bearer ${await fetchToken(sim)}`,
    'x-api-key': sim.clientId,
    'accept-encoding': 'gzip',
  };
  const connect = async (url = sim.streamUrl) => {
    const client = await openStream(url, headers);
    clients.push(client);
    return client;
  };
  return { sim, control, headers, connect };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isJson = (line: string) => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};

describe('control API: connection faults', () => {
  it('drop destroys the socket, end closes the body cleanly', async () => {
    const { control, connect, sim } = await setup({ churnWindowS: 0 });
    const dropped = await connect();
    await dropped.waitFor(() => dropped.records().length > 0);
    expect((await control.drop()).dropped).toEqual([0]);
    expect(await dropped.closed).toBe('aborted');
    const ended = await connect();
    await ended.waitFor(() => ended.records().length > 0);
    expect((await control.end(0)).ended).toEqual([0]);
    expect(await ended.closed).toBe('end');
    expect(() => gunzipSync(Buffer.concat(ended.raw))).not.toThrow();
    expect(
      sim
        .attempts()
        .map((a) => a.closeReason)
        .filter(Boolean),
    ).toEqual(['sim-drop', 'sim-end']);
  });

  /** The client's chunk count once 80 ms pass without a chunk (at most 1.5 s of waiting). */
  async function quietLength(client: { raw: Buffer[] }): Promise<number> {
    const deadline = Date.now() + 1500;
    let length = client.raw.length;
    for (;;) {
      await sleep(80);
      const now = client.raw.length;
      if (now === length || Date.now() > deadline) return now;
      length = now;
    }
  }

  it('stall sends no byte until the time is up or resume', async () => {
    const { control, connect } = await setup({ rate: 400 });
    const client = await connect();
    await client.waitFor(() => client.raw.length > 0);
    expect((await control.stall({ seconds: 2 })).stalled).toEqual([0]);
    // What zlib had already taken may still come out (later on a loaded machine): then nothing.
    const frozen = await quietLength(client);
    await sleep(300);
    expect(client.raw.length).toBe(frozen);
    await client.waitFor(() => client.raw.length > frozen, 4000);
    await control.stall();
    const again = await quietLength(client);
    await sleep(150);
    expect(client.raw.length).toBe(again);
    expect((await control.state()).open[0]?.stalled).toBe(true);
    await control.resume();
    await client.waitFor(() => client.raw.length > again, 2000);
  });

  it('next-connect answers the next connects with the given status and body kind', async () => {
    const { control, sim, headers } = await setup();
    await control.nextConnect({ status: 503, body: 'html', retryAfter: 7, times: 2 });
    await control.nextConnect({ status: 500, body: 'empty' });
    await control.nextConnect({ status: 424, errorDescription: 'not enabled for this API version' });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await fetchText(sim.streamUrl, { headers }));
    expect(answers.map((a) => a.status)).toEqual([503, 503, 500, 424]);
    const served = await openStream(sim.streamUrl, headers);
    clients.push(served);
    expect(served.status).toBe(200);
    expect(answers[0]?.headers['content-type']).toMatch(/text\/html/);
    expect(answers[0]?.headers['retry-after']).toBe('7');
    expect(answers[0]?.text).toMatch(/<title>503 Service Unavailable<\/title>/);
    expect(answers[2]?.text).toBe('');
    expect(JSON.parse(answers[3]?.text ?? '')).toEqual({
      error: 'stream_not_enabled',
      error_description: 'not enabled for this API version',
    });
  });

  it('next-connect sends a body as is, with its content type (an error object newer than the table)', async () => {
    const { control, sim, headers } = await setup();
    const text = JSON.stringify({ status: 429, code: 'stream_quota_exceeded', action: 'contact-account-team' });
    await control.nextConnect({ status: 429, text, contentType: 'application/problem+json', retryAfter: 90 });
    const answer = await fetchText(sim.streamUrl, { headers });
    expect(answer.status).toBe(429);
    expect(answer.text).toBe(text);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers['retry-after']).toBe('90');
  });

  it('migration answers the next connects with 503 saying the stream is in migration', async () => {
    const { control, sim, headers } = await setup();
    await control.migration({ times: 2, retryAfter: 120 });
    const answers = [await fetchText(sim.streamUrl, { headers }), await fetchText(sim.streamUrl, { headers })];
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('120');
      const body = JSON.parse(answer.text) as { error: string; error_description: string };
      expect(body.error).toBe('service_unavailable');
      expect(body.error_description).toMatch(/in migration/);
    }
    const served = await openStream(sim.streamUrl, headers);
    clients.push(served);
    expect(served.status).toBe(200);
  });

  it('redirect sends the next connect through hops on alternating origins, or loops', async () => {
    const { control, sim, headers } = await setup();
    await control.redirect({ hops: 3 });
    let url = `${sim.streamUrl}?maxConnections=1`;
    const origins: string[] = [];
    for (let hop = 0; hop < 3; hop++) {
      const answer = await fetchText(url, { headers });
      expect(answer.status).toBe(302);
      url = answer.headers.location ?? '';
      origins.push(new URL(url).origin);
    }
    expect(origins).toEqual([sim.redirectOrigin, sim.origin, sim.redirectOrigin]);
    expect(new URL(url).search).toBe('?maxConnections=1');
    const served = await openStream(url, headers);
    clients.push(served);
    expect(served.status).toBe(200);
    served.close();

    await control.redirect({ crossOrigin: false });
    const sameOrigin = await fetchText(sim.streamUrl, { headers });
    expect(new URL(sameOrigin.headers.location ?? '').origin).toBe(sim.origin);
    expect(sameOrigin.headers.location).not.toBe(sim.streamUrl);

    await control.redirect({ loop: true });
    for (let hop = 0; hop < 8; hop++) expect((await fetchText(sim.streamUrl, { headers })).status).toBe(302);
    await control.reset();
    expect((await control.state()).pendingFaults.redirect).toBeNull();
  });

  it('hostile faults: a stall kept alive by empty deflate blocks, any Location, any Retry-After', async () => {
    const { control, connect, sim, headers } = await setup({ rate: 200 });
    const client = await connect();
    await client.waitFor(() => client.records().length > 0);
    await control.stall({ seconds: 2, keepAliveEveryS: 0.1 });
    await sleep(100);
    const frozenBody = client.body().length;
    const frozenRaw = client.raw.length;
    await sleep(600);
    // Bytes kept coming, and they decompress to nothing: the body is valid and has not grown.
    expect(client.raw.length).toBeGreaterThan(frozenRaw + 3);
    expect(client.body().length).toBe(frozenBody);
    expect(() => gunzipSync(Buffer.concat(client.raw), { finishFlush: 2 })).not.toThrow();
    await control.resume();
    await client.waitFor(() => client.body().length > frozenBody, 3000);

    expect(await control.hugeRecord(3 * 1024 * 1024)).toMatchObject({ written: true });
    const huge = () => client.records().some((line) => line.length > 3 * 1024 * 1024 && isJson(line));
    await client.waitFor(huge, 5000);

    await control.redirect({ location: 'http://[::1' });
    expect((await fetchText(sim.streamUrl, { headers })).headers.location).toBe('http://[::1');
    await control.nextConnect({ status: 503, retryAfter: 'Fri, 31 Dec 9999 23:59:59 GMT' });
    await control.nextConnect({ status: 429, retryAfter: 999_999_999 });
    expect((await fetchText(sim.streamUrl, { headers })).headers['retry-after']).toBe('Fri, 31 Dec 9999 23:59:59 GMT');
    expect((await fetchText(sim.streamUrl, { headers })).headers['retry-after']).toBe('999999999');
  });

  it('bad-encoding announces gzip and sends plain text', async () => {
    const { control, connect } = await setup({ rate: 200 });
    await control.badEncoding();
    const client = await connect();
    expect(client.headers['content-encoding']).toBe('gzip');
    await client.waitFor(() => Buffer.concat(client.raw).length > 50);
    const raw = Buffer.concat(client.raw);
    expect(raw[0]).not.toBe(0x1f);
    expect(() => gunzipSync(raw)).toThrow();
    expect(raw.toString('utf8')).toMatch(/^\{"reportSuite"/);
  });
});

describe('control API: what the stream carries', () => {
  it('malformed and empty write non-JSON lines and bare CRLFs', async () => {
    const { control, connect } = await setup({ rate: 0 });
    const client = await connect();
    expect((await control.malformed({ count: 5 })).written).toBe(5);
    expect((await control.empty({ count: 3 })).written).toBe(3);
    await client.waitFor(() => client.lines().length >= 8);
    const lines = client.lines();
    expect(lines.filter((line) => line !== '' && !isJson(line))).toHaveLength(5);
    expect(lines.filter((line) => line === '')).toHaveLength(3);
  });

  it('hit writes a given record with its exact 64-bit digits, or a raw line', async () => {
    const { control, connect } = await setup({ rate: 0 });
    const client = await connect();
    await control.hit({
      record: {
        hitIdHigh: '9223372036854775809',
        hitIdLow: '18446744073709551615',
        pageName: 'Zürich → 東京 "quoted"',
      },
    });
    await control.hit({ line: 'odd text, not JSON' });
    await client.waitFor(() => client.records().length >= 2);
    expect(client.records()).toEqual([
      '{"hitIdHigh":9223372036854775809,"hitIdLow":18446744073709551615,"pageName":"Zürich → 東京 \\"quoted\\""}',
      'odd text, not JSON',
    ]);
  });

  it('duplicates replays the last hits on their slots', async () => {
    const { control, connect } = await setup({ rate: 200 });
    const client = await connect();
    await client.waitFor(() => client.records().length >= 10);
    await control.rate(0);
    await sleep(150);
    const before = client.records();
    expect((await control.duplicates(4)).replayed).toBe(4);
    await client.waitFor(() => client.records().length >= before.length + 4);
    expect(client.records().slice(before.length)).toEqual(before.slice(before.length - 4));
  });

  it('rate changes the flow, down to silence', async () => {
    const { control, connect } = await setup({ rate: 0 });
    const client = await connect();
    await sleep(150);
    expect(client.raw).toHaveLength(0);
    expect((await control.rate(300)).rate).toBe(300);
    await client.waitFor(() => client.records().length >= 10, 3000);
    expect((await control.state()).rate).toBe(300);
  });
});

describe('control API: tokens, churn window, log', () => {
  it('token makes the next token requests fail: 401, 500 html, no answer', async () => {
    const { control, sim } = await setup();
    await control.token({ status: 401 });
    await control.token({ status: 500, body: 'html' });
    await control.token({ unreachable: true });
    await expect(fetchToken(sim)).rejects.toThrow(/401.*invalid_client/);
    await expect(fetchToken(sim)).rejects.toThrow(/500.*<html>/s);
    await expect(fetchToken(sim)).rejects.toThrow();
    await expect(fetchToken(sim)).resolves.toMatch(/\./);
    const tokens = sim.attempts().filter((a) => a.kind === 'token');
    expect(tokens.map((a) => a.status)).toEqual([200, 401, 500, 0, 200]);
  });

  it('token-answer makes the next token requests answer 200 without a usable token', async () => {
    const { control, sim } = await setup();
    await control.tokenAnswer('garbage');
    await control.tokenAnswer('no-token');
    await control.tokenAnswer('expires-zero');
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
    }).toString();
    const ask = () =>
      fetchText(sim.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
    const garbage = await ask();
    expect(garbage.status).toBe(200);
    expect(garbage.text).toMatch(/^<html>/);
    expect(JSON.parse((await ask()).text)).not.toHaveProperty('access_token');
    expect(JSON.parse((await ask()).text)).toMatchObject({ access_token: expect.any(String), expires_in: 0 });
  });

  it('expire-tokens makes the next connect 401', async () => {
    const { control, sim, headers } = await setup();
    expect((await control.expireTokens()).expired).toBe(1);
    const answer = await fetchText(sim.streamUrl, { headers });
    expect(answer.status).toBe(401);
  });

  it('churn-window changes the window', async () => {
    const { control, sim, headers, connect } = await setup({ churnWindowS: 60 });
    (await connect()).close();
    await sleep(50);
    expect((await fetchText(sim.streamUrl, { headers })).status).toBe(503);
    await control.churnWindow(0);
    expect((await connect()).status).toBe(200);
  });

  it('logs every attempt with masked headers, lists state, and reset clears faults and log', async () => {
    const { control, connect, headers } = await setup();
    await connect();
    const log = await control.connections();
    const stream = log.find((a) => a.kind === 'stream');
    expect(stream).toMatchObject({
      id: expect.any(Number),
      at: expect.any(Number),
      port: expect.any(Number),
      path: '/api/1/stream/demo',
      query: {},
      status: 200,
      slot: 0,
      maxConnections: 1,
      bytes: expect.any(Number),
      hits: expect.any(Number),
    });
    expect(stream?.headers.authorization).toBe(`Bearer ****${headers.authorization.slice(-4)}`);
    expect(JSON.stringify(log)).not.toContain(headers.authorization.slice(7));
    await control.nextConnect({ status: 500 });
    await control.badEncoding(2);
    const state = await control.state();
    expect(state).toMatchObject({
      open: [{ slot: 0, since: expect.any(Number), hits: expect.any(Number), bytes: expect.any(Number) }],
      rate: 100,
      maxConnections: 1,
      pendingFaults: { nextConnect: [{ status: 500, times: 1 }], badEncoding: 2 },
      totals: { connects: 1, refused: 0 },
    });
    await control.reset();
    expect((await control.connections()).length).toBe(0);
    expect((await control.state()).pendingFaults).toMatchObject({ nextConnect: [], badEncoding: 0, token: [] });
  });

  it('records switches the records between the mobile fields and the user agent, and A4T timing', async () => {
    const { control, connect, sim } = await setup({ rate: 200 });
    expect(await (await fetch(`${sim.controlUrl}/records`)).json()).toEqual({
      records: { deviceFields: 'mobile', a4t: false },
    });
    const client = await connect();
    await client.waitFor(() => client.records().length > 5, 3000);
    const before = client.records().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(before.every((r) => r.userAgent === '' && typeof r.mobileDeviceType === 'string')).toBe(true);
    expect(await control.records({ deviceFields: 'userAgent', a4t: true })).toMatchObject({
      records: { deviceFields: 'userAgent', a4t: true },
    });
    // What was generated before the switch has been written by now.
    await sleep(300);
    const seen = client.records().length;
    await client.waitFor(() => client.records().length > seen + 20, 3000);
    const after = client
      .records()
      .slice(seen)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(after.every((r) => /^Mozilla/.test(String(r.userAgent)) && !('mobileDeviceType' in r))).toBe(true);
    const nowS = Date.now() / 1000;
    expect(after.every((r) => nowS - (r.receivedTimeGMT as number) >= 9 * 60)).toBe(true);
    // Omitted fields keep their value.
    expect((await control.records({ a4t: false })).records).toEqual({ deviceFields: 'userAgent', a4t: false });
  });

  it('quiet silences the report suite (no record, nothing kept back), with or without keep-alive bytes', async () => {
    const { control, connect, sim } = await setup({ rate: 200 });
    const client = await connect();
    await client.waitFor(() => client.records().length > 5, 3000);
    const plan = await control.quiet({ seconds: 3600, keepAliveEveryS: 0.1 });
    expect(plan.quiet).toMatchObject({ seconds: 3600, keepAliveEveryS: 0.1, silent: true });
    expect(await (await fetch(`${sim.controlUrl}/quiet`)).json()).toMatchObject({ quiet: { silent: true } });
    await sleep(300);
    const records = client.records().length;
    const pieces = client.raw.length;
    await sleep(700);
    expect(client.records().length).toBe(records);
    // Keep-alive flushes: bytes on the socket, no record after gunzip.
    expect(client.raw.length).toBeGreaterThan(pieces + 2);
    await control.quiet({ seconds: 3600 });
    await sleep(300);
    const still = client.raw.length;
    await sleep(500);
    expect(client.raw.length).toBe(still);
    expect((await control.state()).backlog).toEqual([0]);
    expect((await control.quiet({ seconds: 0 })).quiet).toBeNull();
    // Traffic comes back live: nothing was kept back during the silence.
    await client.waitFor(() => client.records().length > records + 5, 3000);
    expect((await control.state()).open[0]?.queued ?? 0).toBeLessThan(50);
  });

  it('reset ends a quiet spell', async () => {
    const { control, connect } = await setup({ rate: 200 });
    const client = await connect();
    await control.quiet({ seconds: 3600 });
    await sleep(300);
    const records = client.records().length;
    await control.reset();
    await client.waitFor(() => client.records().length > records + 5, 3000);
  });

  it('refuses bad control input with 400, unknown routes with 404', async () => {
    const { sim } = await setup();
    const post = (path: string, body: string) => fetchText(`${sim.controlUrl}/${path}`, { method: 'POST', body });
    expect((await post('next-connect', '{"status":99}')).status).toBe(400);
    expect((await post('rate', 'not json')).status).toBe(400);
    expect((await post('drop', '{"slot":1,"extra":true}')).status).toBe(400);
    expect((await post('nope', '{}')).status).toBe(404);
    expect((await post('quiet', '{"seconds":600,"everyS":60}')).status).toBe(400);
    expect((await post('records', '{"deviceFields":"desktop"}')).status).toBe(400);
    expect((await fetchText(`${sim.redirectOrigin}/__sim/state`)).status).toBe(404);
    expect(JSON.parse((await fetchText(sim.controlUrl)).text)).toMatchObject({
      post: expect.arrayContaining(['/__sim/drop']),
    });
  });
});
