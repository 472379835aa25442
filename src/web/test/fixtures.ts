import type { Alert, HitSummary, Problem, Shard, Stats, Status, Top } from '../../contract/index.ts';

/** A fixed relay time for fixtures: 2025-01-15T12:00:00Z. */
export const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

export function shardFixture(overrides: Partial<Shard> = {}): Shard {
  return {
    shard: 0,
    state: 'streaming',
    since: T0 - 600_000,
    attempt: 0,
    connectedAt: T0 - 600_000,
    hits: 1234,
    lastHitAt: T0 - 2_000,
    ...overrides,
  };
}

export function statusFixture(overrides: { relay?: Partial<Status['relay']>; shards?: Shard[] } = {}): Status {
  return {
    relay: {
      version: '0.1.0',
      startedAt: T0 - 3_600_000,
      mode: 'simulator',
      cooldownS: 60,
      now: T0,
      runId: 'run1',
      stallTimeoutS: 90,
      ...overrides.relay,
    },
    upstream: { url: 'http://127.0.0.1:8080/__sim/api/1/stream/demo', maxConnections: overrides.shards?.length ?? 1 },
    shards: overrides.shards ?? [shardFixture()],
    clients: 1,
    counters: { hits: 1234, duplicates: 3, malformed: 0, reconnects: 1, bytes: 456_789 },
  };
}

let problemSeq = 0;
export function problemFixture(overrides: Partial<Problem> = {}): Problem {
  problemSeq++;
  return {
    status: 409,
    code: 'too_many_connections',
    message: 'Livestream refused the connection: more clients than maxConnections.',
    trace: `trace-${problemSeq}`,
    action: 'retry-after',
    at: T0 - 10_000,
    source: 'upstream',
    shard: 0,
    id: `problem-${problemSeq}`,
    ...overrides,
  };
}

let alertSeq = 0;
/** A firing `stream_down` alert that started at `startsAt` (default `T0`), unless overridden. */
export function alertFixture(overrides: Partial<Alert> = {}): Alert {
  alertSeq++;
  return {
    id: `alert-${alertSeq}`,
    rule: 'stream_down',
    state: 'firing',
    severity: 'critical',
    startsAt: T0,
    summary: 'No Livestream data: no shard has been streaming for 2 min',
    description:
      'No upstream connection has streamed hits since 11:58:00 UTC (shard 0 waiting (connection_lost)). The relay keeps retrying.',
    ...overrides,
  };
}

export function hitFixture(seq: number, overrides: Partial<HitSummary> = {}): HitSummary {
  return {
    seq,
    hitId: `2948027281753079808-90000000000000${String(seq).padStart(5, '0')}`,
    shard: 0,
    arrivedAt: T0 + seq,
    pageName: `page ${seq}`,
    geoCountry: 'fra',
    ...overrides,
  };
}

export function statsFixture(t: number, overrides: Partial<Stats> = {}): Stats {
  return { t, hits: 10, duplicates: 0, malformed: 0, bytes: 1000, clients: 1, byShard: [10], ...overrides };
}

export function topFixture(window: number): Top {
  return {
    window,
    at: T0,
    hits: 100,
    pages: [{ key: 'home', count: 60 }],
    countries: [{ key: 'fra', count: 40 }],
    browsers: [],
    devices: [],
    events: [],
    revenue: 12.5,
    bots: 2,
    errorPages: [],
  };
}
