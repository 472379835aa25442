import { afterEach, describe, expect, it } from 'vitest';
import { HistoryResponseSchema, TopSchema } from '../contract/index.ts';
import { startMockServer, type MockServer } from './node.ts';

/**
 * The mock host's history (`mock-history.ts`): an earlier run's 30 days before this run's start,
 * answered by the core's history routes, while the scenario's live figures stay its own.
 */

const T0 = Date.UTC(2026, 10, 30, 18, 0, 0);
let mock: MockServer | undefined;

afterEach(() => {
  mock?.close();
  mock = undefined;
});

async function start(history: boolean): Promise<MockServer> {
  mock = startMockServer({
    scenario: 'healthy',
    now: () => T0,
    autoAdvance: false,
    ...(history ? { history: { minuteDays: 30, secondHours: 2, topDays: 1 } } : {}),
  });
  await mock.host.ready;
  return mock;
}

const get = async (m: MockServer, path: string) => (await fetch(`${m.baseUrl}${path}`)).json() as Promise<unknown>;

describe('mock history', () => {
  it('answers 30 days, with the outages and their verdicts, and the long top lists', async () => {
    const m = await start(true);
    const month = HistoryResponseSchema.parse(await get(m, '/api/history?window=2592000&points=720'));
    expect(month.resolution).toBe('minute');
    expect(month.step).toBe(3600);
    // Nearly every hour of the month has data (a gap only where an outage or the end falls).
    expect(month.buckets.length).toBeGreaterThan(700);
    expect(month.outages.length).toBeGreaterThanOrEqual(2);
    for (const o of month.outages) expect(['recovered', 'probably-lost']).toContain(o.verdict);
    const top = TopSchema.parse(await get(m, '/api/top?window=86400'));
    expect(top.window).toBe(86_400);
    expect(top.hits).toBeGreaterThan(0);
    expect(top.pages.length).toBeGreaterThan(0);
    // Yesterday has data for "compare with".
    const endS = Math.floor(T0 / 1000) - 86_400;
    const yesterday = HistoryResponseSchema.parse(await get(m, `/api/history?window=86400&points=720&end=${endS}`));
    expect(yesterday.buckets.length).toBeGreaterThan(600);
  });

  it("leaves the scenario's live figures as they were (the core's restore finds nothing)", async () => {
    const plain = await start(false);
    const liveWithout = (await get(plain, '/api/stats?window=3600')) as { series: { t: number }[] };
    plain.close();
    const filled = await start(true);
    await filled.host.history!.loaded;
    const liveWith = (await get(filled, '/api/stats?window=3600')) as { series: { t: number }[] };
    expect(liveWith.series.map((s) => s.t)).toEqual(liveWithout.series.map((s) => s.t));
    expect(liveWith.series[0]!.t).toBeGreaterThanOrEqual(Math.floor(filled.host.startedAt / 1000));
  });
});
