import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AttemptLog, maskHeaders, type ConnectionAttempt } from './attempt-log.ts';
import { CONTROL_PATH, handleControl } from './control-api.ts';
import { FaultPlan } from './fault-plan.ts';
import { errorCodeFor, sendError, sendJson, type ErrorAnswer } from './http-answer.ts';
import type { RecordStyle } from './generator/index.ts';
import { StreamHub, type OpenStream, type QuietPlan, type QuietState } from './stream-hub.ts';
import { isBeta, negotiateEncoding, parseStreamParams } from './stream-request.ts';
import { handleTokenRequest, TOKEN_PATH } from './token-endpoint.ts';
import { TokenStore } from './token-store.ts';

export type { ConnectionAttempt } from './attempt-log.ts';
export type { OpenStream } from './stream-hub.ts';

export interface SimulatorOptions {
  /** Interface both listeners bind to. Default `'127.0.0.1'`. */
  host?: string;
  /** Main port (stream, token endpoint, control API). Default 0: an ephemeral port. */
  port?: number;
  /** Second "data-center" port the first connect is redirected to. Default 0: ephemeral. */
  redirectPort?: number;
  /**
   * The one stream served, at `/api/1/stream/<streamName>` (the 2024 payload), and at
   * `/api/2/stream/<streamName>` or `/api/1/stream/<streamName>?beta=true` (the latest API, 2026
   * payload). Default `'demo'`.
   */
  streamName?: string;
  /**
   * The latest API (`/api/2/stream`, `?beta=true`) answers 424 `stream_not_enabled` until the
   * enable call (`GET /api/2/enable/<streamName>`) was made and `enableDelayS` has passed, as
   * Livestream does for a stream not switched yet. Default false: the latest API is served at once.
   */
  requireEnable?: boolean;
  /** How long after the enable call the latest API is served, in seconds (Adobe: about 900). Default 0. */
  enableDelayS?: number;
  /** Average hits/s over the whole stream (all shards). Default 300. */
  rate?: number;
  /** The records' style (device fields, A4T timing). Default: Livestream's since April 2026. */
  records?: Partial<RecordStyle>;
  /** A quiet report suite (quiet nights): no hit for a while, optionally with keep-alive flushes. */
  quiet?: QuietPlan;
  /** A connect sooner than this many seconds after its slot was released gets 503. Default 60. */
  churnWindowS?: number;
  /** Default `'livestream-monitor-sim'`; also the required `x-api-key`. */
  clientId?: string;
  /** Default `'sim-secret'`. */
  clientSecret?: string;
  /** Token lifetime in seconds (`expires_in`). Default 86400. */
  tokenTtlS?: number;
  /** Answer the very first stream connect with a 302 to the redirect port. Default true. */
  redirectFirstConnect?: boolean;
  /**
   * How long hits for a disconnected slot are kept for resume, in seconds (Livestream resumes a
   * reconnect within a few minutes; older hits are dropped, the oldest first). Default 300.
   */
  backlogS?: number;
  /** Cap on the hits kept for resume over all slots (the oldest go first). Default 50,000. */
  backlogMaxHits?: number;
  /**
   * Unsent live bytes beyond which a reader that does not keep up is cut ("slow-consumer"); the
   * backlog a reconnect resumes with never counts. Default 16 MiB.
   */
  slowConsumerBytes?: number;
  /** Seed of the traffic (same seed, same hits). Default: random. */
  seed?: number;
  /** Follow the daily rhythm and bursts (default true); false: a flat `rate`, handy in tests. */
  rhythm?: boolean;
  /** Clock in epoch ms for churn, token expiry and hit timestamps. Default `Date.now`. */
  now?: () => number;
  /** Receives one line per connection attempt (token masked). Default: silent. */
  log?: (line: string) => void;
}

