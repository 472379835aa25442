import type { SimulatorOptions } from './server.ts';

export type EnvCheck = { ok: true; options: SimulatorOptions } | { ok: false; message: string };

/**
 * The standalone simulator's settings from the environment: `SIM_HOST` (default 127.0.0.1),
 * `SIM_PORT` (8081), `SIM_REDIRECT_PORT` (8082), `SIM_RATE` (hits/s, 300), `SIM_CHURN_WINDOW_S`
 * (60), `SIM_STREAM` (demo), `SIM_CLIENT_ID`, `SIM_CLIENT_SECRET`, `SIM_SEED`. A bad value gives
 * one line naming the variable.
 */
export function readSimulatorEnv(env: Record<string, string | undefined>): EnvCheck {
  const options: SimulatorOptions = {};
  const value = (name: string) => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };
  const fail = (name: string, expected: string): EnvCheck => ({
    ok: false,
    message: `${name}: expected ${expected}, got ${JSON.stringify(env[name])}`,
  });
  const integer = (name: string, min: number, max: number, fallback: number): number | undefined => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= min && n <= max ? n : undefined;
  };
  const decimal = (name: string, max: number, fallback: number): number | undefined => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if (!/^\d+(\.\d+)?$/.test(raw)) return undefined;
    const n = Number(raw);
    return n <= max ? n : undefined;
  };

  options.host = value('SIM_HOST') ?? '127.0.0.1';
  if (/\s|\//.test(options.host)) return fail('SIM_HOST', 'a host name or IP address');
  const port = integer('SIM_PORT', 0, 65_535, 8081);
  if (port === undefined) return fail('SIM_PORT', 'a port number from 0 to 65535');
  options.port = port;
  const redirectPort = integer('SIM_REDIRECT_PORT', 0, 65_535, 8082);
  if (redirectPort === undefined) return fail('SIM_REDIRECT_PORT', 'a port number from 0 to 65535');
  if (redirectPort !== 0 && redirectPort === port)
    return fail('SIM_REDIRECT_PORT', `a port other than SIM_PORT (${port})`);
  options.redirectPort = redirectPort;
  const rate = decimal('SIM_RATE', 100_000, 300);
  if (rate === undefined) return fail('SIM_RATE', 'hits per second, a number from 0 to 100000');
  options.rate = rate;
  const churn = decimal('SIM_CHURN_WINDOW_S', 86_400, 60);
  if (churn === undefined) return fail('SIM_CHURN_WINDOW_S', 'seconds, a number from 0 to 86400');
  options.churnWindowS = churn;
  const stream = value('SIM_STREAM') ?? 'demo';
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(stream)) return fail('SIM_STREAM', 'a stream name of letters, digits, . _ -');
  options.streamName = stream;
  const clientId = value('SIM_CLIENT_ID');
  if (clientId !== undefined) {
    if (/[\s"'\\]/.test(clientId)) return fail('SIM_CLIENT_ID', 'a client id without spaces or quotes');
    options.clientId = clientId;
  }
  const secret = value('SIM_CLIENT_SECRET');
  if (secret !== undefined) {
    if (/[\s"'\\]/.test(secret)) return fail('SIM_CLIENT_SECRET', 'a secret without spaces or quotes');
    options.clientSecret = secret;
  }
  const seed = integer('SIM_SEED', 0, 2 ** 32 - 1, -1);
  if (seed === undefined) return fail('SIM_SEED', 'an integer from 0 to 4294967295');
  if (seed >= 0) options.seed = seed;
  return { ok: true, options };
}
