import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiErrorSchema, makeProblem, ProblemAckResponseSchema, ProblemsResponseSchema } from '../../contract/index.ts';
import { startTestRelay, type TestRelay } from '../testing/relay-harness.ts';
import { rawExchange } from './raw-http.ts';

/**
 * `POST /api/problems/:id/ack` on the Node host: the core's route behind the same rules as
 * `POST /api/upstream/:shard/reconnect` (Host, Origin, password), and an error log whose
 * resolved and acknowledged Problems are still so after a restart.
 */

const PASSWORD = 'correct horse battery staple';
const basic = `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`;

const running: TestRelay[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function relay(env: Record<string, string> = {}, ephemeral = true): Promise<TestRelay> {
  const started = await startTestRelay({ SIM_RATE: '20', ...env }, { ephemeral, feedIntervalMs: 100 });
  running.push(started);
  return started;
}

/** A connection Problem of shard 0, as the supervisor would have reported it. */
function lostConnection(r: TestRelay) {
  return r.relay.report(makeProblem({ code: 'connection_lost', source: 'upstream', shard: 0 }));
}

async function post(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function problemsOf(r: TestRelay, headers: Record<string, string> = {}) {
  const response = await fetch(`${r.url}/api/problems?limit=50`, { headers });
  return ProblemsResponseSchema.parse(await response.json()).problems;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('POST /api/problems/:id/ack', () => {
  it('answers 200 {problem} with acknowledgedAt, 404 problem_not_found for an unknown id, 405 for another method', async () => {
    const r = await relay();
    const lost = lostConnection(r);
    const before = Date.now();
    const ok = await post(`${r.url}/api/problems/${lost.id}/ack`);
    expect(ok.status).toBe(200);
    const { problem } = ProblemAckResponseSchema.parse(ok.body);
    expect(problem.id).toBe(lost.id);
    expect(problem.acknowledgedAt).toBeGreaterThanOrEqual(before);
    expect((await problemsOf(r)).find((p) => p.id === lost.id)?.acknowledgedAt).toBe(problem.acknowledgedAt);

    const unknown = await post(`${r.url}/api/problems/no-such-id/ack`);
    expect(unknown.status).toBe(404);
    expect(ApiErrorSchema.parse(unknown.body).error).toMatchObject({ code: 'problem_not_found', status: 404 });

    for (const method of ['GET', 'PUT', 'DELETE']) {
      const wrong = await fetch(`${r.url}/api/problems/${lost.id}/ack`, { method });
      expect(wrong.status, method).toBe(405);
      expect(wrong.headers.get('allow')).toBe('POST');
      expect(ApiErrorSchema.parse(await wrong.json()).error.code).toBe('invalid_http_method');
    }
  });

  it('needs the dashboard password when one is set, and refuses another Origin, like reconnect', async () => {
    const r = await relay({ DASHBOARD_PASSWORD: PASSWORD });
    const lost = lostConnection(r);
    const path = `/api/problems/${lost.id}/ack`;
    const anonymous = await post(`${r.url}${path}`);
    expect(anonymous.status).toBe(401);
    expect(ApiErrorSchema.parse(anonymous.body).error.code).toBe('dashboard_authentication_required');
    expect(r.relay.problems(10).find((p) => p.id === lost.id)?.acknowledgedAt).toBeUndefined();

    const port = Number(new URL(r.url).port);
    const crossSite = await rawExchange(port, {
      method: 'POST',
      path,
      headers: { origin: 'http://evil.example', authorization: basic },
    });
    crossSite.socket.destroy();
    expect(crossSite.status).toBe(403);
    expect(ApiErrorSchema.parse(JSON.parse(crossSite.body)).error.code).toBe('origin_not_allowed');
    expect(r.relay.problems(10).find((p) => p.id === lost.id)?.acknowledgedAt).toBeUndefined();

    const own = await post(`${r.url}${path}`, { authorization: basic, origin: r.url });
    expect(own.status).toBe(200);
    expect(ProblemAckResponseSchema.parse(own.body).problem.acknowledgedAt).toBeGreaterThan(0);
  });
});

describe('the error log across a relay restart', () => {
  it('still shows a Problem acknowledged, and resolved once its shard streams after the restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lsm-ack-'));
    const first = await relay({ DATA_DIR: dataDir }, false);
    await waitFor(() => Promise.resolve(first.relay.status().shards[0]!.state === 'streaming'));
    const lost = lostConnection(first);
    expect((await post(`${first.url}/api/problems/${lost.id}/ack`)).status).toBe(200);
    await first.close();
    running.splice(running.indexOf(first), 1);

    const second = await relay({ DATA_DIR: dataDir }, false);
    // Acknowledged before the stop, and resolved when shard 0 streams again (after the cooldown).
    await waitFor(async () => (await problemsOf(second)).find((p) => p.id === lost.id)?.resolvedAt !== undefined);
    const [after] = (await problemsOf(second)).filter((p) => p.id === lost.id);
    expect(after!.acknowledgedAt).toBeGreaterThan(0);
    expect(after!.resolvedAt).toBeGreaterThanOrEqual(after!.acknowledgedAt!);
    expect(second.relay.status().shards[0]!.state).toBe('streaming');

    // And so after yet another restart: the resolution was written down too.
    await second.close();
    running.splice(running.indexOf(second), 1);
    const third = await relay({ DATA_DIR: dataDir, LIVESTREAM_MAX_CONNECTIONS: '1' }, false);
    const kept = (await problemsOf(third)).find((p) => p.id === lost.id);
    expect(kept).toMatchObject({ resolvedAt: after!.resolvedAt, acknowledgedAt: after!.acknowledgedAt });
  });
});