export interface SimulatorState {
  open: OpenStream[];
  /** Average hits/s currently configured. */
  rate: number;
  /** N of the current (or last) clients. */
  maxConnections: number;
  churnWindowS: number;
  /** Hits kept for each disconnected slot. */
  backlog: number[];
  pendingFaults: ReturnType<FaultPlan['describe']> & { firstConnectRedirect: boolean };
  /** The enable call (`GET /api/2/enable/<name>`) and whether the latest API is served. */
  enable: EnableState;
  /** The records' style generated now. */
  records: RecordStyle;
  /** The quiet plan in force, if any. */
  quiet: QuietState | null;
  totals: { hits: number; generated: number; bytes: number; connects: number; refused: number };
}

export interface EnableState {
  /** The latest API needs the enable call (`requireEnable`). */
  required: boolean;
  delayS: number;
  /** When the first enable call was made (simulator clock, epoch ms). */
  enabledAt?: number;
  /** From when the latest API is served (`enabledAt + delayS`). */
  effectiveAt?: number;
  /** The latest API is served now. */
  enabled: boolean;
}

export interface Simulator {
  /** e.g. `http://127.0.0.1:43121`. */
  origin: string;
  /** The second origin, where the first connect is redirected. */
  redirectOrigin: string;
  /** `${origin}/api/1/stream/${streamName}`. */
  streamUrl: string;
  /** `${origin}/api/2/stream/${streamName}`: the latest API (424 until enabled, with `requireEnable`). */
  streamUrlV2: string;
  /** `${origin}/api/2/enable/${streamName}`. */
  enableUrl: string;
  /** `${origin}/ims/token/v3`. */
  tokenUrl: string;
  /** `${origin}/__sim`. */
  controlUrl: string;
  clientId: string;
  clientSecret: string;
  /** The attempt log, as `GET /__sim/connections` answers it. */
  attempts(): ConnectionAttempt[];
  /** As `GET /__sim/state` answers it. */
  state(): SimulatorState;
  /**
   * Changes the enable rule (for a control API flag): `required` makes the latest API answer 424
   * until the enable call; `reset` forgets an earlier enable call; `delayS` sets its delay.
   */
  setEnable(change: { required?: boolean; delayS?: number; reset?: boolean }): EnableState;
  /** Ends every stream, closes both listeners. */
  close(): Promise<void>;
}

const STREAM_PATH = /^\/api\/([12])\/stream\/([^/]+)\/?$/;
const ENABLE_PATH = /^\/api\/2\/enable\/([^/]+)\/?$/;

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    // Not valid percent-encoding: no stream has that name anyway.
    return raw;
  }
}

