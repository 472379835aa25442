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
  }),
  upstream: z.looseObject({
    /** Without any secret. */
    url: z.string(),
    maxConnections: z.int().min(1),
  }),
  shards: z.array(ShardSchema),
  clients: z.int().nonnegative(),
  counters: z.looseObject({
    hits: z.int().nonnegative(),
    duplicates: z.int().nonnegative(),
    malformed: z.int().nonnegative(),
    reconnects: z.int().nonnegative(),
    bytes: z.int().nonnegative(),
  }),
});
export type Status = z.output<typeof StatusSchema>;
