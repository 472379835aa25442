import { beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../contract/index.ts';
import { alertFixture, statusFixture, T0 } from '../../test/fixtures.ts';
import { liveStoreHarness } from '../../test/live-store-harness.ts';
import { queryKeys } from '../query-keys.ts';
import { mergeAlert, sortAlerts, withAlert, type AlertsData } from './alert-merge.ts';

const resolvedCopy = (alert: Alert, endsAt: number): Alert => ({ ...alert, state: 'resolved', endsAt });

describe('alert merge', () => {
  it('replaces an alert by its id, firing → resolved, and moves it among the resolved, never a duplicate', () => {
    const down = alertFixture({ rule: 'stream_down', startsAt: T0 });
    const late = alertFixture({ rule: 'lag_high', severity: 'warning', startsAt: T0 + 1_000 });
    const older = resolvedCopy(alertFixture({ rule: 'traffic_drop', startsAt: T0 - 90_000 }), T0 - 60_000);
    let data: AlertsData | undefined = { alerts: [late, down, older] };
    data = withAlert(data, resolvedCopy(down, T0 + 30_000));
    expect(data?.alerts.map((a) => [a.rule, a.state])).toEqual([
      ['lag_high', 'firing'],
      ['stream_down', 'resolved'],
      ['traffic_drop', 'resolved'],
    ]);
    expect(data?.alerts.filter((a) => a.id === down.id)).toHaveLength(1);
    expect(data?.alerts[1]?.endsAt).toBe(T0 + 30_000);
  });

  it('adds a new alert firing first, newest first', () => {
    const first = alertFixture({ startsAt: T0 });
    const next = alertFixture({ rule: 'shard_failed', shard: 1, startsAt: T0 + 5_000 });
    expect(withAlert({ alerts: [first] }, next)?.alerts.map((a) => a.id)).toEqual([next.id, first.id]);
  });

  it('keeps a resolved alert resolved when an older firing copy comes late, and changes nothing for a copy that adds nothing', () => {
    const alert = alertFixture();
    const resolved = resolvedCopy(alert, T0 + 10_000);
    expect(mergeAlert(resolved, alert)).toBe(resolved);
    expect(mergeAlert(alert, { ...alert })).toBe(alert);
    const data = { alerts: [resolved] };
    expect(withAlert(data, alert)).toBe(data);
    expect(withAlert(undefined, alert)).toBeUndefined();
  });

  it('sorts as the relay does: firing newest first, then resolved by when they ended', () => {
    const a = resolvedCopy(alertFixture({ startsAt: T0 - 50_000 }), T0 - 10_000);
    const b = resolvedCopy(alertFixture({ startsAt: T0 - 40_000 }), T0 - 20_000);
    const c = alertFixture({ startsAt: T0 - 5_000 });
    const d = alertFixture({ startsAt: T0 - 1_000 });
    expect(sortAlerts([a, b, c, d]).map((x) => x.id)).toEqual([d.id, c.id, a.id, b.id]);
  });
});

// Driven through the live store, as on the page: `alert` events in, the cached alerts out.
describe('alert events in the query cache', () => {
  let t: ReturnType<typeof liveStoreHarness>;
  beforeEach(() => {
    t = liveStoreHarness();
  });

  it('puts an alert event into the cached alerts, and its resolution in its place, without a refetch', () => {
    const earlier = resolvedCopy(alertFixture({ rule: 'lag_high', startsAt: T0 - 600_000 }), T0 - 300_000);
    t.queryClient.setQueryData<AlertsData>(queryKeys.alerts(), { alerts: [earlier] });
    const down = alertFixture({ startsAt: T0 });
    t.transport.emit('alert', down);
    expect(t.queryClient.getQueryData<AlertsData>(queryKeys.alerts())?.alerts.map((a) => [a.id, a.state])).toEqual([
      [down.id, 'firing'],
      [earlier.id, 'resolved'],
    ]);
    t.transport.emit('alert', resolvedCopy(down, T0 + 60_000));
    expect(t.queryClient.getQueryData<AlertsData>(queryKeys.alerts())?.alerts.map((a) => [a.id, a.state])).toEqual([
      [down.id, 'resolved'],
      [earlier.id, 'resolved'],
    ]);
  });

  it('keeps live alerts that arrived while the REST answer was in flight', async () => {
    let answer: (value: AlertsData) => void = () => undefined;
    const fetching = t.queryClient.fetchQuery({
      queryKey: queryKeys.alerts(),
      queryFn: () => new Promise<AlertsData>((resolve) => (answer = resolve)),
    });
    const fired = alertFixture({ rule: 'shard_failed', shard: 1, startsAt: T0 });
    const down = alertFixture({ startsAt: T0 - 30_000 });
    t.transport.emit('alert', fired);
    t.transport.emit('alert', resolvedCopy(down, T0 + 1_000));
    // The answer was written before either event: one alert missing, one still firing in it.
    answer({ alerts: [down] });
    await fetching;
    expect(t.queryClient.getQueryData<AlertsData>(queryKeys.alerts())?.alerts.map((a) => [a.id, a.state])).toEqual([
      [fired.id, 'firing'],
      [down.id, 'resolved'],
    ]);
  });

  it('refetches the alerts when the stream (re)connects: what fired during a gap comes from REST', () => {
    t.queryClient.setQueryData<AlertsData>(queryKeys.alerts(), { alerts: [] });
    t.transport.emit('hello', { status: statusFixture(), lastEventId: null });
    expect(t.queryClient.getQueryState(queryKeys.alerts())?.isInvalidated).toBe(true);
  });

  it('counts an alert event that breaks the contract as malformed, and leaves the cache alone', () => {
    t.queryClient.setQueryData<AlertsData>(queryKeys.alerts(), { alerts: [] });
    t.transport.emit('alert', { id: 'x', rule: 'stream_down', state: 'exploded' });
    t.store.flushNow();
    expect(t.store.getSnapshot().counts.malformed).toBe(1);
    expect(t.queryClient.getQueryData<AlertsData>(queryKeys.alerts())?.alerts).toEqual([]);
  });
});
