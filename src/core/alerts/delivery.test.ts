import { describe, expect, it } from 'vitest';
import { AlertWebhookBodySchema, type Alert } from '../../contract/index.ts';
import { ManualClock } from '../clock.ts';
import {
  ALERTMANAGER_RESOLVED_MS,
  AlertDelivery,
  MAX_QUEUED_BODIES,
  alertText,
  urlForLogs,
  type AlertFetch,
} from './delivery.ts';

const T0 = Date.UTC(2026, 10, 30, 12);

const firing: Alert = {
  id: 'stream_down-x',
  rule: 'stream_down',
  state: 'firing',
  severity: 'critical',
  startsAt: T0,
  summary: 'No Livestream data: no shard has been streaming for 2 min',
  description: 'No upstream connection has streamed hits since 11:58:00 UTC.',
};
const resolved: Alert = { ...firing, state: 'resolved', endsAt: T0 + 60_000 };

interface Call {
  at: number;
  url: string;
  init: RequestInit;
}

/** What a call sent (the delivery always sends a string). */
const bodyOf = (call: Call) => call.init.body as string;

/** A fetch answering from `statuses` in order (the last repeats); 0 = the connection fails. */
function fakeFetch(clock: ManualClock, statuses: number[]) {
  const calls: Call[] = [];
  const fetch: AlertFetch = (url, init = {}) => {
    calls.push({ at: clock.now(), url, init });
    const status = statuses[Math.min(calls.length - 1, statuses.length - 1)]!;
    if (status === 0) return Promise.reject(new TypeError('fetch failed'));
    return Promise.resolve({
      ok: status < 300,
      status,
      headers: { get: () => null },
      body: null,
    } as unknown as Response);
  };
  return { fetch, calls };
}

function logs() {
  const lines: string[] = [];
  const log = {
    info: (message: string, fields?: Record<string, unknown>) => lines.push(`${message} ${JSON.stringify(fields)}`),
    warn: (message: string, fields?: Record<string, unknown>) => lines.push(`${message} ${JSON.stringify(fields)}`),
  };
  return { lines, log };
}

const HOOK = 'https://hooks.example.test/services/T000/B000/secret-token-123';

