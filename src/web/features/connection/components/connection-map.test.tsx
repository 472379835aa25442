import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { queryKeys } from '../../../lib/query-keys.ts';
import { relayClock } from '../../../lib/relay-clock.ts';
import { setTimeZone } from '../../../lib/time-zone.ts';
import { problemFixture, shardFixture, statusFixture, T0, topFixture } from '../../../test/fixtures.ts';
import { setupMockRelay } from '../../../test/mock-server.ts';
import { renderWithProviders, testQueryClient } from '../../../test/render.tsx';
import { ConnectionMap } from './connection-map.tsx';

const mock = setupMockRelay();

/** The relay's status is `status`: on `GET /api/status`, and already in the cache as after the first load. */
function renderMap(status = statusFixture()) {
  mock.server.use(http.get(mock.url('/api/status'), () => HttpResponse.json(status)));
  const queryClient = testQueryClient();
  queryClient.setQueryData(queryKeys.status(), status);
  return renderWithProviders(<ConnectionMap />, { queryClient });
}

describe('ConnectionMap', () => {
  it('shows every shard with its state word, and the badges', () => {
    vi.useFakeTimers({ now: T0, shouldAdvanceTime: true });
    renderMap(
      statusFixture({
        relay: { cooldownS: 5 },
        shards: [
          shardFixture({ shard: 0 }),
          shardFixture({ shard: 1, state: 'waiting', since: T0, retryAt: T0 + 42_000, waitReason: 'lost' }),
          shardFixture({
            shard: 2,
            state: 'failed',
            problem: problemFixture({ code: 'stream_not_found', status: 404, action: 'configuration', shard: 2 }),
          }),
        ],
      }),
    );
    expect(screen.getByTestId('shard-state-0').textContent).toBe('streaming');
    expect(screen.getByTestId('shard-state-1').textContent).toBe('waiting');
    expect(screen.getByTestId('shard-countdown-1').querySelector('time')?.textContent).toBe('42 s');
    expect(screen.getByTestId('shard-reason-1').textContent).toContain('after a lost connection');
    expect(within(screen.getByTestId('shard-problem-2')).getByText('stream_not_found')).toBeTruthy();
    expect(screen.getByTestId('badge-simulator').textContent).toBe('simulator');
    expect(screen.getByTestId('badge-cooldown').textContent).toBe("cooldown 5 s (below Adobe's 60 s advice)");
    expect(screen.queryByTestId('reconnect-0')).toBeNull();
    expect(screen.getByTestId('reconnect-2')).toBeTruthy();
  });

  it('says when the relay shares the stream with others, and whether it holds the connection', () => {
    const { unmount } = renderMap(statusFixture({ relay: { cluster: { relayId: 'relay-ab12', holds: [0] } } }));
    expect(screen.getByTestId('relay-cluster').textContent).toBe('shared stream · holds shard 0');
    unmount();
    renderMap(
      statusFixture({
        relay: { cluster: { relayId: 'relay-cd34', holds: [] } },
        shards: [shardFixture({ shard: 0, state: 'waiting', since: T0, retryAt: T0 + 60_000, waitReason: 'takeover' })],
      }),
    );
    expect(screen.getByTestId('relay-cluster').textContent).toBe('shared stream · standing by');
    expect(screen.getByTestId('shard-reason-0').textContent).toContain('took the connection over from another relay');
  });

  it('disables Reconnect now until the cooldown ends, then shows a refused reconnect’s Problem', async () => {
    vi.useFakeTimers({ now: T0, shouldAdvanceTime: true });
    relayClock.observe(T0, T0);
    const problem = problemFixture({
      status: 429,
      code: 'too_many_requests',
      action: 'retry-after',
      retryAfter: 30,
      source: 'relay',
    });
    mock.server.use(
      http.post(mock.url('/api/upstream/0/reconnect'), () =>
        HttpResponse.json({ error: problem }, { status: 429, headers: { 'retry-after': '30' } }),
      ),
    );
    renderMap(
      statusFixture({
        shards: [shardFixture({ state: 'waiting', since: T0, retryAt: T0 + 300_000, cooldownUntil: T0 + 2_000 })],
      }),
    );
    const button = screen.getByTestId<HTMLButtonElement>('reconnect-0');
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe('Reconnect now (in 2 s)');
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(button.disabled).toBe(false);
    await userEvent.click(button);
    expect((await screen.findByTestId('reconnect-problem-0')).textContent).toContain('too_many_requests');
  });

  it('shows the browser link retrying with its own countdown', async () => {
    vi.useFakeTimers({ now: T0, shouldAdvanceTime: true });
    const { transport, frames } = renderMap();
    act(() => {
      transport.link({ state: 'retrying', attempt: 2, retryAt: Date.now() + 4_000 });
      frames.flush();
    });
    expect(screen.getByTestId('link-state').textContent).toBe('retrying');
    expect(screen.getByTestId('link-countdown').querySelector('time')?.textContent).toBe('4 s');
    await userEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(transport.retries).toBe(1);
  });

  it('greys the shards as "last known" while the link to the relay is down, with no stale rate', () => {
    vi.useFakeTimers({ now: T0, shouldAdvanceTime: true });
    setTimeZone('utc');
    const { transport, frames } = renderMap(statusFixture({ shards: [shardFixture({ state: 'streaming' })] }));
    act(() => {
      transport.link({ state: 'open' });
      transport.emit('stats', {
        t: T0 / 1000,
        hits: 42,
        duplicates: 0,
        malformed: 0,
        bytes: 1,
        clients: 1,
        byShard: [42],
      });
      frames.flush();
    });
    expect(screen.getByTestId('shard-card-0').dataset.stale).toBeUndefined();
    expect(screen.getByTestId('shard-card-0').textContent).toContain('42 hits/s');
    act(() => {
      transport.link({ state: 'retrying', attempt: 1, retryAt: Date.now() + 4_000 });
      frames.flush();
    });
    const card = screen.getByTestId('shard-card-0');
    expect(card.dataset.stale).toBe('true');
    expect(screen.getByTestId('shard-stale-0').textContent).toBe('last known');
    expect(card.textContent).not.toContain('hits/s');
    expect(screen.getByTestId('livestream-stale').textContent).toMatch(/last known, as of \d\d:\d\d:\d\d UTC/);
    act(() => {
      transport.link({ state: 'open' });
      frames.flush();
    });
    expect(screen.getByTestId('shard-card-0').dataset.stale).toBeUndefined();
    expect(screen.queryByTestId('livestream-stale')).toBeNull();
    setTimeZone('local');
  });

  it('names the report suite the stream carries, from the 5-minute top lists', () => {
    const { transport, frames } = renderMap();
    expect(screen.queryByTestId('report-suites')).toBeNull();
    act(() => {
      transport.emit('top', {
        windows: [
          {
            ...topFixture(300),
            reportSuites: [
              { key: 'summitoutfittersprod', count: 90 },
              { key: '(other)', count: 1 },
            ],
          },
        ],
      });
      frames.flush();
    });
    expect(screen.getByTestId('report-suites').textContent).toBe('summitoutfittersprod');
  });

  it('gives every shard card the same five rows whatever its state, so the header keeps its height', () => {
    vi.useFakeTimers({ now: T0, shouldAdvanceTime: true });
    renderMap(
      statusFixture({
        shards: [
          shardFixture({ shard: 0 }),
          shardFixture({
            shard: 1,
            state: 'waiting',
            since: T0,
            retryAt: T0 + 42_000,
            waitReason: 'too-many-connections',
            problem: problemFixture({ shard: 1 }),
          }),
          shardFixture({ shard: 2, state: 'stalled', since: T0 - 20_000 }),
          shardFixture({ shard: 3, state: 'connecting', since: T0 - 1_000, attempt: 2 }),
        ],
      }),
    );
    for (const n of [0, 1, 2, 3]) {
      const card = screen.getByTestId(`shard-card-${n}`);
      expect(
        [...card.children].map((row) => row.className),
        `shard ${n}`,
      ).toEqual([
        'shard-card__head',
        'shard-card__status',
        'shard-card__reason',
        'shard-card__problem',
        'shard-card__actions',
      ]);
      // Every card says why it is in its state, a streaming one included.
      expect(screen.getByTestId(`shard-reason-${n}`).textContent).not.toBe('');
    }
    expect(screen.getByTestId('shard-reason-0').textContent).toMatch(
      /^Stream open since \d\d:\d\d:\d\d \S+ \(10 min ago\); attempt 0\.$/,
    );
    // The whole sentence is in the tooltip too: the card shows up to three lines of it.
    const reason = screen.getByTestId('shard-reason-1');
    expect(reason.getAttribute('title')).toBe(reason.textContent);
    expect(reason.textContent).toContain('Livestream answered 409');
    // The countdown sits in the status row, the error code under the reason.
    expect(within(screen.getByTestId('shard-card-1')).getByTestId('shard-countdown-1')).toBeTruthy();
    expect(within(screen.getByTestId('shard-problem-1')).getByText('too_many_connections')).toBeTruthy();
  });

  it('keeps a card’s place while the status loads', () => {
    mock.server.use(http.get(mock.url('/api/status'), () => new Promise<never>(() => {})));
    const view = renderWithProviders(<ConnectionMap />);
    const shards = screen.getByRole('list', { name: 'Shards' });
    expect(shards.getAttribute('aria-busy')).toBe('true');
    expect(view.container.querySelectorAll('.shard-card--placeholder')).toHaveLength(1);
    expect(within(shards).queryAllByRole('listitem')).toHaveLength(0);
  });

  it('opens what to do over the page, and a refused reconnect until dismissed', async () => {
    vi.useFakeTimers({ now: T0, shouldAdvanceTime: true });
    relayClock.observe(T0, T0);
    const problem = problemFixture({ status: 429, code: 'too_many_requests', action: 'retry-after', source: 'relay' });
    mock.server.use(
      http.post(mock.url('/api/upstream/0/reconnect'), () => HttpResponse.json({ error: problem }, { status: 429 })),
    );
    renderMap(
      statusFixture({
        shards: [
          shardFixture({
            state: 'waiting',
            since: T0,
            retryAt: T0 + 300_000,
            waitReason: 'too-many-connections',
            problem: problemFixture(),
          }),
        ],
      }),
    );
    const details = within(screen.getByTestId('shard-card-0')).getByText('What to do').closest('details')!;
    expect(details.querySelector('.shard-card__popover')?.textContent).toContain('reconnects by itself');
    await userEvent.click(screen.getByTestId('reconnect-0'));
    const refused = await screen.findByTestId('reconnect-problem-0');
    expect(refused.className).toContain('shard-card__popover');
    await userEvent.click(within(refused).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('reconnect-problem-0')).toBeNull();
  });

  it("gives a failed shard its code's own guidance: a 403 points at the product profile", () => {
    renderMap(
      statusFixture({
        shards: [
          shardFixture({
            state: 'failed',
            since: T0,
            problem: problemFixture({ code: 'stream_access_denied', status: 403, action: 'configuration' }),
          }),
        ],
      }),
    );
    const details = within(screen.getByTestId('shard-card-0')).getByText('What to do').closest('details')!;
    expect(details.querySelector('.shard-card__popover')?.textContent).toContain('Admin Console');
  });

  it('writes times in UTC once the switch says so', () => {
    vi.useFakeTimers({ now: T0, shouldAdvanceTime: true });
    renderMap(statusFixture({ shards: [shardFixture({ connectedAt: Date.UTC(2025, 0, 15, 11, 50, 0) })] }));
    const reason = screen.getByTestId('shard-reason-0');
    act(() => setTimeZone('utc'));
    expect(reason.textContent).toContain('since 11:50:00 UTC');
  });
});
