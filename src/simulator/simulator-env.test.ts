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

  it('refuses the same port twice', () => {
    expect(readSimulatorEnv({ SIM_PORT: '9000', SIM_REDIRECT_PORT: '9000' })).toMatchObject({ ok: false });
  });
});