describe('alert delivery', () => {
  it('posts the contract body to every webhook, in order, never following a redirect', async () => {
    const clock = new ManualClock(T0);
    const { fetch, calls } = fakeFetch(clock, [200]);
    const delivery = new AlertDelivery({ webhookUrls: [HOOK, 'http://127.0.0.1:9/hook'], clock, fetch });
    delivery.notify(firing);
    delivery.notify(resolved);
    await clock.advance(0);
    await clock.advance(0);
    expect(calls.map((c) => c.url)).toEqual([HOOK, 'http://127.0.0.1:9/hook', HOOK, 'http://127.0.0.1:9/hook']);
    const bodies = calls.map((c) => AlertWebhookBodySchema.parse(JSON.parse(bodyOf(c))));
    expect(bodies.map((b) => b.status)).toEqual(['firing', 'firing', 'resolved', 'resolved']);
    expect(bodies[0]!.text).toBe(
      '[FIRING] critical stream_down: No Livestream data: no shard has been streaming for 2 min',
    );
    expect(calls.every((c) => c.init.redirect === 'manual' && c.init.method === 'POST')).toBe(true);
    expect(delivery.counters).toMatchObject({ delivered: 4, failedAttempts: 0, givenUp: 0 });
  });

  it('retries a failing receiver with backoff for at least 5 minutes, then gives up; logs name the origin only', async () => {
    const clock = new ManualClock(T0);
    const { fetch, calls } = fakeFetch(clock, [500, 0]);
    const { lines, log } = logs();
    const delivery = new AlertDelivery({ webhookUrls: [HOOK], clock, fetch, log });
    delivery.notify(firing);
    await clock.advance(20 * 60_000);
    const gaps = calls.slice(1).map((c, i) => (c.at - calls[i]!.at) / 1000);
    expect(gaps.slice(0, 6)).toEqual([2, 4, 8, 16, 32, 60]);
    expect(calls.at(-1)!.at - T0).toBeGreaterThanOrEqual(5 * 60_000);
    expect(calls.at(-1)!.at - T0).toBeLessThanOrEqual(6 * 60_000);
    expect(delivery.counters.givenUp).toBe(1);
    expect(delivery.pending).toBe(0);
    expect(lines.join('\n')).toContain('https://hooks.example.test');
    expect(lines.join('\n')).not.toContain('secret-token-123');
  });

  it('delivers what waited once the receiver is back, in order', async () => {
    const clock = new ManualClock(T0);
    const { fetch, calls } = fakeFetch(clock, [503, 503, 200]);
    const delivery = new AlertDelivery({ webhookUrls: [HOOK], clock, fetch });
    delivery.notify(firing);
    delivery.notify(resolved);
    await clock.advance(60_000);
    const statuses = calls.map((c) => (JSON.parse(bodyOf(c)) as { status: string }).status);
    expect(statuses).toEqual(['firing', 'firing', 'firing', 'resolved']);
    expect(delivery.counters).toMatchObject({ delivered: 2, failedAttempts: 2 });
  });

  it('holds at most MAX_QUEUED_BODIES per URL, the oldest going first', async () => {
    const clock = new ManualClock(T0);
    const { fetch } = fakeFetch(clock, [0]);
    const delivery = new AlertDelivery({ webhookUrls: [HOOK], clock, fetch });
    for (let i = 0; i < MAX_QUEUED_BODIES + 50; i++) delivery.notify({ ...firing, id: `a${i}` });
    await clock.advance(0);
    expect(delivery.pending).toBe(MAX_QUEUED_BODIES);
    expect(delivery.counters.givenUp).toBe(50);
    delivery.stop();
  });

  it('pushes Alertmanager its v2 alerts at once and every minute while firing, resolved ones for 15 minutes', async () => {
    const clock = new ManualClock(T0);
    const { fetch, calls } = fakeFetch(clock, [200]);
    const delivery = new AlertDelivery({
      webhookUrls: [],
      alertmanagerUrl: 'http://am-user:am-pass@127.0.0.1:9093/',
      clock,
      fetch,
      labels: { service: 'livestream-monitor', stream: 'x' },
    });
    delivery.notify({ ...firing, rule: 'shard_failed', shard: 1 });
    await clock.advance(0);
    expect(calls[0]!.url).toBe('http://127.0.0.1:9093/api/v2/alerts');
    expect(calls[0]!.init.headers).toMatchObject({ authorization: `Basic ${btoa('am-user:am-pass')}` });
    const [sent] = JSON.parse(bodyOf(calls[0]!)) as Record<string, unknown>[];
    expect(sent).toEqual({
      labels: {
        alertname: 'shard_failed',
        rule: 'shard_failed',
        severity: 'critical',
        service: 'livestream-monitor',
        stream: 'x',
        shard: '1',
      },
      annotations: { summary: firing.summary, description: firing.description },
      startsAt: new Date(T0).toISOString(),
      endsAt: new Date(T0 + 4 * 60_000).toISOString(),
    });
    await clock.advance(3 * 60_000);
    expect(calls.map((c) => c.at - T0)).toEqual([0, 60_000, 120_000, 180_000]);
    delivery.notify({ ...resolved, rule: 'shard_failed', shard: 1, endsAt: clock.now() });
    await clock.advance(ALERTMANAGER_RESOLVED_MS + 3 * 60_000);
    const last = JSON.parse(bodyOf(calls.at(-1)!)) as { endsAt: string }[];
    expect(last[0]!.endsAt).toBe(new Date(T0 + 3 * 60_000).toISOString());
    const after = calls.length;
    await clock.advance(10 * 60_000);
    expect(calls.length).toBe(after);
  });

  it('says an alert in one line and a URL by its origin', () => {
    expect(alertText({ ...resolved, shard: 2 })).toBe(
      '[RESOLVED] critical stream_down (shard 2): No Livestream data: no shard has been streaming for 2 min',
    );
    expect(urlForLogs(HOOK)).toBe('https://hooks.example.test');
    expect(urlForLogs('not a url')).toBe('(not a URL)');
  });
});
