import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, publicUrl, streamUrl } from './config.ts';

function error(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('configuration', () => {
  it('has the contract defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      maxConnections: 1,
      cooldownS: 60,
      dataDir: './.data',
      redactFields: ['ip'],
      feedMaxHitsPerS: 1000,
      imsTokenUrl: 'https://ims-na1.adobelogin.com/ims/token/v3',
    });
    expect(config.stallTimeoutS).toBeGreaterThanOrEqual(60);
    expect(config.livestreamUrl).toBeUndefined();
  });

  it.each([
    [{ LIVESTREAM_MAX_CONNECTIONS: '9' }, /^LIVESTREAM_MAX_CONNECTIONS: must be an integer from 1 to 8 \(got "9"\)$/],
    [{ LIVESTREAM_MAX_CONNECTIONS: '0' }, /^LIVESTREAM_MAX_CONNECTIONS: /],
    [{ LIVESTREAM_URL: 'not a url' }, /^LIVESTREAM_URL: must be an absolute http\(s\) URL/],
    [{ LIVESTREAM_URL: 'ftp://x/y' }, /^LIVESTREAM_URL: /],
    [{ LIVESTREAM_RESET: 'middle' }, /^LIVESTREAM_RESET: must be "smallest" or "largest"/],
    [{ LIVESTREAM_SMOOTHING: 'maybe' }, /^LIVESTREAM_SMOOTHING: /],
    [{ LIVESTREAM_SMOOTHING_BUCKET_SIZE: '7201' }, /^LIVESTREAM_SMOOTHING_BUCKET_SIZE: /],
    [{ RECONNECT_COOLDOWN_S: '0.5' }, /^RECONNECT_COOLDOWN_S: must be a number ≥ 1/],
    [{ STALL_TIMEOUT_S: 'soon' }, /^STALL_TIMEOUT_S: /],
    [{ PORT: '70000' }, /^PORT: /],
    [{ LIVESTREAM_URL: 'https://livestream.adobe.net/api/1/stream/x' }, /^ADOBE_CLIENT_ID: /],
    [
      { LIVESTREAM_URL: 'https://livestream.adobe.net/api/1/stream/x', ADOBE_CLIENT_ID: 'id' },
      /^ADOBE_CLIENT_SECRET: /,
    ],
    [{ HOST: '192.168.1.10' }, /^DASHBOARD_PASSWORD: /],
    [{ REDACT_FIELDS: 'ip, bad field' }, /^REDACT_FIELDS: /],
    [{ RECONNECT_MAX_WAIT_S: 'forever' }, /^RECONNECT_MAX_WAIT_S: must be a number ≥ 1/],
    [{ LIVESTREAM_REDIRECT_HOSTS: 'ok.example.com, http://bad/' }, /^LIVESTREAM_REDIRECT_HOSTS: /],
    [{ TRUST_PROXY: '10.0.0.0/99' }, /^TRUST_PROXY: /],
    [{ TRUST_PROXY: 'proxy.example.com' }, /^TRUST_PROXY: /],
    [
      {
        LIVESTREAM_URL: 'https://livestream.adobe.net/api/2/stream/x',
        ADOBE_CLIENT_ID: 'id',
        ADOBE_CLIENT_SECRET: 'secret',
      },
      /^ADOBE_SCOPES: must be set with ADOBE_CLIENT_ID and ADOBE_CLIENT_SECRET .*Developer Console project.*OAuth Server-to-Server credential$/,
    ],
    [{ ADOBE_CLIENT_ID: 'id', ADOBE_CLIENT_SECRET: 'secret', ADOBE_SCOPES: ' ' }, /^ADOBE_SCOPES: must be set/],
    [
      { ADOBE_CLIENT_ID: 'id', ADOBE_CLIENT_SECRET: 'secret', ADOBE_SCOPES: 'openid,"AdobeID"' },
      /^ADOBE_SCOPES: must be a comma-separated list of scope names/,
    ],
    [{ SIM_REQUIRE_ENABLE: 'maybe' }, /^SIM_REQUIRE_ENABLE: expected 1, true, 0 or false/],
    [{ SIM_DEVICE_FIELDS: 'palm' }, /^SIM_DEVICE_FIELDS: expected mobile or userAgent/],
    [{ SIM_ENABLE_DELAY_S: '-1' }, /^SIM_ENABLE_DELAY_S: /],
  ])('refuses %j with one line naming the variable', (env, pattern) => {
    const message = error(env);
    expect(message).toMatch(pattern);
    expect(message).not.toContain('\n');
  });

  it('never echoes a secret in its message', () => {
    expect(error({ ADOBE_CLIENT_SECRET: 'x', HOST: '10.0.0.1' })).not.toContain('"x"');
  });

  it('accepts a short cooldown and builds the stream URL with its parameters', () => {
    const config = loadConfig({
      RECONNECT_COOLDOWN_S: '5',
      LIVESTREAM_URL: 'https://livestream.adobe.net/api/1/stream/shop',
      ADOBE_CLIENT_ID: 'id',
      ADOBE_ACCESS_TOKEN: 'tok-123456',
      LIVESTREAM_MAX_CONNECTIONS: '4',
      LIVESTREAM_RESET: 'largest',
      LIVESTREAM_SMOOTHING: 'true',
      LIVESTREAM_SMOOTHING_BUCKET_SIZE: '60',
      REDACT_FIELDS: 'ip,geoCity',
    });
    expect(config.cooldownS).toBe(5);
    expect(config.secrets).toContain('tok-123456');
    expect(streamUrl(config)).toBe(
      'https://livestream.adobe.net/api/1/stream/shop?maxConnections=4&reset=largest&smoothing=1&smoothingBucketSize=60',
    );
    expect(
      streamUrl({
        ...config,
        maxConnections: 1,
        reset: undefined,
        smoothing: undefined,
        smoothingBucketSize: undefined,
      }),
    ).toBe('https://livestream.adobe.net/api/1/stream/shop');
    expect(config.redactFields).toEqual(['ip', 'geoCity']);
  });

  it('needs ADOBE_SCOPES for the client-credentials grant, and sends them comma-separated', () => {
    const config = loadConfig({
      LIVESTREAM_URL: 'https://livestream.adobe.net/api/2/stream/shop',
      ADOBE_CLIENT_ID: 'id',
      ADOBE_CLIENT_SECRET: 'secret',
      ADOBE_SCOPES: ' openid, AdobeID  additional_info.projectedProductContext ',
    });
    expect(config.scopes).toBe('openid,AdobeID,additional_info.projectedProductContext');
    // A static token needs no grant, so no scopes.
    expect(
      loadConfig({ ADOBE_CLIENT_ID: 'id', ADOBE_CLIENT_SECRET: 'secret', ADOBE_ACCESS_TOKEN: 'tok-123456' }).scopes,
    ).toBeUndefined();
  });

  it('takes a static ADOBE_ACCESS_TOKEN without a client id (no x-api-key is then sent)', () => {
    const config = loadConfig({
      LIVESTREAM_URL: 'https://livestream.adobe.net/api/2/stream/shop',
      ADOBE_ACCESS_TOKEN: 'tok-123456',
    });
    expect(config.clientId).toBeUndefined();
    expect(config.accessToken).toBe('tok-123456');
    expect(config.secrets).toContain('tok-123456');
  });

  it.each([
    [
      'https://livestream.adobe.net/api/2/stream/shop',
      'https://livestream.adobe.net/api/2/stream/shop?maxConnections=2&reset=smallest&smoothing=1',
    ],
    [
      'https://livestream.adobe.net/api/1/stream/shop?beta=true',
      'https://livestream.adobe.net/api/1/stream/shop?beta=true&maxConnections=2&reset=smallest&smoothing=1',
    ],
  ])('reads %s as LIVESTREAM_URL and keeps what it carries (beta=true) when adding parameters', (url, expected) => {
    const config = loadConfig({
      LIVESTREAM_URL: url,
      ADOBE_ACCESS_TOKEN: 'tok-123456',
      LIVESTREAM_MAX_CONNECTIONS: '2',
      LIVESTREAM_RESET: 'smallest',
      LIVESTREAM_SMOOTHING: '1',
    });
    expect(streamUrl(config)).toBe(expected);
    expect(streamUrl({ ...config, maxConnections: 1, reset: undefined, smoothing: undefined })).toBe(url);
  });

  it("reads the embedded simulator's enable rule", () => {
    expect(loadConfig({}).simulator).toMatchObject({ requireEnable: false });
    expect(loadConfig({}).simulator.enableDelayS).toBeUndefined();
    expect(loadConfig({ SIM_REQUIRE_ENABLE: 'true', SIM_ENABLE_DELAY_S: '2.5' }).simulator).toMatchObject({
      requireEnable: true,
      enableDelayS: 2.5,
    });
    expect(loadConfig({ SIM_REQUIRE_ENABLE: '0' }).simulator.requireEnable).toBe(false);
  });

  it("reads the embedded simulator's record style and quiet nights as the standalone simulator does", () => {
    expect(loadConfig({}).simulator.records).toBeUndefined();
    expect(loadConfig({ SIM_DEVICE_FIELDS: 'userAgent', SIM_A4T: '1' }).simulator.records).toEqual({
      deviceFields: 'userAgent',
      a4t: true,
    });
    expect(loadConfig({ SIM_QUIET_S: '600', SIM_QUIET_EVERY_S: '3600' }).simulator.quiet).toEqual({
      seconds: 600,
      everyS: 3600,
    });
  });

  it('reads the wait cap, the redirect hosts and the trusted proxies', () => {
    expect(loadConfig({})).toMatchObject({ maxWaitS: 3600, redirectHosts: [], trustProxy: false });
    const config = loadConfig({
      RECONNECT_COOLDOWN_S: '120',
      RECONNECT_MAX_WAIT_S: '30',
      LIVESTREAM_REDIRECT_HOSTS: ' Edge.Example.com,*.cdn.example.net ',
      TRUST_PROXY: '127.0.0.1, 10.0.0.0/8',
    });
    // A wait is never shorter than the cooldown, whatever the cap says.
    expect(config.maxWaitS).toBe(120);
    expect(config.redirectHosts).toEqual(['edge.example.com', '*.cdn.example.net']);
    expect(config.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });

  it('reads the alert destinations and rule settings, never echoing a webhook URL or an Alertmanager password', () => {
    const defaults = loadConfig({}).alerts;
    expect(defaults).toEqual({
      webhookUrls: [],
      rules: { downAfterS: 120, lagP95S: 300, lagForS: 300, trafficDropRatio: 0.3, trafficWindowS: 300 },
    });
    const hook = 'https://hooks.slack.example/services/T1/B2/secret-hook-token';
    const config = loadConfig({
      ALERT_WEBHOOK_URLS: ` ${hook} , http://127.0.0.1:9000/hook `,
      ALERTMANAGER_URL: 'http://am:am-password-42@127.0.0.1:9093',
      ALERT_DOWN_AFTER_S: '30',
      ALERT_TRAFFIC_DROP_RATIO: '0.5',
    });
    expect(config.alerts).toMatchObject({
      webhookUrls: [hook, 'http://127.0.0.1:9000/hook'],
      alertmanagerUrl: 'http://am:am-password-42@127.0.0.1:9093',
      rules: { downAfterS: 30, trafficDropRatio: 0.5 },
    });
    // Scrubbed from every text the relay sends.
    expect(config.secrets).toEqual(expect.arrayContaining([hook, 'am-password-42']));
    const bad = error({ ALERT_WEBHOOK_URLS: `${hook},ftp://files.example/x-secret` });
    expect(bad).toMatch(/^ALERT_WEBHOOK_URLS: must be a comma-separated list of absolute http\(s\) URLs$/);
    expect(error({ ALERTMANAGER_URL: 'am:secret@nowhere' })).not.toContain('secret');
    expect(error({ ALERT_TRAFFIC_DROP_RATIO: '1.5' })).toMatch(
      /^ALERT_TRAFFIC_DROP_RATIO: must be a number between 0 and 1/,
    );
    expect(error({ ALERT_TRAFFIC_WINDOW_S: '10' })).toMatch(
      /^ALERT_TRAFFIC_WINDOW_S: must be an integer from 60 to 1800/,
    );
  });

  it('reads REDIS_URL and PUBLISH_STREAM_KEY (CONTRACT §6), keeps the Redis password secret, and rejects what is not a Redis URL', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    const config = loadConfig({ REDIS_URL: 'redis://:redis-pass-77@127.0.0.1:6379/2' });
    expect(config.redis).toEqual({
      url: 'redis://:redis-pass-77@127.0.0.1:6379/2',
      streamKey: 'livestream:hits',
      leaseTtlMs: 10_000,
    });
    expect(config.secrets).toContain('redis-pass-77');
    expect(
      loadConfig({ REDIS_URL: 'rediss://cache.internal', PUBLISH_STREAM_KEY: 'rs1:hits', REDIS_LEASE_TTL_S: '3' })
        .redis,
    ).toEqual({
      url: 'rediss://cache.internal',
      streamKey: 'rs1:hits',
      leaseTtlMs: 3000,
    });
    expect(error({ REDIS_URL: 'http://127.0.0.1:6379' })).toMatch(
      /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/,
    );
    expect(error({ REDIS_URL: 'redis://:pw-secret-9@' })).not.toContain('pw-secret-9');
    expect(error({ REDIS_URL: 'redis://x', PUBLISH_STREAM_KEY: 'with space' })).toMatch(/^PUBLISH_STREAM_KEY: /);
  });

  it('shows URLs without credentials', () => {
    expect(publicUrl('https://user:pw@host/api/1/stream/x?access_token=abc&maxConnections=2')).toBe(
      'https://host/api/1/stream/x?access_token=****&maxConnections=2',
    );
  });
});

