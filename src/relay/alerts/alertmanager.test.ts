import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALERTMANAGER, ensureDebianTool } from '../../../scripts/ensure-debian-tool.ts';
import { startHostileUpstream } from '../testing/hostile-upstream.ts';
import { startTestRelay } from '../testing/relay-harness.ts';

/**
 * Socket-level, issue 13 (alerting to Alertmanager): Debian's Alertmanager (installed by
 * scripts/ensure-debian-tool.ts when missing) runs on loopback with deploy/prometheus's example
 * configuration, its receivers pointed at this test's webhook receiver. A real relay with
 * `ALERTMANAGER_URL` reads a real upstream whose first answer fails the shard (an untrusted
 * redirect): `shard_failed` reaches Alertmanager (`GET /api/v2/alerts`: active, with the rule's
 * labels), which routes it by severity to the on-call receiver; the operator reconnects, the
 * shard streams, the relay resolves the alert, and Alertmanager tells the receiver it resolved.
 */

const alertmanager = ensureDebianTool(ALERTMANAGER);
if (!alertmanager.path) console.warn(`skipping the Alertmanager integration test: ${alertmanager.reason}`);

const EXAMPLE = new URL('../../../deploy/prometheus/alertmanager.example.yml', import.meta.url);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch {
      // the next cleanup still runs
    }
  }
});

/** What Alertmanager's webhook sends (`version: "4"`). */
interface Notification {
  path: string;
  body: {
    version: string;
    status: 'firing' | 'resolved';
    receiver: string;
    groupLabels: Record<string, string>;
    alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string>; endsAt: string }[];
  };
}

/** A webhook receiver on loopback: every POST, by path. */
async function startReceiver(): Promise<{ origin: string; received: Notification[] }> {
  const received: Notification[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', body: JSON.parse(body) as Notification['body'] });
      res.writeHead(200).end();
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
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** The example configuration with its receivers on `origin` and its waits shortened to a second. */
function exampleConfig(origin: string): string {
  const replacements: [RegExp, string][] = [
    [/http:\/\/127\.0\.0\.1:9000\//g, `${origin}/`],
    [/group_wait: \w+/g, 'group_wait: 1s'],
    [/group_interval: \w+/g, 'group_interval: 1s'],
  ];
  let text = readFileSync(EXAMPLE, 'utf8');
  for (const [pattern, replacement] of replacements) {
    // The example changed shape: say so rather than test something else.
    expect(text, `alertmanager.example.yml no longer has ${String(pattern)}`).toMatch(pattern);
    text = text.replace(pattern, replacement);
  }
  return text;
}

/** Starts Alertmanager on 127.0.0.1 on a port of its choosing (read from its log), clustering off. */
async function startAlertmanager(binary: string, config: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lsm-alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:0',
      '--cluster.listen-address=',
      '--log.level=info',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  });
  let log = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Alertmanager did not start listening:\n${log}`)), 15_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      log += chunk;
      const listening = /msg="Listening on" address=(127\.0\.0\.1:\d+)/.exec(log);
      if (listening) {
        clearTimeout(timer);
        resolve(`http://${listening[1]}`);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Alertmanager exited at start:\n${log}`));
    });
  });
  await until(async () => (await fetch(`${origin}/-/ready`)).ok, 15_000, 'Alertmanager ready');
  return origin;
}

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      if (await predicate()) return;
    } catch {
      // not yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
  receivers: { name: string }[];
}

async function alertsIn(origin: string): Promise<GettableAlert[]> {
  const response = await fetch(`${origin}/api/v2/alerts`);
  expect(response.status).toBe(200);
  return (await response.json()) as GettableAlert[];
}

describe.skipIf(!alertmanager.path)("the relay's alerts in Debian's Alertmanager", () => {
  it('shard_failed arrives active with its labels, is routed to the on-call receiver, then resolves there', async () => {
    const receiver = await startReceiver();
    const am = await startAlertmanager(alertmanager.path!, exampleConfig(receiver.origin));
    const upstream = await startHostileUpstream(['redirect-other-host', 'healthy']);
    cleanups.push(() => upstream.close());
    const relay = await startTestRelay({
      LIVESTREAM_URL: upstream.streamUrl,
      ADOBE_CLIENT_ID: 'alertmanager-test-client',
      ADOBE_CLIENT_SECRET: 'alertmanager-test-secret-0123',
      ADOBE_IMS_TOKEN_URL: upstream.tokenUrl,
      ALERTMANAGER_URL: am,
    });
    cleanups.push(() => relay.close());

    // The shard fails at its first answer: the relay pushes shard_failed to Alertmanager.
    let active: GettableAlert | undefined;
    await until(
      async () => {
        active = (await alertsIn(am)).find((a) => a.labels.alertname === 'shard_failed');
        return active !== undefined;
      },
      15_000,
      'shard_failed in Alertmanager',
    );
    expect(active!.status.state).toBe('active');
    expect(active!.labels).toEqual({
      alertname: 'shard_failed',
      rule: 'shard_failed',
      severity: 'critical',
      service: 'livestream-monitor',
      stream: 'x',
      shard: '0',
    });
    expect(active!.annotations.summary).toBe('Livestream shard 0 failed: retrying cannot fix it');
    expect(active!.annotations.description).toContain('untrusted_redirect');
    expect(active!.receivers.map((r) => r.name)).toEqual(['oncall-webhook']);

    // Alertmanager's routing: critical goes to the on-call receiver, grouped by alertname and stream.
    await until(() => receiver.received.length > 0, 15_000, 'the firing notification');
    const fired = receiver.received[0]!;
    expect(fired.path).toBe('/alertmanager/oncall');
    expect(fired.body).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'oncall-webhook',
      groupLabels: { alertname: 'shard_failed', stream: 'x' },
    });
    expect(fired.body.alerts).toEqual([
      expect.objectContaining({
        status: 'firing',
        labels: expect.objectContaining({ alertname: 'shard_failed', shard: '0', severity: 'critical' }),
      }),
    ]);

    // The operator reconnects (once the 1-second cooldown of the test relay is over): the shard
    // streams, the relay resolves the alert and tells Alertmanager, which tells the receiver.
    await until(
      async () => (await fetch(`${relay.url}/api/upstream/0/reconnect`, { method: 'POST' })).status === 202,
      10_000,
      'the reconnect accepted',
    );
    await until(() => receiver.received.some((n) => n.body.status === 'resolved'), 15_000, 'the resolved notification');
    const resolved = receiver.received.find((n) => n.body.status === 'resolved')!;
    expect(resolved.path).toBe('/alertmanager/oncall');
    expect(resolved.body.alerts).toEqual([
      expect.objectContaining({ status: 'resolved', labels: expect.objectContaining({ alertname: 'shard_failed' }) }),
    ]);
    expect(Date.parse(resolved.body.alerts[0]!.endsAt)).toBeLessThanOrEqual(Date.now());
    // Alertmanager's API lists active alerts only: a resolved one is gone from it.
    await until(
      async () => !(await alertsIn(am)).some((a) => a.labels.alertname === 'shard_failed'),
      5_000,
      'shard_failed gone from Alertmanager',
    );
    expect(upstream.streams.length).toBe(2);
  }, 60_000);
});
