/**
 * What the stream endpoint checks in a request before serving it: the compression the client
 * accepts and the query parameters Livestream documents (`beta=true` asks `/api/1/stream` for the
 * latest API, the 2026 payload, as `/api/2/stream` does).
 */

export interface StreamParams {
  /** 1–8; default 1. */
  maxConnections: number;
  reset?: 'smallest' | 'largest';
  smoothing?: 0 | 1;
  smoothingBucketSize?: number;
  /** `beta=true`: the latest API version on `/api/1/stream`. */
  beta?: true;
}

/** Whether the query asks for the latest API (`beta=true`, any case); another value is ignored, as Livestream ignores unknown input. */
export function isBeta(query: URLSearchParams): boolean {
  return /^true$/i.test(query.get('beta') ?? '');
}

export type ParamsCheck = { ok: true; params: StreamParams } | { ok: false; parameter: string; description: string };

function integerIn(value: string, min: number, max: number): number | undefined {
  if (!/^\d{1,6}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/** Validates the query; unknown parameters are ignored, as Livestream does. */
export function parseStreamParams(query: URLSearchParams): ParamsCheck {
  const params: StreamParams = { maxConnections: 1 };
  const bad = (parameter: string, expected: string): ParamsCheck => ({
    ok: false,
    parameter,
    description: `invalid value for query parameter ${parameter}: ${JSON.stringify(query.get(parameter))} (expected ${expected})`,
  });
  const max = query.get('maxConnections');
  if (max !== null) {
    const n = integerIn(max, 1, 8);
    if (n === undefined) return bad('maxConnections', 'an integer from 1 to 8');
    params.maxConnections = n;
  }
  const reset = query.get('reset');
  if (reset !== null) {
    if (reset !== 'smallest' && reset !== 'largest') return bad('reset', 'smallest or largest');
    params.reset = reset;
  }
  const smoothing = query.get('smoothing');
  if (smoothing !== null) {
    if (smoothing !== '0' && smoothing !== '1') return bad('smoothing', '0 or 1');
    params.smoothing = smoothing === '1' ? 1 : 0;
  }
  const bucket = query.get('smoothingBucketSize');
  if (bucket !== null) {
    const n = integerIn(bucket, 1, 7200);
    if (n === undefined) return bad('smoothingBucketSize', 'an integer from 1 to 7200 seconds');
    params.smoothingBucketSize = n;
  }
  if (isBeta(query)) params.beta = true;
  return { ok: true, params };
}

/**
 * The body encoding for an `Accept-Encoding` header: gzip when accepted (q > 0, or via `*`),
 * else deflate, else none (the stream then answers 406: it is never sent uncompressed).
 */
export function negotiateEncoding(header: string | undefined): 'gzip' | 'deflate' | undefined {
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...options] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let q = 1;
    for (const option of options) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(option);
      if (match) q = Number(match[1]);
    }
    weights.set(name.trim(), Number.isFinite(q) ? q : 0);
  }
  const weight = (name: string) => weights.get(name) ?? weights.get('*') ?? 0;
  if (weight('gzip') > 0 || (weights.get('x-gzip') ?? 0) > 0) return 'gzip';
  if (weight('deflate') > 0) return 'deflate';
  return undefined;
}
