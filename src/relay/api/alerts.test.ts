import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertsResponseSchema, AlertWebhookBodySchema, type AlertWebhookBody } from '../../contract/index.ts';
import { startHostileUpstream, type HostileUpstream, type StreamModeName } from '../testing/hostile-upstream.ts';
import { openSse, startTestRelay, type TestRelay } from '../testing/relay-harness.ts';

/**
 * Socket-level, issue 13 (alerting): a real relay, a real upstream (the test's hostile one) and
 * a real webhook receiver on loopback. A shard fails (an untrusted redirect) → `shard_failed`
 * fires at once → the receiver, which fails the first delivery, gets it on the retry; the
 * operator reconnects → the shard streams → the alert resolves, once. No body holds a secret.
 * A relay restarted while the alert fires does not fire it again.
 */

const SECRET = 'client-secret-0123456789';
const PASSWORD = 'correct horse battery staple';
const HOOK_TOKEN = 'hook-token-XYZ987';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Receiver {
  url: string;
  /** Every POST, the failed ones included, with the status it was answered. */
  posts: { status: number; body: string }[];
  /** Accepted bodies, parsed. */
  accepted(): AlertWebhookBody[];
}

/** A webhook receiver answering `statuses` in order (the last repeats). */
async function startReceiver(statuses: number[]): Promise<Receiver> {
  const posts: Receiver['posts'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const status = statuses[Math.min(posts.length, statuses.length - 1)]!;
      posts.push({ status, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/${HOOK_TOKEN}`,
    posts,
    accepted: () => posts.filter((p) => p.status === 200).map((p) => AlertWebhookBodySchema.parse(JSON.parse(p.body))),
  };
}

async function upstream(modes: StreamModeName[]): Promise<HostileUpstream> {
  const u = await startHostileUpstream(modes);
  cleanups.push(() => u.close());
  return u;
}

async function relay(u: HostileUpstream, receiver: Receiver, dataDir: string): Promise<TestRelay> {
  const r = await startTestRelay({
    LIVESTREAM_URL: u.streamUrl,
    ADOBE_CLIENT_ID: 'alert-test-client',
    ADOBE_CLIENT_SECRET: SECRET,
    ADOBE_IMS_TOKEN_URL: u.tokenUrl,
    DASHBOARD_PASSWORD: PASSWORD,
    ALERT_WEBHOOK_URLS: receiver.url,
    DATA_DIR: dataDir,
  });
  cleanups.push(() => r.close());
  return r;
}

async function until(predicate: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const basic = `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`;

async function alerts(r: TestRelay) {
  const response = await fetch(`${r.url}/api/alerts`, { headers: { authorization: basic } });
  expect(response.status).toBe(200);
  return AlertsResponseSchema.parse(await response.json()).alerts;
}

async function reconnect(r: TestRelay): Promise<void> {
  const response = await fetch(`${r.url}/api/upstream/0/reconnect`, {
    method: 'POST',
    headers: { authorization: basic },
  });
  expect(response.status).toBe(202);
}

function expectNoSecret(receiver: Receiver): void {
  for (const { body } of receiver.posts) {
    for (const secret of [SECRET, PASSWORD, HOOK_TOKEN, 'hostile-token-1']) expect(body).not.toContain(secret);
  }
}

describe('alerts to a webhook', () => {
  it('fires shard_failed at once, retries a failing receiver, resolves once after the reconnect; no secret in a body', async () => {
    const u = await upstream(['redirect-other-host', 'healthy']);
    const receiver = await startReceiver([500, 200]);
    const r = await relay(u, receiver, mkdtempSync(join(tmpdir(), 'lsm-alerts-')));
    const sse = await openSse(`${r.url}/api/stream`, { authorization: basic });
    cleanups.push(() => sse.close());

    await until(() => receiver.accepted().length === 1, 15_000, 'the firing alert at the receiver');
    expect(receiver.posts.map((p) => p.status)).toEqual([500, 200]);
    const [fired] = receiver.accepted();
    expect(fired).toMatchObject({ version: '1', status: 'firing' });
    expect(fired!.alerts).toEqual([
      expect.objectContaining({ rule: 'shard_failed', state: 'firing', severity: 'critical', shard: 0 }),
    ]);
    expect(fired!.text).toMatch(/^\[FIRING\] critical shard_failed \(shard 0\): Livestream shard 0 failed/);
    expect(fired!.alerts[0]!.description).toContain('untrusted_redirect');
    await sse.waitFor((events) => events.some((e) => e.event === 'alert'));
    expect((await alerts(r)).map((a) => [a.rule, a.state])).toEqual([['shard_failed', 'firing']]);
    const metrics = await (await fetch(`${r.url}/metrics`, { headers: { authorization: basic } })).text();
    expect(metrics).toContain('livestream_alerts_firing{rule="shard_failed"} 1');

    await reconnect(r);
    await until(() => receiver.accepted().length === 2, 15_000, 'the resolved alert at the receiver');
    const resolved = receiver.accepted()[1]!;
    expect(resolved.status).toBe('resolved');
    expect(resolved.alerts[0]).toMatchObject({ id: fired!.alerts[0]!.id, state: 'resolved' });
    expect(resolved.alerts[0]!.endsAt).toBeGreaterThanOrEqual(resolved.alerts[0]!.startsAt);
    // Resolved once: nothing more arrives while the shard streams.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.accepted()).toHaveLength(2);
    expect((await alerts(r)).map((a) => [a.rule, a.state])).toEqual([['shard_failed', 'resolved']]);
    expect(u.streams.length).toBe(2);
    expectNoSecret(receiver);
  });

  it('a relay restarted while an alert fires does not fire it again, and resolves it once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lsm-alerts-'));
    const receiver = await startReceiver([200]);
    const first = await upstream(['redirect-other-host']);
    const r1 = await relay(first, receiver, dataDir);
    await until(() => receiver.accepted().length === 1, 15_000, 'the firing alert');
    const id = receiver.accepted()[0]!.alerts[0]!.id;
    await r1.close();

    const second = await upstream(['redirect-other-host', 'healthy']);
    const r2 = await relay(second, receiver, dataDir);
    await until(() => r2.relay.upstream.shards()[0]!.state === 'failed', 15_000, 'the shard to fail again');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(receiver.accepted()).toHaveLength(1);
    expect((await alerts(r2)).map((a) => [a.id, a.state])).toEqual([[id, 'firing']]);

    await reconnect(r2);
    await until(() => receiver.accepted().length === 2, 15_000, 'the resolved alert');
    expect(receiver.accepted()[1]!.alerts[0]).toMatchObject({ id, state: 'resolved' });
    expectNoSecret(receiver);
  });
});
