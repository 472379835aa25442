import { act, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { queryKeys } from '../../../lib/query-keys.ts';
import { setTimeZone } from '../../../lib/time-zone.ts';
import { problemFixture, shardFixture, statusFixture, T0 } from '../../../test/fixtures.ts';
import { setupMockRelay } from '../../../test/mock-server.ts';
import { renderWithProviders, testQueryClient } from '../../../test/render.tsx';
import { ConnectionDetails } from './connection-details.tsx';

const mock = setupMockRelay();

function renderDetails(status = statusFixture()) {
  mock.server.use(http.get(mock.url('/api/status'), () => HttpResponse.json(status)));
  const queryClient = testQueryClient();
  queryClient.setQueryData(queryKeys.status(), status);
  return renderWithProviders(<ConnectionDetails />, { queryClient });
}

describe('ConnectionDetails', () => {
  it('says in full why each shard that is not streaming waits (the map card shows three lines)', () => {
    vi.useFakeTimers({ now: T0, shouldAdvanceTime: true });
    renderDetails(
      statusFixture({
        shards: [
          shardFixture({ shard: 0 }),
          shardFixture({
            shard: 1,
            state: 'waiting',
            since: T0,
            retryAt: T0 + 120_000,
            waitReason: 'too-many-connections',
            problem: problemFixture({ shard: 1 }),
          }),
        ],
      }),
    );
    expect(screen.queryByTestId('shard-detail-reason-0')).toBeNull();
    expect(screen.getByTestId('shard-detail-reason-1').textContent).toBe(
      'Shard 1 waiting Livestream answered 409: another client still holds this connection. Waiting 2 min (longer after each 409, up to 5 min) so the old connection can close.',
    );
  });

  it('names the zone of its times, and follows the UTC switch', () => {
    vi.useFakeTimers({ now: T0, shouldAdvanceTime: true });
    renderDetails(statusFixture({ shards: [shardFixture({ since: Date.UTC(2025, 0, 15, 11, 50, 0) })] }));
    act(() => setTimeZone('utc'));
    const table = screen.getByRole('table');
    expect(within(table).getByRole('columnheader', { name: 'Since (UTC)' })).toBeTruthy();
    expect(within(table).getByText('11:50:00')).toBeTruthy();
  });
});
