import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../../../contract/index.ts';
import { installFakeNotification } from '../../../test/fake-notification.ts';
import { alertFixture } from '../../../test/fixtures.ts';
import { setupMockRelay } from '../../../test/mock-server.ts';
import { renderWithProviders } from '../../../test/render.tsx';
import { NOTIFY_STORAGE_KEY } from '../utils/notification-setting.ts';
import { AlertBanner } from './alert-banner.tsx';

const mock = setupMockRelay();

/** The relay lists exactly these alerts. */
function relayLists(alerts: Alert[]) {
  mock.server.use(http.get(mock.url('/api/alerts'), () => HttpResponse.json({ alerts })));
}

const resolvedCopy = (alert: Alert, endsAt = Date.now()): Alert => ({ ...alert, state: 'resolved', endsAt });

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

describe('AlertBanner', () => {
  it('is not there while nothing fires', async () => {
    relayLists([resolvedCopy(alertFixture({ startsAt: Date.now() - 120_000 }))]);
    renderWithProviders(<AlertBanner />);
    await waitFor(() => expect(mock.requests()).toContain('GET /api/alerts'));
    expect(screen.queryByTestId('alert-banner')).toBeNull();
    // The live region is there all along, so a first alert is read out.
    expect(screen.getByTestId('alerts-announcer').getAttribute('aria-live')).toBe('polite');
  });

  it('shows one line per firing alert: severity in words, summary, since when (UTC, and how long ago), shard', async () => {
    const now = Date.now();
    const failed = alertFixture({
      rule: 'shard_failed',
      shard: 1,
      summary: 'Livestream shard 1 failed: retrying cannot fix it',
      startsAt: now - 180_000,
    });
    const late = alertFixture({
      rule: 'lag_high',
      severity: 'warning',
      summary: 'Hits arrive late: p95 lag 7 min',
      startsAt: now - 30_000,
    });
    relayLists([late, failed]);
    renderWithProviders(<AlertBanner />);
    const banner = await screen.findByTestId('alert-banner');
    expect(banner.className).toContain('alert-banner--critical');
    expect(banner.getAttribute('aria-label')).toBe('2 alerts firing');
    const lines = within(banner).getAllByTestId('alert-line');
    expect(lines.map((l) => [l.dataset.rule, l.dataset.severity])).toEqual([
      ['lag_high', 'warning'],
      ['shard_failed', 'critical'],
    ]);
    const line = lines[1]!;
    expect(within(line).getByTestId('alert-severity').textContent).toBe('critical');
    expect(line.textContent).toContain('Livestream shard 1 failed: retrying cannot fix it');
    expect(line.textContent).toContain('shard 1');
    const since = new Date(failed.startsAt).toISOString().slice(11, 19);
    expect(line.textContent).toContain(`since ${since} UTC, 3 min ago`);
    expect(within(line).getByRole('time').getAttribute('dateTime')).toBe(new Date(failed.startsAt).toISOString());
    expect(within(banner).getByRole('link', { name: 'All alerts' }).getAttribute('href')).toBe('#alerts');
  });

  it('appears when an alert fires, announces it and its resolution, and goes when it resolves', async () => {
    relayLists([]);
    const { transport } = renderWithProviders(<AlertBanner />);
    await waitFor(() => expect(mock.requests()).toContain('GET /api/alerts'));
    const announcer = screen.getByTestId('alerts-announcer');
    await waitFor(() => expect(announcer.textContent).toBe(''));

    const down = alertFixture({
      summary: 'No Livestream data: no shard has been streaming for 5 s',
      startsAt: Date.now(),
    });
    act(() => transport.emit('alert', down));
    const banner = await screen.findByTestId('alert-banner');
    expect(within(banner).getAllByTestId('alert-line')).toHaveLength(1);
    expect(announcer.textContent).toBe(
      'Critical alert firing: No Livestream data: no shard has been streaming for 5 s',
    );

    act(() => transport.emit('alert', resolvedCopy(down)));
    await waitFor(() => expect(screen.queryByTestId('alert-banner')).toBeNull());
    expect(announcer.textContent).toBe('Alert resolved: No Livestream data: no shard has been streaming for 5 s');
  });

  it('notifies an alert that fires while the tab is hidden, once, when the operator opted in', async () => {
    const fake = installFakeNotification('granted');
    restore = fake.restore;
    localStorage.setItem(NOTIFY_STORAGE_KEY, 'on');
    relayLists([alertFixture({ rule: 'lag_high', startsAt: Date.now() - 60_000 })]);
    const { transport } = renderWithProviders(<AlertBanner />);
    await screen.findByTestId('alert-banner');
    // Already firing when the page opened: not news.
    expect(fake.shown).toHaveLength(0);

    // Visible: the banner says it, no notification.
    const seen = alertFixture({ rule: 'traffic_drop', severity: 'warning', startsAt: Date.now() });
    act(() => transport.emit('alert', seen));
    await waitFor(() => expect(screen.getAllByTestId('alert-line')).toHaveLength(2));
    expect(fake.shown).toHaveLength(0);

    fake.setVisibility('hidden');
    const failed = alertFixture({
      rule: 'shard_failed',
      shard: 1,
      summary: 'Livestream shard 1 failed: retrying cannot fix it',
      description: 'Livestream denied access to this stream (403).\nThe relay will not retry this shard on its own.',
      startsAt: Date.now(),
    });
    act(() => transport.emit('alert', failed));
    await waitFor(() => expect(fake.shown).toHaveLength(1));
    expect(fake.shown[0]).toMatchObject({
      title: 'Critical: Livestream shard 1 failed: retrying cannot fix it',
      options: { body: 'Livestream denied access to this stream (403).', tag: failed.id },
    });
    // The same alert again, and its resolution: no second notification.
    act(() => transport.emit('alert', { ...failed }));
    act(() => transport.emit('alert', resolvedCopy(failed)));
    await waitFor(() => expect(screen.getAllByTestId('alert-line')).toHaveLength(2));
    expect(fake.shown).toHaveLength(1);
    // A click brings the page back and closes it.
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => undefined);
    fake.shown[0]!.onclick?.(new Event('click'));
    expect(focus).toHaveBeenCalled();
    expect(fake.shown[0]!.closed).toBe(true);
  });

  it('does not notify without the opt-in, even with the permission granted and the tab hidden', async () => {
    const fake = installFakeNotification('granted');
    restore = fake.restore;
    fake.setVisibility('hidden');
    relayLists([]);
    const { transport } = renderWithProviders(<AlertBanner />);
    await waitFor(() => expect(mock.requests()).toContain('GET /api/alerts'));
    await waitFor(() => expect(screen.getByTestId('alerts-announcer')).toBeTruthy());
    act(() => transport.emit('alert', alertFixture({ startsAt: Date.now() })));
    await screen.findByTestId('alert-banner');
    expect(fake.shown).toHaveLength(0);
  });
});