/** A host to put in URLs: wildcard addresses become loopback, IPv6 literals get brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts a fake Adobe Analytics Livestream that speaks the real protocol: an IMS-like token
 * endpoint, the stream (HTTP/1.1, bearer token + `x-api-key`, gzip or deflate only, a redirect
 * to a second origin on the first connect, chunked CRLF-separated JSON records flushed at
 * uneven boundaries, `maxConnections` sharding by visitor, 409 and churn 503, resume with
 * duplicates) and a control API under `/__sim` to inject faults. See the README, "Running it".
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const streamName = options.streamName ?? 'demo';
  const clientId = options.clientId ?? 'livestream-monitor-sim';
  const clientSecret = options.clientSecret ?? 'sim-secret';
  const now = options.now ?? Date.now;
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const tokens = new TokenStore(now, options.tokenTtlS ?? 86_400);
  const faults = new FaultPlan();
  const attempts = new AttemptLog(options.log ? { log: options.log } : {});
  const hub = new StreamHub({
    now,
    seed,
    rate: options.rate ?? 300,
    churnWindowMs: (options.churnWindowS ?? 60) * 1000,
    backlogMs: (options.backlogS ?? 300) * 1000,
    rhythm: options.rhythm ?? true,
    ...(options.backlogMaxHits !== undefined ? { backlogMaxHits: options.backlogMaxHits } : {}),
    ...(options.slowConsumerBytes !== undefined ? { slowConsumerBytes: options.slowConsumerBytes } : {}),
    ...(options.records ? { records: options.records } : {}),
    ...(options.quiet ? { quiet: options.quiet } : {}),
  });
  let firstConnectRedirect = options.redirectFirstConnect ?? true;
  const enable = {
    required: options.requireEnable ?? false,
    delayS: options.enableDelayS ?? 0,
    enabledAt: undefined as number | undefined,
  };
  const enableState = (): EnableState => {
    const state: EnableState = { required: enable.required, delayS: enable.delayS, enabled: !enable.required };
    if (enable.enabledAt !== undefined) {
      state.enabledAt = enable.enabledAt;
      state.effectiveAt = enable.enabledAt + enable.delayS * 1000;
      if (now() >= state.effectiveAt) state.enabled = true;
    }
    return state;
  };
  let hopCount = 0;
  const main = createServer();
  const second = createServer();
  const ports = { main: 0, second: 0 };

  const state = (): SimulatorState => ({
    open: hub.openStreams(),
    rate: hub.rate,
    maxConnections: hub.maxConnections,
    churnWindowS: hub.churnWindowMs / 1000,
    backlog: hub.backlogSizes(),
    pendingFaults: { ...faults.describe(), firstConnectRedirect },
    enable: enableState(),
    records: hub.recordStyle,
    quiet: hub.quietState(),
    totals: { ...hub.totals },
  });

  const begin = (req: IncomingMessage, kind: ConnectionAttempt['kind'], port: number, url: URL) =>
    attempts.begin({
      kind,
      at: now(),
      port,
      method: req.method ?? '',
      httpVersion: req.httpVersion,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: maskHeaders(req.headers),
    });

  const refuse = (res: ServerResponse, attempt: ConnectionAttempt, answer: ErrorAnswer) => {
    sendError(res, answer);
    attempts.answer(attempt, answer.status, { error: answer.error });
    hub.refused();
  };

  /**
   * An origin for a URL handed to the client, on `port`: the configured host, or, when bound to
   * a wildcard address, the host the client used (so a remote client gets a reachable URL).
   */
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const originOf = (req: IncomingMessage, port: number) => {
    let hostname = urlHost(host);
    try {
      if (wildcard && req.headers.host) hostname = new URL(`http://${req.headers.host}`).hostname;
    } catch {
      // A malformed Host header: keep the configured host.
    }
    return `http://${hostname}:${port}`;
  };

  /** A bearer token and, when sent, the matching `x-api-key`; the refusal otherwise. */
  const credentialsRefusal = (req: IncomingMessage): ErrorAnswer | undefined => {
    const token = tokens.check(req.headers.authorization);
    if (token !== 'ok') {
      const descriptions = {
        missing: 'missing Authorization: Bearer <access token> header',
        unknown: 'the access token is not valid',
        expired: 'the access token has expired',
      };
      return {
        status: 401,
        error: token === 'missing' ? 'access_token_missing' : errorCodeFor(401),
        description: descriptions[token],
        headers: { 'WWW-Authenticate': 'Bearer' },
      };
    }
    // Adobe's sample client sends no x-api-key (the token names the client); one that is sent must match.
    const apiKey = req.headers['x-api-key'];
    if (apiKey !== undefined && apiKey !== clientId) {
      return {
        status: 403,
        error: errorCodeFor(403),
        description: 'the x-api-key does not match the client the token was issued to',
      };
    }
    return undefined;
  };

  /** `GET /api/2/enable/<name>`: switches the stream to the latest API (served `enableDelayS` later). */
  const serveEnable = (req: IncomingMessage, res: ServerResponse, url: URL, name: string, port: number) => {
    const attempt = begin(req, 'other', port, url);
    if (req.method !== 'GET') {
      return refuse(res, attempt, {
        status: 405,
        error: errorCodeFor(405),
        description: `the enable call accepts GET only, not ${req.method ?? '?'}`,
        headers: { Allow: 'GET' },
      });
    }
    const refused = credentialsRefusal(req);
    if (refused) return refuse(res, attempt, refused);
    if (name !== streamName) {
      return refuse(res, attempt, {
        status: 404,
        error: errorCodeFor(404),
        description: `no stream named ${JSON.stringify(name)} (or it was disabled after 90 days unused)`,
      });
    }
    enable.enabledAt ??= now();
    const state = enableState();
    sendJson(res, 200, {
      endpointName: name,
      status: state.enabled ? 'enabled' : 'enabling',
      message: state.enabled
        ? `stream ${name} serves the latest API version`
        : `stream ${name} will serve the latest API version in about ${Math.ceil(((state.effectiveAt ?? now()) - now()) / 1000)} s`,
    });
    attempts.answer(attempt, 200, {});
  };

  const serveStream = (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    name: string,
    port: number,
    latest: boolean,
  ) => {
    const attempt = begin(req, 'stream', port, url);
    const onMain = port === ports.main;
    if (req.method !== 'GET') {
      return refuse(res, attempt, {
        status: 405,
        error: errorCodeFor(405),
        description: `the stream accepts GET only, not ${req.method ?? '?'}`,
        headers: { Allow: 'GET' },
      });
    }
    if (req.httpVersion !== '1.1') {
      return refuse(res, attempt, {
        status: 505,
        error: errorCodeFor(505),
        description: `HTTP/${req.httpVersion} is not supported: Livestream speaks HTTP/1.1 only`,
      });
    }
    const fault = faults.takeConnect();
    if (fault) {
      return refuse(res, attempt, {
        status: fault.status,
        error: errorCodeFor(fault.status),
        description: fault.errorDescription ?? `simulated ${fault.status} answer (control API next-connect)`,
        body: fault.body,
        ...(fault.text !== undefined ? { text: fault.text } : {}),
        ...(fault.contentType !== undefined ? { contentType: fault.contentType } : {}),
        ...(fault.retryAfter !== undefined ? { retryAfter: fault.retryAfter } : {}),
      });
    }
    const redirect = faults.takeRedirect();
    if (redirect || (onMain && firstConnectRedirect)) {
      if (!redirect) firstConnectRedirect = false;
      if (redirect?.location !== undefined) {
        res.writeHead(302, { Location: redirect.location, 'Content-Length': 0 });
        res.end();
        attempts.answer(attempt, 302, { location: redirect.location });
        return;
      }
      const cross = redirect?.crossOrigin ?? true;
      const target = new URL(
        url.pathname + url.search,
        originOf(req, cross ? (onMain ? ports.second : ports.main) : port),
      );
      // A same-origin hop needs another URL, or it would point at itself.
      if (!cross) target.searchParams.set('hop', String(++hopCount));
      res.writeHead(302, { Location: target.href, 'Content-Length': 0 });
      res.end();
      attempts.answer(attempt, 302, { location: target.href });
      return;
    }
    const encoding = negotiateEncoding(req.headers['accept-encoding']);
    if (!encoding) {
      return refuse(res, attempt, {
        status: 406,
        error: errorCodeFor(406),
        description: 'the stream is always compressed: send Accept-Encoding: gzip (or deflate)',
      });
    }
    const refused = credentialsRefusal(req);
    if (refused) return refuse(res, attempt, refused);
    if (name !== streamName) {
      return refuse(res, attempt, {
        status: 404,
        error: errorCodeFor(404),
        description: `no stream named ${JSON.stringify(name)} (or it was disabled after 90 days unused)`,
      });
    }
    if (latest && !enableState().enabled) {
      return refuse(res, attempt, {
        status: 424,
        error: errorCodeFor(424),
        description:
          enable.enabledAt === undefined
            ? `stream ${name} is not enabled for the latest API version: GET /api/2/enable/${name} first`
            : `stream ${name} is being enabled for the latest API version; try again later`,
      });
    }
    const checked = parseStreamParams(url.searchParams);
    if (!checked.ok) {
      return refuse(res, attempt, { status: 400, error: errorCodeFor(400), description: checked.description });
    }
    const n = checked.params.maxConnections;
    const badEncoding = faults.badEncoding > 0;
    const grant = hub.open(res, attempt, {
      n,
      encoding,
      badEncoding,
      ...(checked.params.reset ? { reset: checked.params.reset } : {}),
    });
    if (!grant.ok) {
      attempt.maxConnections = n;
      return refuse(res, attempt, {
        status: grant.status,
        error: grant.error,
        description: grant.description,
        ...(grant.retryAfterS !== undefined ? { retryAfter: grant.retryAfterS } : {}),
      });
    }
    if (badEncoding) faults.takeBadEncoding();
    attempts.answer(attempt, 200, { slot: grant.slot, maxConnections: n });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, port: number) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const onMain = port === ports.main;
    if (onMain && (url.pathname === CONTROL_PATH || url.pathname.startsWith(`${CONTROL_PATH}/`))) {
      return handleControl(req, res, url.pathname, { hub, faults, tokens, attempts, state });
    }
    if (onMain && url.pathname === TOKEN_PATH) {
      const attempt = begin(req, 'token', port, url);
      return handleTokenRequest(req, res, attempt, { clientId, clientSecret, tokens, faults, attempts });
    }
    const match = STREAM_PATH.exec(url.pathname);
    if (match) {
      const latest = match[1] === '2' || isBeta(url.searchParams);
      return serveStream(req, res, url, decodeName(match[2] ?? ''), port, latest);
    }
    const enableMatch = ENABLE_PATH.exec(url.pathname);
    if (enableMatch) return serveEnable(req, res, url, decodeName(enableMatch[1] ?? ''), port);
    const attempt = begin(req, 'other', port, url);
    sendError(res, { status: 404, error: 'not_found', description: `nothing at ${url.pathname}` });
    attempts.answer(attempt, 404, { error: 'not_found' });
  };

  /** Sockets already answered after a parse error (the parser may report the same socket twice). */
  const answered = new WeakSet<Socket>();
  const attach = (server: Server, which: keyof typeof ports) => {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      handle(req, res, ports[which]).catch((error: unknown) => {
        if (!res.headersSent) {
          sendError(res, { status: 500, error: 'internal_error', description: (error as Error).message });
        } else {
          res.destroy();
        }
      });
    });
    server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
      const preface = error.rawPacket?.toString('latin1') ?? '';
      if (answered.has(socket)) return socket.destroy();
      answered.add(socket);
      if (error.code === 'HPE_PAUSED_H2_UPGRADE' || preface.startsWith('PRI * HTTP/2')) {
        // HTTP/2 with prior knowledge: Livestream answers 505, the client must speak HTTP/1.1.
        const attempt = attempts.begin({
          kind: 'stream',
          at: now(),
          port: ports[which],
          method: 'PRI',
          httpVersion: '2.0',
          path: '*',
          query: {},
          headers: {},
        });
        const body = JSON.stringify({ error: errorCodeFor(505), error_description: 'Livestream speaks HTTP/1.1 only' });
        socket.end(
          `HTTP/1.1 505 HTTP Version Not Supported\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
        attempts.answer(attempt, 505, { error: errorCodeFor(505) });
        hub.refused();
        return;
      }
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
  };
  attach(main, 'main');
  attach(second, 'second');

  try {
    ports.main = await listen(main, options.port ?? 0, host);
    ports.second = await listen(second, options.redirectPort ?? 0, host);
  } catch (error) {
    await hub.close(0);
    main.close();
    second.close();
    throw error;
  }

  const origin = `http://${urlHost(host)}:${ports.main}`;
  let closing: Promise<void> | undefined;
  return {
    origin,
    redirectOrigin: `http://${urlHost(host)}:${ports.second}`,
    streamUrl: `${origin}/api/1/stream/${encodeURIComponent(streamName)}`,
    streamUrlV2: `${origin}/api/2/stream/${encodeURIComponent(streamName)}`,
    enableUrl: `${origin}/api/2/enable/${encodeURIComponent(streamName)}`,
    tokenUrl: `${origin}${TOKEN_PATH}`,
    controlUrl: `${origin}${CONTROL_PATH}`,
    clientId,
    clientSecret,
    attempts: () => attempts.list(),
    state,
    setEnable(change) {
      if (change.required !== undefined) enable.required = change.required;
      if (change.delayS !== undefined) enable.delayS = Math.max(0, change.delayS);
      if (change.reset) enable.enabledAt = undefined;
      return enableState();
    },
    close() {
      closing ??= (async () => {
        await hub.close();
        const done = [main, second].map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
        main.closeAllConnections();
        second.closeAllConnections();
        await Promise.all(done);
      })();
      return closing;
    },
  };
}