/**
 * Starts the relay's process (`main.ts`) with `env(origin)`, where `origin` is a server that
 * records every request, and waits for it to exit.
 */
async function startUp(env: (origin: string) => Record<string, string>) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DASHBOARD_PASSWORD: '', ...env(origin) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout, stderr, requests };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('start-up with a bad configuration', () => {
  it('stops with one line naming ADOBE_SCOPES, exit 1, before any network request', async () => {
    const { code, stdout, stderr, requests } = await startUp((origin) => ({
      LIVESTREAM_URL: `${origin}/api/2/stream/shop`,
      ADOBE_CLIENT_ID: 'id',
      ADOBE_CLIENT_SECRET: 'the-secret',
      ADOBE_SCOPES: '',
      ADOBE_ACCESS_TOKEN: '',
      ADOBE_IMS_TOKEN_URL: `${origin}/ims/token/v3`,
    }));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^livestream-monitor: configuration error: ADOBE_SCOPES: must be set .*OAuth Server-to-Server credential$/,
    );
    expect(stderr).not.toContain('the-secret');
    expect(requests).toEqual([]);
  });

  it('with REDIS_URL out of reach: one line naming REDIS_URL (its password masked), exit 1, no upstream request', async () => {
    // A port nobody listens on.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const redisPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { code, stdout, stderr, requests } = await startUp((origin) => ({
      LIVESTREAM_URL: `${origin}/api/1/stream/shop`,
      ADOBE_ACCESS_TOKEN: 'static-token-123',
      REDIS_URL: `redis://:redis-secret-5@127.0.0.1:${redisPort}`,
      LOG_FORMAT: 'json',
    }));
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^livestream-monitor: cannot start: REDIS_URL: .*\\(redis://:\\*\\*\\*\\*@127\\.0\\.0\\.1:${redisPort}\\)$`,
      ),
    );
    expect(stderr + stdout).not.toContain('redis-secret-5');
    expect(requests).toEqual([]);
  }, 30_000);
});
