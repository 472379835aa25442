/**
 * Query keys for every relay route, in one place: the live store (`live-store/cache-bridge.ts`)
 * writes live events into the same cache entries the REST queries fill (a `problem` event lands
 * in the problems list, an `alert` event in the alerts, a `stats` event in the stats history, a
 * `state` event in the status), so nothing refetches.
 */
export const queryKeys = {
  status: () => ['status'] as const,
  problems: (limit: number) => ['problems', { limit }] as const,
  problemsAll: () => ['problems'] as const,
  catalog: () => ['catalog'] as const,
  stats: (windowS: number) => ['stats', { windowS }] as const,
  statsAll: () => ['stats'] as const,
  traffic: (windowS: number) => ['traffic', { windowS }] as const,
  trafficAll: () => ['traffic'] as const,
  top: (windowS: number) => ['top', { windowS }] as const,
  history: (windowS: number, points: number, endS: number | undefined) =>
    ['history', { windowS, points, endS: endS ?? 'now' }] as const,
  hit: (hitId: string) => ['hit', hitId] as const,
  alerts: () => ['alerts'] as const,
};
