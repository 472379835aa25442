import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Problem, Shard } from '../contract/index.ts';
import {
  startHostileUpstream,
  type HostileUpstream,
  type StreamModeName,
  type TokenModeName,
} from './testing/hostile-upstream.ts';
import { startTestRelay, type TestRelay } from './testing/relay-harness.ts';

/**
 * The relay against a hostile upstream and token endpoint, over real sockets: it never crashes,
 * never churns, never sends credentials where they do not belong, and says what happened.
 */

let upstream: HostileUpstream | undefined;
let relay: TestRelay | undefined;
afterEach(async () => {
  await relay?.close();
  await upstream?.close();
  relay = undefined;
  upstream = undefined;
});

async function start(
  streamModes: StreamModeName[],
  env: Record<string, string> = {},
  tokenModes: TokenModeName[] = ['ok'],
): Promise<{ relay: TestRelay; upstream: HostileUpstream }> {
  upstream = await startHostileUpstream(streamModes, tokenModes);
  relay = await startTestRelay({
    LIVESTREAM_URL: upstream.streamUrl,
    ADOBE_CLIENT_ID: 'hostile-client',
    ADOBE_CLIENT_SECRET: 'hostile-secret',
    ADOBE_IMS_TOKEN_URL: upstream.tokenUrl,
    ...env,
  });
  return { relay, upstream };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

async function shard(r: TestRelay): Promise<Shard> {
  const status = (await (await fetch(`${r.url}/api/status`)).json()) as { shards: Shard[] };
  return status.shards[0]!;
}

async function problems(r: TestRelay): Promise<Problem[]> {
  return ((await (await fetch(`${r.url}/api/problems`)).json()) as { problems: Problem[] }).problems;
}

describe('relay against a hostile upstream', () => {
  it.each([
    ['redirect-unparseable', /cannot be parsed/],
    ['redirect-file', /"file:"/],
    ['redirect-ftp', /"ftp:"/],
    ['redirect-other-host', /localhost/],
  ] as const)('%s: untrusted_redirect, failed, never followed nor retried', async (mode, reason) => {
    const { relay: r, upstream: u } = await start([mode]);
    const failed = await until(async () => {
      const s = await shard(r);
      return s.state === 'failed' ? s : undefined;
    });
    expect(failed.problem).toMatchObject({
      code: 'untrusted_redirect',
      action: 'configuration',
      details: expect.stringMatching(reason),
    });
    await sleep(1_500);
    // One request, the one that was redirected: the credentials went nowhere else.
    expect(u.streams).toHaveLength(1);
    expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
  });

  it('caps a huge Retry-After: a few attempts, not a storm', async () => {
    const { relay: r, upstream: u } = await start(['retry-after-huge', 'retry-after-far-date', 'healthy'], {
      RECONNECT_COOLDOWN_S: '1',
      RECONNECT_MAX_WAIT_S: '1',
    });
    await sleep(3_500);
    expect(u.streams.length).toBeGreaterThanOrEqual(3);
    expect(u.streams.length).toBeLessThanOrEqual(4);
    const gaps = u.streams.slice(1).map((s, i) => s.at - u.streams[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(950);
    const refused = (await problems(r)).filter((p) => p.code === 'service_unavailable');
    expect(refused[0]).toMatchObject({
      retryAfter: 1,
      details: expect.stringContaining('capped at RECONNECT_MAX_WAIT_S=1 s'),
    });
  });

  it('keeps a quiet stream whose only bytes are gzip flushes (the stall clock counts bytes on the socket)', async () => {
    const { relay: r, upstream: u } = await start(['gzip-keepalive'], { STALL_TIMEOUT_S: '1' });
    await until(async () => ((await shard(r)).hits === 1 ? true : undefined));
    await sleep(2_500);
    expect(u.streams).toHaveLength(1);
    expect((await shard(r)).state).toBe('streaming');
  });

  it('sends reset with the first attempt only: a reconnect resumes', async () => {
    const { upstream: u } = await start(['ends', 'healthy'], { LIVESTREAM_RESET: 'smallest' });
    await until(() => (u.streams.length >= 2 ? true : undefined));
    expect(u.streams[0]!.path).toContain('reset=smallest');
    expect(u.streams[1]!.path).not.toContain('reset');
  });

  it('garbage from the token endpoint is a token Problem that says what came, and a wait, never a leak', async () => {
    const { relay: r } = await start(['healthy'], {}, ['no-access-token', 'ok']);
    const waiting = await until(async () => {
      const s = await shard(r);
      return s.state === 'waiting' ? s : undefined;
    });
    expect(waiting.problem).toMatchObject({ source: 'token', code: 'access_token_unavailable', status: 502 });
    const text = JSON.stringify(await problems(r));
    expect(text).not.toContain('leaky-token-value');
    expect(text).not.toContain('hostile-secret');
    await until(async () => ((await shard(r)).state === 'streaming' ? true : undefined));
  });
});

describe('relay on a hostile disk', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  function dataDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'lsm-hostile-'));
    dirs.push(dir);
    return dir;
  }

  it('goes on streaming when its state file becomes a folder, says so once, and leaves no temporary file', async () => {
    const dir = dataDir();
    const { relay: r, upstream: u } = await start(['healthy'], { DATA_DIR: dir });
    await until(async () => ((await shard(r)).state === 'streaming' ? true : undefined));
    rmSync(join(dir, 'shards.json'));
    mkdirSync(join(dir, 'shards.json', 'x'), { recursive: true });
    // A loss is written at once, then the attempt after the cooldown: two failed writes at least.
    u.dropAll();
    await until(() => (u.streams.length >= 2 ? true : undefined));
    await until(async () => ((await shard(r)).state === 'streaming' ? true : undefined));
    const notPersisted = await until(async () => {
      const list = (await problems(r)).filter((p) => p.code === 'state_not_persisted');
      return list.length ? list : undefined;
    }, 10_000);
    expect(notPersisted).toHaveLength(1);
    expect(notPersisted[0]).toMatchObject({ source: 'relay', action: 'configuration' });
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
  });

  it('assumes the worst about a state file it cannot read: state_unreadable, and the full cooldown from its last change', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'shards.json'), '{"version":1,"shards":{"0":{"lastLos');
    const changed = Date.now();
    utimesSync(join(dir, 'shards.json'), changed / 1000, changed / 1000);
    const { relay: r, upstream: u } = await start(['healthy'], { DATA_DIR: dir, RECONNECT_COOLDOWN_S: '2' });
    const first = await until(() => u.streams[0]);
    expect(first.at - changed).toBeGreaterThanOrEqual(1_900);
    expect((await problems(r)).map((p) => p.code)).toContain('state_unreadable');
  });
});
