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

  it('shows URLs without credentials', () => {
    expect(publicUrl('https://user:pw@host/api/1/stream/x?access_token=abc&maxConnections=2')).toBe(
      'https://host/api/1/stream/x?access_token=****&maxConnections=2',
    );
  });
});
