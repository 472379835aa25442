import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { explainZodError } from '../contract/index.ts';
import type { AttemptLog } from './attempt-log.ts';
import type { FaultPlan } from './fault-plan.ts';
import { MIGRATION_DESCRIPTION, sendJson } from './http-answer.ts';
import { parseJsonKeepingIds, readBody } from './request-body.ts';
import type { StreamHub } from './stream-hub.ts';
import type { TokenStore } from './token-store.ts';

/** Where the control API lives, on the simulator's main origin only. */
export const CONTROL_PATH = '/__sim';

export interface ControlDeps {
  hub: StreamHub;
  faults: FaultPlan;
  tokens: TokenStore;
  attempts: AttemptLog;
  state(): unknown;
}

const slot = z.number().int().min(0).max(7).optional();
const times = z.number().int().min(1).max(1_000_000).default(1);
const bodyKind = z.enum(['json', 'html', 'empty']).default('json');

/** The control API's routes: `POST /__sim/<name>` with a JSON body (fields optional unless said). */
const ACTIONS = {
  /** Destroy the open stream socket(s) abruptly. */
  drop: {
    schema: z.strictObject({ slot }),
    run: (b: { slot?: number }, d: ControlDeps) => ({ dropped: d.hub.drop(b.slot) }),
  },
  /** End the open stream(s) cleanly. */
  end: {
    schema: z.strictObject({ slot }),
    run: async (b: { slot?: number }, d: ControlDeps) => ({ ended: await d.hub.end(b.slot) }),
  },
  /**
   * Send no record (for `seconds`, or until `resume`); with `keepAliveEveryS`, an empty deflate
   * block that often (bytes on the socket, nothing after gunzip), else no byte at all.
   */
  stall: {
    schema: z.strictObject({
      slot,
      seconds: z.number().positive().max(86_400).optional(),
      keepAliveEveryS: z.number().min(0.05).max(3_600).optional(),
    }),
    run: (b: { slot?: number; seconds?: number; keepAliveEveryS?: number }, d: ControlDeps) => ({
      stalled: d.hub.stall(b.slot, b.seconds, b.keepAliveEveryS),
    }),
  },
  resume: {
    schema: z.strictObject({ slot }),
    run: (b: { slot?: number }, d: ControlDeps) => ({ resumed: d.hub.resume(b.slot) }),
  },
  /**
   * Answer the next `times` stream connects with `status` (and a json, html or empty body, or
   * `text` as is with `contentType`).
   */
  'next-connect': {
    schema: z.strictObject({
      status: z.number().int().min(300).max(599),
      body: bodyKind,
      retryAfter: z.union([z.number().int().min(0), z.string().max(200)]).optional(),
      errorDescription: z.string().max(2000).optional(),
      text: z.string().max(65_536).optional(),
      contentType: z.string().max(200).optional(),
      times,
    }),
    run: (
      b: {
        status: number;
        body: 'json' | 'html' | 'empty';
        retryAfter?: number | string;
        errorDescription?: string;
        text?: string;
        contentType?: string;
        times: number;
      },
      d: ControlDeps,
    ) => {
      d.faults.connects.push({ ...b });
      return { pending: d.faults.describe().nextConnect };
    },
  },
  /**
   * Answer the next `times` stream connects with 503 and an error object saying the stream is in
   * migration (Adobe's current meaning of 503), optionally with `retryAfter` or another body kind.
   */
  migration: {
    schema: z.strictObject({
      times,
      body: bodyKind,
      retryAfter: z.union([z.number().int().min(0), z.string().max(200)]).optional(),
    }),
    run: (b: { times: number; body: 'json' | 'html' | 'empty'; retryAfter?: number | string }, d: ControlDeps) => {
      d.faults.connects.push({
        status: 503,
        body: b.body,
        errorDescription: MIGRATION_DESCRIPTION,
        times: b.times,
        ...(b.retryAfter !== undefined ? { retryAfter: b.retryAfter } : {}),
      });
      return { pending: d.faults.describe().nextConnect };
    },
  },
  /**
   * Redirect the next connect `hops` times (to the other port unless `crossOrigin: false`), or
   * forever; with `location`, to that `Location` as is (hostile redirects: unparseable, `file:`,
   * another host).
   */
  redirect: {
    schema: z.strictObject({
      hops: z.number().int().min(1).max(1000).default(1),
      crossOrigin: z.boolean().default(true),
      loop: z.boolean().default(false),
      location: z.string().min(1).max(2000).optional(),
    }),
    run: (b: { hops: number; crossOrigin: boolean; loop: boolean; location?: string }, d: ControlDeps) => {
      d.faults.redirect = { ...b };
      return { redirect: d.faults.redirect };
    },
  },
  /** The next `times` connects announce gzip and send a body that is not gzip. */
  'bad-encoding': {
    schema: z.strictObject({ times }),
    run: (b: { times: number }, d: ControlDeps) => {
      d.faults.badEncoding += b.times;
      return { badEncoding: d.faults.badEncoding };
    },
  },
  /** Write `count` non-JSON lines into the open streams. */
  malformed: {
    schema: z.strictObject({ count: z.number().int().min(1).max(10_000).default(1), slot }),
    run: (b: { count: number; slot?: number }, d: ControlDeps) => ({ written: d.hub.writeMalformed(b.count, b.slot) }),
  },
  /** Write `count` empty records. */
  empty: {
    schema: z.strictObject({ count: z.number().int().min(1).max(10_000).default(1), slot }),
    run: (b: { count: number; slot?: number }, d: ControlDeps) => ({ written: d.hub.writeEmpty(b.count, b.slot) }),
  },
  /** Replay the last `count` delivered hits on their slots. */
  duplicates: {
    schema: z.strictObject({ count: z.number().int().min(1).max(1600) }),
    run: (b: { count: number }, d: ControlDeps) => ({ replayed: d.hub.replay(b.count) }),
  },
  /**
   * Write a record (64-bit fields as decimal strings, or bare numbers: their digits are kept) or
   * a raw `line`, on `slot` or the record's visitor slot.
   */
  hit: {
    schema: z
      .strictObject({ record: z.record(z.string(), z.unknown()).optional(), line: z.string().optional(), slot })
      .refine((b) => (b.record === undefined) !== (b.line === undefined), 'give exactly one of record and line'),
    run: (b: { record?: Record<string, unknown>; line?: string; slot?: number }, d: ControlDeps) => d.hub.inject(b),
  },
  /**
   * Write one record of about `bytes` bytes (its `pageName` is that long; ids fresh), beyond the
   * control API's own 1 MiB body limit: a hostile record for the relay's size limits.
   */
  'huge-record': {
    schema: z.strictObject({
      bytes: z
        .number()
        .int()
        .min(1)
        .max(256 * 1024 * 1024),
      slot,
    }),
    run: (b: { bytes: number; slot?: number }, d: ControlDeps) => {
      const id = Date.now();
      const record = {
        reportSuite: 'huge',
        hitIdHigh: String(9_100_000_000_000_000_000n + BigInt(id)),
        hitIdLow: String(id),
        pageName: 'x'.repeat(b.bytes),
      };
      return d.hub.inject(b.slot === undefined ? { record } : { record, slot: b.slot });
    },
  },
  /**
   * The records' style from now on: `deviceFields` `mobile` (Livestream's default since April
   * 2026: `userAgent` empty, the mobile device fields filled) or `userAgent` (the older form), and
   * `a4t` (an A4T report suite: hits about 10 minutes behind). Omitted fields keep their value.
   */
  records: {
    schema: z.strictObject({ deviceFields: z.enum(['mobile', 'userAgent']).optional(), a4t: z.boolean().optional() }),
    run: (b: { deviceFields?: 'mobile' | 'userAgent'; a4t?: boolean }, d: ControlDeps) => ({
      records: d.hub.setRecordStyle(b),
    }),
  },
  /**
   * A quiet report suite: no hit at all for `seconds` (0 ends it), or the last `seconds` of every
   * `everyS` (quiet nights); with `keepAliveEveryS`, an empty deflate block on every open stream
   * that often meanwhile, else not one byte. Unlike `stall`, nothing is kept back for later.
   */
  quiet: {
    schema: z
      .strictObject({
        seconds: z
          .number()
          .min(0)
          .max(7 * 86_400),
        everyS: z
          .number()
          .positive()
          .max(30 * 86_400)
          .optional(),
        keepAliveEveryS: z.number().min(0.05).max(3_600).optional(),
      })
      .refine((b) => b.everyS === undefined || b.everyS > b.seconds, 'everyS must be longer than seconds'),
    run: (b: { seconds: number; everyS?: number; keepAliveEveryS?: number }, d: ControlDeps) => ({
      quiet: d.hub.quiet(b.seconds > 0 ? b : undefined),
    }),
  },
  /** Change the average rate (hits/s). */
  rate: {
    schema: z.strictObject({ rate: z.number().min(0).max(100_000) }),
    run: (b: { rate: number }, d: ControlDeps) => {
      d.hub.rate = b.rate;
      return { rate: d.hub.rate };
    },
  },
  /** Make the next `times` token requests fail: `status` (401 invalid_client, 500…) or no answer. */
  token: {
    schema: z.strictObject({
      status: z.number().int().min(400).max(599).default(401),
      body: bodyKind,
      times,
      unreachable: z.boolean().default(false),
    }),
    run: (
      b: { status: number; body: 'json' | 'html' | 'empty'; times: number; unreachable: boolean },
      d: ControlDeps,
    ) => {
      d.faults.tokens.push({ ...b });
      return { pending: d.faults.describe().token };
    },
  },
  /**
   * Make the next `times` token requests answer 200 with no usable token: a web page
   * (`garbage`), JSON without `access_token` (`no-token`), or a token with `expires_in: 0`.
   */
  'token-answer': {
    schema: z.strictObject({ answer: z.enum(['garbage', 'no-token', 'expires-zero']), times }),
    run: (b: { answer: 'garbage' | 'no-token' | 'expires-zero'; times: number }, d: ControlDeps) => {
      d.faults.tokenAnswers.push({ ...b });
      return { pending: d.faults.describe().tokenAnswer };
    },
  },
  /** Invalidate every issued token: the next connect with one gets 401. */
  'expire-tokens': {
    schema: z.strictObject({}),
    run: (_b: unknown, d: ControlDeps) => ({ expired: d.tokens.expireAll() }),
  },
  /** Change the churn window (seconds). */
  'churn-window': {
    schema: z.strictObject({ seconds: z.number().min(0).max(86_400) }),
    run: (b: { seconds: number }, d: ControlDeps) => {
      d.hub.churnWindowMs = b.seconds * 1000;
      return { churnWindowS: b.seconds };
    },
  },
  /**
   * Clear pending faults, resume stalls, end a quiet spell, clear the attempt log and the backlogs
   * of disconnected slots (their next connect resumes with nothing missed); `releases: true` also
   * forgets churn history. The records' style stays.
   */
  reset: {
    schema: z.strictObject({ releases: z.boolean().default(false) }),
    run: (b: { releases: boolean }, d: ControlDeps) => {
      d.faults.clear();
      d.hub.resume();
      d.hub.quiet(undefined);
      d.attempts.clear();
      const backlogCleared = d.hub.clearBacklogs();
      if (b.releases) d.hub.forgetReleases();
      return { reset: true, backlogCleared };
    },
  },
} as const;

