import { z } from 'zod';
import { ShardSchema } from './shard.ts';

export const RELAY_MODES = ['simulator', 'adobe'] as const;
export type RelayMode = (typeof RELAY_MODES)[number];

/** `GET /api/status`, and the `status` inside `hello` (docs/api.md, "Routes"). */
export const StatusSchema = z.looseObject({
  relay: z.looseObject({
    version: z.string(),
    /** Epoch ms. */
    startedAt: z.number(),
    mode: z.string().min(1),
    /** Minimum wait after a loss or a refused connect, in seconds. */
    cooldownS: z.number().positive(),
    /** Extension: the relay's clock when this was written (epoch ms), for skew correction. */
    now: z.number().optional(),
    /** Extension: names this relay run; SSE ids carry it. */
    runId: z.string().optional(),
    /** Extension: above this many hits/s a browser feed is sampled. */
    feedMaxHitsPerS: z.number().optional(),
    /** Extension: no byte for this long means the connection is lost. */
    stallTimeoutS: z.number().optional(),
    /** Extension: the dashboard needs a password. */
    passwordProtected: z.boolean().optional(),
    /**
     * Extension, with `REDIS_URL`: this relay among those sharing the stream: its id (the
     * `relay` field of the stream's entries it published) and the shards whose lease it holds.
     */
    cluster: z.looseObject({ relayId: z.string(), holds: z.array(z.int().nonnegative()) }).optional(),
  }),
  upstream: z.looseObject({
    /** Without any secret. */
    url: z.string(),
    maxConnections: z.int().min(1),
    /** Extension: the Livestream API version of the URL (`/api/<version>/stream/…`); absent for a URL of another shape. */
    apiVersion: z.int().min(1).optional(),
    /** Extension: `"2026"` (with `/api/2/stream` or `?beta=true`) or `"2024"`; other values may come. */
    payload: z.string().optional(),
    /** Extension: the endpoint name of the URL. */
    endpoint: z.string().optional(),
    /** Extension: the `reset` sent on the first attempt (`LIVESTREAM_RESET`: `smallest`, `largest`), or `none`. */
    reset: z.string().optional(),
    /** Extension: the enable call for this stream (`GET <origin>/api/2/enable/<endpoint>`), no secret. */
    enableUrl: z.string().optional(),
    /** Extension: the last enable call of this run (`POST /api/upstream/enable`). */
    enableCall: z
      .looseObject({
        /** Epoch ms when it was sent. */
        at: z.number(),
        ok: z.boolean(),
        /** What Livestream answered, when it answered. */
        upstreamStatus: z.int().optional(),
        /** The Problem's code when it failed. */
        code: z.string().optional(),
      })
      .optional(),
  }),
  shards: z.array(ShardSchema),
  clients: z.int().nonnegative(),
  counters: z.looseObject({
    hits: z.int().nonnegative(),
    duplicates: z.int().nonnegative(),
    malformed: z.int().nonnegative(),
    reconnects: z.int().nonnegative(),
    bytes: z.int().nonnegative(),
    /** Extension: error objects not resolved yet in the whole log (a problems list may hold only the newest). */
    activeProblems: z.int().nonnegative().optional(),
  }),
});
export type Status = z.output<typeof StatusSchema>;

/** Extension: the `202` answer of `POST /api/upstream/enable` — what Livestream said to the enable call, no secret. */
export const UpstreamEnableResponseSchema = z.looseObject({
  accepted: z.literal(true),
  /** The URL called (`GET <origin>/api/2/enable/<endpoint>`). */
  enableUrl: z.string(),
  /** Livestream's status (2xx). */
  upstreamStatus: z.int(),
  /** Livestream's answer, readable (at most 500 characters, no markup); may be empty. */
  answer: z.string(),
  requestId: z.string().optional(),
  /** Epoch ms when the call was sent. */
  requestedAt: z.number(),
  /** About how long until the stream serves the latest API version (Adobe: about 15 minutes). */
  takesEffectInS: z.number(),
  message: z.string(),
});
export type UpstreamEnableResponse = z.output<typeof UpstreamEnableResponseSchema>;
