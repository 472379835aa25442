import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ALERT_HISTORY_MS, type Alert } from '../../../../contract/index.ts';
import { alertFixture } from '../../../test/fixtures.ts';
import { setupMockRelay } from '../../../test/mock-server.ts';
import { renderWithProviders } from '../../../test/render.tsx';
import { AlertsPanel, RESOLVED_SHOWN } from './alerts-panel.tsx';

const mock = setupMockRelay();

function relayLists(alerts: Alert[]) {
  mock.server.use(http.get(mock.url('/api/alerts'), () => HttpResponse.json({ alerts })));
}

const utc = (ms: number) =>
  `${new Date(ms).toISOString().slice(0, 10)} ${new Date(ms).toISOString().slice(11, 19)} UTC`;

describe('AlertsPanel', () => {
  it('lists the last 24 h: firing first in full, then resolved newest first, each opening to the whole alert', async () => {
    const now = Date.now();
    const late = alertFixture({
      rule: 'lag_high',
      severity: 'warning',
      summary: 'Hits arrive late: p95 lag 7 min',
      description: 'The delay is upstream of the relay.',
      startsAt: now - 125_000,
    });
    const drop = alertFixture({
      rule: 'traffic_drop',
      severity: 'warning',
      state: 'resolved',
      summary: 'Traffic down 71 %',
      startsAt: now - 600_000,
      endsAt: now - 572_000,
    });
    const failed = alertFixture({
      rule: 'shard_failed',
      shard: 1,
      state: 'resolved',
      summary: 'Livestream shard 1 failed: retrying cannot fix it',
      description: 'Livestream denied access to this stream (403).',
      startsAt: now - 3_600_000,
      endsAt: now - 60_000,
    });
    const yesterday = alertFixture({
      state: 'resolved',
      startsAt: now - ALERT_HISTORY_MS - 600_000,
      endsAt: now - ALERT_HISTORY_MS - 1_000,
    });
    relayLists([late, failed, drop, yesterday]);
    renderWithProviders(<AlertsPanel />);
    const panel = await screen.findByRole('region', { name: 'Alerts' });
    await within(panel).findByTestId('alerts-summary');
    expect(within(panel).getByTestId('alerts-summary').textContent).toBe(
      'Last 24 h: 1 alert firing, 2 resolved; firing first, newest first. Times in UTC.',
    );
    const list = within(panel).getByRole('list', { name: 'Alert history' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(3);

    // Firing: in full.
    const firing = within(items[0]!).getByRole('article', { name: 'lag_high' });
    expect(within(firing).getByTestId('alert-severity').textContent).toBe('warning');
    expect(within(firing).getByTestId('alert-state').textContent).toBe('firing');
    expect(firing.textContent).toContain('Hits arrive late: p95 lag 7 min');
    expect(firing.textContent).toContain('The delay is upstream of the relay.');
    expect(firing.textContent).toContain(`Started${utc(late.startsAt)}`);
    expect(firing.textContent).toContain('Endedstill firing');
    expect(firing.textContent).toMatch(/Duration2 min \d s so far/);

    // Resolved: the most recently ended first, collapsed to one line that opens.
    const resolved = within(list).getAllByTestId('alert-resolved');
    expect(resolved.map((d) => d.dataset.rule)).toEqual(['shard_failed', 'traffic_drop']);
    const summary = resolved[0]!.querySelector('summary')!;
    expect(summary.textContent).toContain('Livestream shard 1 failed: retrying cannot fix it');
    expect(summary.textContent).toContain('after 59 min');
    await userEvent.click(summary);
    expect(resolved[0]!.hasAttribute('open')).toBe(true);
    const entry = within(resolved[0]!).getByRole('article', { name: 'shard_failed' });
    expect(entry.textContent).toContain('shard 1');
    expect(entry.textContent).toContain('Livestream denied access to this stream (403).');
    expect(entry.textContent).toContain(`Ended${utc(failed.endsAt!)}`);
    expect(entry.textContent).toContain('Duration59 min');
  });

  it('moves an alert from firing to resolved when its resolution arrives on the stream', async () => {
    relayLists([]);
    const { transport } = renderWithProviders(<AlertsPanel />);
    const panel = await screen.findByRole('region', { name: 'Alerts' });
    await within(panel).findByTestId('alerts-empty');
    const down = alertFixture({ startsAt: Date.now() - 5_000 });
    act(() => transport.emit('alert', down));
    await within(panel).findByRole('article', { name: 'stream_down' });
    act(() => transport.emit('alert', { ...down, state: 'resolved', endsAt: Date.now() }));
    await waitFor(() =>
      expect(
        within(panel)
          .getAllByTestId('alert-resolved')
          .map((d) => d.dataset.rule),
      ).toEqual(['stream_down']),
    );
    expect(within(panel).getByTestId('alerts-summary').textContent).toContain('0 alerts firing, 1 resolved');
  });

  it('says what it will list when there is nothing yet', async () => {
    relayLists([]);
    renderWithProviders(<AlertsPanel />);
    expect((await screen.findByTestId('alerts-empty')).textContent).toMatch(/^No alert in the last 24 h/);
    // The opt-in stays reachable whether or not anything fired.
    expect(screen.getByTestId('alerts-notify-state').textContent).toMatch(/cannot show notifications/);
  });
});

describe('AlertsPanel, a long day', () => {
  it('lists the newest resolved alerts, and the older ones on request, the keyboard going on from the first shown', async () => {
    const now = Date.now();
    const resolved = Array.from({ length: 13 }, (_, i) =>
      alertFixture({ state: 'resolved', startsAt: now - (i + 2) * 600_000, endsAt: now - (i + 1) * 600_000 }),
    );
    relayLists(resolved);
    renderWithProviders(<AlertsPanel />);
    await screen.findByTestId('alerts-summary');
    expect(screen.getAllByTestId('alert-resolved')).toHaveLength(RESOLVED_SHOWN);
    await userEvent.click(screen.getByRole('button', { name: 'Show 3 older resolved alerts' }));
    expect(screen.getAllByTestId('alert-resolved')).toHaveLength(13);
    expect(screen.queryByTestId('alerts-show-all')).toBeNull();
    expect(document.activeElement).toBe(
      screen.getAllByTestId('alert-resolved')[RESOLVED_SHOWN]!.querySelector('summary'),
    );
  });
});
