import type { SimulatorOptions } from './server.ts';

/** The simulator's options as the environment sets them. */
export type SimulatorEnvOptions = SimulatorOptions;

const FLAGS: Readonly<Record<string, boolean>> = { '1': true, true: true, '0': false, false: false };

export type EnvCheck = { ok: true; options: SimulatorEnvOptions } | { ok: false; message: string };

/**
 * The standalone simulator's settings from the environment: `SIM_HOST` (default 127.0.0.1),
 * `SIM_PORT` (8081), `SIM_REDIRECT_PORT` (8082), `SIM_RATE` (hits/s, 300), `SIM_CHURN_WINDOW_S`
 * (60), `SIM_STREAM` (demo), `SIM_CLIENT_ID`, `SIM_CLIENT_SECRET`, `SIM_SEED`; the records:
 * `SIM_DEVICE_FIELDS` (`mobile`, Livestream's default since April 2026, or `userAgent`, the older
 * form), `SIM_A4T` (`1`/`true`: an A4T report suite, hits about 10 minutes behind); quiet nights:
 * `SIM_QUIET_S` (seconds without any hit), `SIM_QUIET_EVERY_S` (repeat: the last `SIM_QUIET_S` of
 * every period; unset: once, from the start), `SIM_QUIET_KEEPALIVE_S` (an empty gzip flush that
 * often meanwhile; unset: not one byte); the latest API: `SIM_REQUIRE_ENABLE` (`1`/`true`: 424 on
 * `/api/2/stream` until the enable call), `SIM_ENABLE_DELAY_S` (how long that call takes to take
 * effect, 0). A bad value gives one line naming the variable.
 */
export function readSimulatorEnv(env: Record<string, string | undefined>): EnvCheck {
  const options: SimulatorEnvOptions = {};
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

  const deviceFields = value('SIM_DEVICE_FIELDS');
  if (deviceFields !== undefined && deviceFields !== 'mobile' && deviceFields !== 'userAgent')
    return fail('SIM_DEVICE_FIELDS', 'mobile or userAgent');
  const a4tText = value('SIM_A4T')?.toLowerCase();
  const a4t = a4tText !== undefined && Object.hasOwn(FLAGS, a4tText) ? FLAGS[a4tText] : undefined;
  if (a4tText !== undefined && a4t === undefined) return fail('SIM_A4T', '1, true, 0 or false');
  if (deviceFields !== undefined || a4t !== undefined) {
    options.records = {
      ...(deviceFields !== undefined ? { deviceFields } : {}),
      ...(a4t !== undefined ? { a4t } : {}),
    };
  }

  const requireText = value('SIM_REQUIRE_ENABLE')?.toLowerCase();
  const requireEnable = requireText !== undefined && Object.hasOwn(FLAGS, requireText) ? FLAGS[requireText] : undefined;
  if (requireText !== undefined && requireEnable === undefined)
    return fail('SIM_REQUIRE_ENABLE', '1, true, 0 or false');
  if (requireEnable !== undefined) options.requireEnable = requireEnable;
  const enableDelay = decimal('SIM_ENABLE_DELAY_S', 86_400, 0);
  if (enableDelay === undefined) return fail('SIM_ENABLE_DELAY_S', 'seconds, a number from 0 to 86400');
  if (value('SIM_ENABLE_DELAY_S') !== undefined) options.enableDelayS = enableDelay;

  const quietS = decimal('SIM_QUIET_S', 7 * 86_400, 0);
  if (quietS === undefined) return fail('SIM_QUIET_S', 'seconds, a number from 0 to 604800');
  const everyRaw = value('SIM_QUIET_EVERY_S');
  const everyS = decimal('SIM_QUIET_EVERY_S', 30 * 86_400, 0);
  if (everyS === undefined || (everyRaw !== undefined && !(everyS > quietS)))
    return fail('SIM_QUIET_EVERY_S', `seconds, longer than SIM_QUIET_S (${quietS}), at most 2592000`);
  const keepAliveRaw = value('SIM_QUIET_KEEPALIVE_S');
  const keepAliveS = decimal('SIM_QUIET_KEEPALIVE_S', 3_600, 0);
  if (keepAliveS === undefined || (keepAliveRaw !== undefined && keepAliveS < 0.05))
    return fail('SIM_QUIET_KEEPALIVE_S', 'seconds, a number from 0.05 to 3600');
  if (quietS > 0) {
    options.quiet = {
      seconds: quietS,
      ...(everyRaw !== undefined ? { everyS } : {}),
      ...(keepAliveRaw !== undefined ? { keepAliveEveryS: keepAliveS } : {}),
    };
  } else if (everyRaw !== undefined || keepAliveRaw !== undefined) {
    return fail('SIM_QUIET_S', 'seconds above 0 when SIM_QUIET_EVERY_S or SIM_QUIET_KEEPALIVE_S is set');
  }
  return { ok: true, options };
}
