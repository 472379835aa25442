import { isIP } from 'node:net';
import { z } from 'zod';
import { LOG_FORMATS, type LogFormat } from './logger.ts';
import { DEFAULT_ALERT_RULES, type AlertRuleSettings } from '../core/alerts/rules.ts';
import type { SimulatorOptions } from '../simulator/server.ts';
import { readSimulatorEnv } from '../simulator/simulator-env.ts';

/**
 * The relay's configuration (docs/api.md, "Configuration" and "Rules"), read from the environment and validated once at
 * start. A bad value stops start-up with one line naming the variable, before any network
 * request (the token endpoint included).
 */

export const DEFAULT_IMS_TOKEN_URL = 'https://ims-na1.adobelogin.com/ims/token/v3';
/** Adobe asks for about 60 s between a lost connection and the next attempt. */
export const ADOBE_ADVISED_COOLDOWN_S = 60;
/** Our default: no byte at all for this long means the connection is lost (Adobe's sample reads with 60 s). */
export const DEFAULT_STALL_TIMEOUT_S = 90;
/** No wait is ever longer (a huge Retry-After, the 409 growth). */
export const DEFAULT_MAX_WAIT_S = 3600;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

function integer(min: number, max: number) {
  const message = `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ message }).int({ message }).min(min, { message }).max(max, { message });
}

function intIn(min: number, max: number, fallback: number) {
  return z.preprocess(blankToUndefined, integer(min, max).default(fallback));
}

function optionalIntIn(min: number, max: number) {
  return z.preprocess(blankToUndefined, integer(min, max).optional());
}

function numberAtLeast(min: number, fallback: number) {
  return z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: `must be a number ≥ ${min}` })
      .refine((n) => Number.isFinite(n) && n >= min, { message: `must be a number ≥ ${min}` })
      .default(fallback),
  );
}

/** An optional absolute URL of one of `protocols` (with a host), or one line saying what it must be. */
function urlOf(variable: string, protocols: readonly string[], message: string) {
  return z
    .preprocess(
      blankToUndefined,
      z
        .string()
        .refine(
          (value) => {
            try {
              const url = new URL(value);
              return protocols.includes(url.protocol) && url.hostname !== '';
            } catch {
              return false;
            }
          },
          { message },
        )
        .optional(),
    )
    .describe(variable);
}

function httpUrl(variable: string) {
  return urlOf(variable, ['http:', 'https:'], 'must be an absolute http(s) URL');
}

const optionalText = z.preprocess(blankToUndefined, z.string().optional());

const EnvSchema = z.object({
  PORT: intIn(0, 65535, 8080),
  HOST: z.preprocess(blankToUndefined, z.string().default('127.0.0.1')),
  LIVESTREAM_URL: httpUrl('LIVESTREAM_URL'),
  LIVESTREAM_MAX_CONNECTIONS: intIn(1, 8, 1),
  LIVESTREAM_RESET: z.preprocess(
    blankToUndefined,
    z.enum(['smallest', 'largest'], { message: 'must be "smallest" or "largest"' }).optional(),
  ),
  LIVESTREAM_SMOOTHING: z.preprocess(
    (value) => {
      const v = blankToUndefined(value);
      if (v === 'true') return '1';
      if (v === 'false') return '0';
      return v;
    },
    z.enum(['0', '1'], { message: 'must be 0 or 1 (or true/false)' }).optional(),
  ),
  LIVESTREAM_SMOOTHING_BUCKET_SIZE: optionalIntIn(1, 7200),
  ADOBE_CLIENT_ID: optionalText,
  ADOBE_CLIENT_SECRET: optionalText,
  ADOBE_SCOPES: optionalText,
  ADOBE_IMS_TOKEN_URL: httpUrl('ADOBE_IMS_TOKEN_URL'),
  ADOBE_ACCESS_TOKEN: optionalText,
  RECONNECT_COOLDOWN_S: numberAtLeast(1, ADOBE_ADVISED_COOLDOWN_S),
  STALL_TIMEOUT_S: numberAtLeast(1, DEFAULT_STALL_TIMEOUT_S),
  RECONNECT_MAX_WAIT_S: numberAtLeast(1, DEFAULT_MAX_WAIT_S),
  LIVESTREAM_REDIRECT_HOSTS: optionalText,
  TRUST_PROXY: optionalText,
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./.data')),
  REDACT_FIELDS: z.preprocess(blankToUndefined, z.string().default('ip')),
  DASHBOARD_PASSWORD: optionalText,
  FEED_MAX_HITS_PER_S: numberAtLeast(1, 1000),
  ALERT_WEBHOOK_URLS: optionalText,
  ALERTMANAGER_URL: httpUrl('ALERTMANAGER_URL'),
  ALERT_DOWN_AFTER_S: numberAtLeast(1, DEFAULT_ALERT_RULES.downAfterS),
  ALERT_LAG_P95_S: numberAtLeast(1, DEFAULT_ALERT_RULES.lagP95S),
  ALERT_LAG_FOR_S: numberAtLeast(1, DEFAULT_ALERT_RULES.lagForS),
  ALERT_TRAFFIC_DROP_RATIO: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: 'must be a number between 0 and 1 (exclusive)' })
      .refine((n) => n > 0 && n < 1, { message: 'must be a number between 0 and 1 (exclusive)' })
      .default(DEFAULT_ALERT_RULES.trafficDropRatio),
  ),
  ALERT_TRAFFIC_WINDOW_S: z.preprocess(blankToUndefined, integer(60, 1800).default(DEFAULT_ALERT_RULES.trafficWindowS)),
  REDIS_URL: urlOf('REDIS_URL', ['redis:', 'rediss:'], 'must be a redis:// or rediss:// URL with a host'),
  PUBLISH_STREAM_KEY: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[\x21-\x7e]{1,200}$/, { message: 'must be 1 to 200 printable characters without spaces' })
      .default('livestream:hits'),
  ),
  REDIS_LEASE_TTL_S: numberAtLeast(1, 10),
  // The embedded simulator (used when LIVESTREAM_URL is unset).
  SIM_RATE: numberAtLeast(0, 300),
  SIM_CHURN_WINDOW_S: numberAtLeast(0, ADOBE_ADVISED_COOLDOWN_S),
  SIM_PORT: intIn(0, 65535, 0),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be a pino level' })
      .default('info'),
  ),
  LOG_FORMAT: z.preprocess(
    (value) => (typeof value === 'string' ? blankToUndefined(value.trim().toLowerCase()) : value),
    z.enum(LOG_FORMATS, { message: 'must be "json" or "pretty"' }).optional(),
  ),
});

export interface RelayConfig {
  port: number;
  host: string;
  /** Unset: the embedded simulator is started and used. */
  livestreamUrl?: string;
  maxConnections: number;
  reset?: 'smallest' | 'largest';
  smoothing?: '0' | '1';
  smoothingBucketSize?: number;
  clientId?: string;
  clientSecret?: string;
  scopes?: string;
  imsTokenUrl: string;
  accessToken?: string;
  cooldownS: number;
  stallTimeoutS: number;
  /** No wait is longer than this, nor shorter than the cooldown (it is at least `cooldownS`). */
  maxWaitS: number;
  /** Hosts a redirect may lead to with credentials, beside the configured host and its parent domain. */
  redirectHosts: string[];
  /**
   * Which peers may speak for the client through `X-Forwarded-*` (Fastify's `trustProxy`):
   * `false` (default), `true` for any, or a list of addresses and CIDR ranges.
   */
  trustProxy: boolean | string[];
  dataDir: string;
  redactFields: string[];
  dashboardPassword?: string;
  feedMaxHitsPerS: number;
  /** `ALERT_WEBHOOK_URLS`, `ALERTMANAGER_URL` and the rules' settings (`ALERT_*`). */
  alerts: {
    webhookUrls: string[];
    alertmanagerUrl?: string;
    rules: AlertRuleSettings;
  };
  simulator: {
    rate: number;
    churnWindowS: number;
    port: number;
    /**
     * `SIM_REQUIRE_ENABLE`: the embedded simulator answers 424 on `/api/2/stream` (and
     * `?beta=true`) until the enable call was made, and the relay reads its `/api/2/stream` URL.
     */
    requireEnable: boolean;
    /** `SIM_ENABLE_DELAY_S`: how long the enable call takes to take effect (Adobe: about 15 min). */
    enableDelayS?: number;
    /** `SIM_DEVICE_FIELDS`, `SIM_A4T`: the records' style. */
    records?: SimulatorOptions['records'];
    /** `SIM_QUIET_S`, `SIM_QUIET_EVERY_S`, `SIM_QUIET_KEEPALIVE_S`: quiet nights. */
    quiet?: SimulatorOptions['quiet'];
  };
  logLevel: string;
  /** `LOG_FORMAT`; unset: pretty on a terminal, JSON otherwise (logger.ts). */
  logFormat?: LogFormat;
  /** Values that must never appear in a response, a log line or an error object. */
  secrets: string[];
  /** `REDIS_URL`: several relays on one stream (CONTRACT §6). Unset: this relay is alone. */
  redis?: {
    url: string;
    /** `PUBLISH_STREAM_KEY`; every key of the cluster starts with it. */
    streamKey: string;
    /** `REDIS_LEASE_TTL_S` in ms: a holder that cannot renew closes its connection within ¾ of it. */
    leaseTtlMs: number;
  };
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** Validates the environment. Throws `ConfigError` naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): RelayConfig {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'configuration');
    const raw = env[variable];
    throw new ConfigError(
      variable,
      `${issue.message}${raw !== undefined && !/SECRET|TOKEN|PASSWORD|ALERT|REDIS_URL/.test(variable) ? ` (got "${raw}")` : ''}`,
    );
  }
  const e = result.data;
  if (!isLoopbackHost(e.HOST) && !e.DASHBOARD_PASSWORD) {
    throw new ConfigError(
      'DASHBOARD_PASSWORD',
      `must be set when HOST is not a loopback address (HOST=${e.HOST}); the dashboard would be open to the network`,
    );
  }
  if (e.LIVESTREAM_URL && !e.ADOBE_ACCESS_TOKEN) {
    if (!e.ADOBE_CLIENT_ID) {
      throw new ConfigError(
        'ADOBE_CLIENT_ID',
        'must be set with LIVESTREAM_URL unless ADOBE_ACCESS_TOKEN is given (the client-credentials grant needs it; it is also sent as x-api-key)',
      );
    }
    if (!e.ADOBE_CLIENT_SECRET) {
      throw new ConfigError(
        'ADOBE_CLIENT_SECRET',
        'must be set with LIVESTREAM_URL unless ADOBE_ACCESS_TOKEN is given',
      );
    }
  }
  // Adobe IMS requires `scope` in the client-credentials grant: without it the token request fails.
  if (e.ADOBE_CLIENT_ID && e.ADOBE_CLIENT_SECRET && !e.ADOBE_ACCESS_TOKEN && !e.ADOBE_SCOPES) {
    throw new ConfigError(
      'ADOBE_SCOPES',
      'must be set with ADOBE_CLIENT_ID and ADOBE_CLIENT_SECRET (Adobe IMS requires scope in the client-credentials grant): copy the comma-separated scopes listed in the Adobe Developer Console project, on its OAuth Server-to-Server credential',
    );
  }
  const scopes = e.ADOBE_SCOPES?.split(/[\s,]+/).filter(Boolean);
  if (scopes && (scopes.length === 0 || scopes.some((scope) => !/^[\w.:/-]+$/.test(scope)))) {
    throw new ConfigError(
      'ADOBE_SCOPES',
      `must be a comma-separated list of scope names, as the Developer Console's OAuth Server-to-Server credential lists them (got "${e.ADOBE_SCOPES}")`,
    );
  }
  const redactFields = e.REDACT_FIELDS.split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  if (redactFields.some((field) => !/^[A-Za-z0-9_.$-]+$/.test(field))) {
    throw new ConfigError('REDACT_FIELDS', `must be a comma-separated list of field names (got "${e.REDACT_FIELDS}")`);
  }
  const redirectHosts = (e.LIVESTREAM_REDIRECT_HOSTS ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  if (redirectHosts.some((host) => !/^(\*\.)?[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/.test(host))) {
    throw new ConfigError(
      'LIVESTREAM_REDIRECT_HOSTS',
      `must be a comma-separated list of host names (got "${e.LIVESTREAM_REDIRECT_HOSTS}")`,
    );
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  const webhookUrls = (e.ALERT_WEBHOOK_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  for (const url of webhookUrls) {
    let ok: boolean;
    try {
      ok = ['http:', 'https:'].includes(new URL(url).protocol);
    } catch {
      ok = false;
    }
    // The URL itself is a secret (a chat webhook carries its token): never echoed.
    if (!ok) throw new ConfigError('ALERT_WEBHOOK_URLS', 'must be a comma-separated list of absolute http(s) URLs');
  }
  // The embedded simulator's other settings, read as the standalone simulator reads them.
  const simEnv = readSimulatorEnv(env);
  if (!simEnv.ok) {
    const colon = simEnv.message.indexOf(': ');
    throw new ConfigError(simEnv.message.slice(0, colon), simEnv.message.slice(colon + 2));
  }
  const sim = simEnv.options;
  const config: RelayConfig = {
    port: e.PORT,
    host: e.HOST,
    maxConnections: e.LIVESTREAM_MAX_CONNECTIONS,
    imsTokenUrl: e.ADOBE_IMS_TOKEN_URL ?? DEFAULT_IMS_TOKEN_URL,
    cooldownS: e.RECONNECT_COOLDOWN_S,
    stallTimeoutS: e.STALL_TIMEOUT_S,
    maxWaitS: Math.max(e.RECONNECT_MAX_WAIT_S, e.RECONNECT_COOLDOWN_S),
    redirectHosts,
    trustProxy,
    dataDir: e.DATA_DIR,
    redactFields,
    feedMaxHitsPerS: e.FEED_MAX_HITS_PER_S,
    alerts: {
      webhookUrls,
      ...(e.ALERTMANAGER_URL ? { alertmanagerUrl: e.ALERTMANAGER_URL } : {}),
      rules: {
        downAfterS: e.ALERT_DOWN_AFTER_S,
        lagP95S: e.ALERT_LAG_P95_S,
        lagForS: e.ALERT_LAG_FOR_S,
        trafficDropRatio: e.ALERT_TRAFFIC_DROP_RATIO,
        trafficWindowS: e.ALERT_TRAFFIC_WINDOW_S,
      },
    },
    simulator: {
      rate: e.SIM_RATE,
      churnWindowS: e.SIM_CHURN_WINDOW_S,
      port: e.SIM_PORT,
      requireEnable: sim.requireEnable ?? false,
      ...(sim.enableDelayS !== undefined ? { enableDelayS: sim.enableDelayS } : {}),
      ...(sim.records ? { records: sim.records } : {}),
      ...(sim.quiet ? { quiet: sim.quiet } : {}),
    },
    logLevel: e.LOG_LEVEL,
    secrets: [
      e.ADOBE_CLIENT_SECRET,
      e.ADOBE_ACCESS_TOKEN,
      e.DASHBOARD_PASSWORD,
      ...webhookUrls,
      ...alertmanagerSecrets(e.ALERTMANAGER_URL),
      ...urlPassword(e.REDIS_URL),
    ].filter((s): s is string => typeof s === 'string' && s.length >= 4),
  };
  if (e.LIVESTREAM_URL) config.livestreamUrl = e.LIVESTREAM_URL;
  if (e.LIVESTREAM_RESET) config.reset = e.LIVESTREAM_RESET;
  if (e.LIVESTREAM_SMOOTHING) config.smoothing = e.LIVESTREAM_SMOOTHING;
  if (e.LIVESTREAM_SMOOTHING_BUCKET_SIZE !== undefined) config.smoothingBucketSize = e.LIVESTREAM_SMOOTHING_BUCKET_SIZE;
  if (e.ADOBE_CLIENT_ID) config.clientId = e.ADOBE_CLIENT_ID;
  if (e.ADOBE_CLIENT_SECRET) config.clientSecret = e.ADOBE_CLIENT_SECRET;
  if (scopes?.length) config.scopes = scopes.join(',');
  if (e.ADOBE_ACCESS_TOKEN) config.accessToken = e.ADOBE_ACCESS_TOKEN;
  if (e.DASHBOARD_PASSWORD) config.dashboardPassword = e.DASHBOARD_PASSWORD;
  if (e.LOG_FORMAT) config.logFormat = e.LOG_FORMAT;
  if (e.REDIS_URL) {
    config.redis = { url: e.REDIS_URL, streamKey: e.PUBLISH_STREAM_KEY, leaseTtlMs: e.REDIS_LEASE_TTL_S * 1000 };
  }
  return config;
}

/** The password a `redis://user:password@host` URL carries: never shown. */
function urlPassword(url: string | undefined): string[] {
  if (!url) return [];
  const password = decodeURIComponent(new URL(url).password);
  return password ? [password] : [];
}

/** The credentials an `ALERTMANAGER_URL` may carry (`https://user:password@host`): never shown. */
function alertmanagerSecrets(url: string | undefined): string[] {
  if (!url) return [];
  const parsed = new URL(url);
  return [url, decodeURIComponent(parsed.password)].filter(Boolean);
}

/** `TRUST_PROXY`: unset/false/0 → false; true/1 → true; else a list of addresses or CIDR ranges. */
function parseTrustProxy(value: string | undefined): boolean | string[] {
  if (value === undefined || /^(false|0|no)$/i.test(value)) return false;
  if (/^(true|1|yes)$/i.test(value)) return true;
  const list = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const valid = (item: string) => {
    const [address, bits, extra] = item.split('/');
    if (extra !== undefined || !address || !isIP(address)) return false;
    if (bits === undefined) return true;
    const max = isIP(address) === 4 ? 32 : 128;
    return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
  };
  if (list.length === 0 || !list.every(valid)) {
    throw new ConfigError(
      'TRUST_PROXY',
      `must be true, false, or a comma-separated list of proxy addresses or CIDR ranges (got "${value}")`,
    );
  }
  return list;
}

/**
 * The stream URL with the contract's query parameters. Every connection sends the same
 * `maxConnections` (only when above 1). What the URL already carries is kept (`beta=true`, which
 * makes `/api/1/stream/<name>` serve the 2026 payload); a parameter the configuration sets
 * replaces the URL's own.
 */
export function streamUrl(
  config: Pick<RelayConfig, 'livestreamUrl' | 'maxConnections' | 'reset' | 'smoothing' | 'smoothingBucketSize'>,
  base = config.livestreamUrl,
): string {
  if (!base) throw new Error('no stream URL');
  const url = new URL(base);
  if (config.maxConnections > 1) url.searchParams.set('maxConnections', String(config.maxConnections));
  if (config.reset) url.searchParams.set('reset', config.reset);
  if (config.smoothing) url.searchParams.set('smoothing', config.smoothing);
  if (config.smoothingBucketSize !== undefined)
    url.searchParams.set('smoothingBucketSize', String(config.smoothingBucketSize));
  return url.toString();
}

/** The URL as shown to people: no credentials, no query secrets. */
export function publicUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/token|secret|key|password|auth/i.test(key)) parsed.searchParams.set(key, '****');
    }
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