type ActionName = keyof typeof ACTIONS;

function isAction(name: string): name is ActionName {
  return Object.hasOwn(ACTIONS, name);
}

/** Answers a request under `/__sim`. */
export async function handleControl(req: IncomingMessage, res: ServerResponse, path: string, deps: ControlDeps) {
  const name = path.slice(CONTROL_PATH.length).replace(/^\/+|\/+$/g, '');
  const fail = (status: number, error: string, description: string) =>
    sendJson(res, status, { error, error_description: description });
  if (req.method === 'GET') {
    if (name === 'connections') return sendJson(res, 200, deps.attempts.list());
    if (name === 'state') return sendJson(res, 200, deps.state());
    if (name === 'records') return sendJson(res, 200, { records: deps.hub.recordStyle });
    if (name === 'quiet') return sendJson(res, 200, { quiet: deps.hub.quietState() });
    if (name === '') {
      return sendJson(res, 200, {
        get: ['/__sim/connections', '/__sim/state', '/__sim/records', '/__sim/quiet'],
        post: Object.keys(ACTIONS).map((action) => `/__sim/${action}`),
      });
    }
  }
  if (!isAction(name)) return fail(404, 'not_found', `no control route ${req.method ?? ''} ${path}`);
  if (req.method !== 'POST') return fail(405, 'method_not_allowed', `${path} accepts POST`);
  let input: unknown;
  try {
    const text = await readBody(req);
    input = text.trim() === '' ? {} : parseJsonKeepingIds(text);
  } catch (error) {
    return fail(400, 'bad_request', `the body must be JSON: ${(error as Error).message}`);
  }
  const action = ACTIONS[name];
  const parsed = action.schema.safeParse(input);
  if (!parsed.success) return fail(400, 'bad_request', explainZodError(parsed.error));
  const run = action.run as (body: unknown, deps: ControlDeps) => unknown;
  sendJson(res, 200, { ok: true, ...((await run(parsed.data, deps)) as object) });
}
