import { describe, expect, it } from 'vitest';
import { readSimulatorEnv } from './simulator-env.ts';

describe('readSimulatorEnv', () => {
  it('has defaults', () => {
    expect(readSimulatorEnv({})).toEqual({
      ok: true,
      options: { host: '127.0.0.1', port: 8081, redirectPort: 8082, rate: 300, churnWindowS: 60, streamName: 'demo' },
    });
  });

  it('reads every variable', () => {
    const result = readSimulatorEnv({
      SIM_HOST: '0.0.0.0',
      SIM_PORT: '9000',
      SIM_REDIRECT_PORT: '9001',
      SIM_RATE: '12.5',
      SIM_CHURN_WINDOW_S: '5',
      SIM_STREAM: 'prod-stream',
      SIM_CLIENT_ID: 'abc',
      SIM_CLIENT_SECRET: 'shh',
      SIM_SEED: '42',
    });
    expect(result).toEqual({
      ok: true,
      options: {
        host: '0.0.0.0',
        port: 9000,
        redirectPort: 9001,
        rate: 12.5,
        churnWindowS: 5,
        streamName: 'prod-stream',
        clientId: 'abc',
        clientSecret: 'shh',
        seed: 42,
      },
    });
  });

  it.each([
    ['SIM_PORT', 'abc'],
    ['SIM_PORT', '70000'],
    ['SIM_REDIRECT_PORT', '-1'],
    ['SIM_RATE', 'fast'],
    ['SIM_CHURN_WINDOW_S', '1e3'],
    ['SIM_STREAM', 'a/b'],
    ['SIM_CLIENT_ID', 'has space'],
    ['SIM_SEED', '1.5'],
  ])('names %s when it is %s', (name, value) => {
    const result = readSimulatorEnv({ [name]: value });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(
      new RegExp(`^${name}: expected .+, got "${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"$`),
    );
  });

  it('reads the records’ style and quiet nights', () => {
    expect(
      readSimulatorEnv({
        SIM_DEVICE_FIELDS: 'userAgent',
        SIM_A4T: 'true',
        SIM_QUIET_S: '600',
        SIM_QUIET_EVERY_S: '3600',
        SIM_QUIET_KEEPALIVE_S: '30',
      }),
    ).toMatchObject({
      ok: true,
      options: {
        records: { deviceFields: 'userAgent', a4t: true },
        quiet: { seconds: 600, everyS: 3600, keepAliveEveryS: 30 },
      },
    });
    expect(readSimulatorEnv({ SIM_A4T: '0', SIM_QUIET_S: '90' })).toMatchObject({
      ok: true,
      options: { records: { a4t: false }, quiet: { seconds: 90 } },
    });
    const once = readSimulatorEnv({ SIM_QUIET_S: '90' });
    expect(once.ok && once.options.quiet).toEqual({ seconds: 90 });
    expect(once.ok && once.options.records).toBeUndefined();
  });

  it.each([
    ['SIM_DEVICE_FIELDS', 'desktop', {}],
    ['SIM_A4T', 'yes', {}],
    ['SIM_A4T', 'constructor', {}],
    ['SIM_QUIET_S', '-5', {}],
    ['SIM_QUIET_EVERY_S', '60', { SIM_QUIET_S: '600' }],
    ['SIM_QUIET_KEEPALIVE_S', '0.01', { SIM_QUIET_S: '600' }],
    ['SIM_QUIET_S', undefined, { SIM_QUIET_KEEPALIVE_S: '5' }],
    ['SIM_REQUIRE_ENABLE', 'maybe', {}],
    ['SIM_ENABLE_DELAY_S', '-1', {}],
  ])('names %s when it is %s', (name, value, others) => {
    const result = readSimulatorEnv({ ...others, [name]: value });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(new RegExp(`^${name}: expected `));
  });

  it('reads the enable rule of the latest API', () => {
    expect(readSimulatorEnv({ SIM_REQUIRE_ENABLE: '1', SIM_ENABLE_DELAY_S: '900' })).toMatchObject({
      ok: true,
      options: { requireEnable: true, enableDelayS: 900 },
    });
    const none = readSimulatorEnv({});
    expect(none.ok && none.options.requireEnable).toBeUndefined();
  });

  it('refuses the same port twice', () => {
    expect(readSimulatorEnv({ SIM_PORT: '9000', SIM_REDIRECT_PORT: '9000' })).toMatchObject({ ok: false });
  });
});
