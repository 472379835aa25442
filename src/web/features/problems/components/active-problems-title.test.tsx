import { act, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { queryKeys } from '../../../lib/query-keys.ts';
import { problemFixture, statusFixture, T0 } from '../../../test/fixtures.ts';
import { setupMockRelay } from '../../../test/mock-server.ts';
import { renderWithProviders } from '../../../test/render.tsx';
import { ActiveProblemsTitle } from './active-problems-title.tsx';

const mock = setupMockRelay();

afterEach(() => {
  document.title = 'Livestream Monitor';
});

describe('the page title counts active error objects', () => {
  it('shows "(2) Livestream Monitor" for two active, follows resolutions, and is bare when none is active', async () => {
    const lost = problemFixture({ code: 'connection_lost', at: T0 });
    const refused = problemFixture({ code: 'service_unavailable', at: T0 - 1_000 });
    const old = problemFixture({ code: 'stream_stalled', at: T0 - 60_000, resolvedAt: T0 - 30_000 });
    mock.server.use(http.get(mock.url('/api/problems'), () => HttpResponse.json({ problems: [lost, refused, old] })));
    document.title = 'Livestream Monitor';
    const { transport, unmount } = renderWithProviders(<ActiveProblemsTitle />);
    await waitFor(() => expect(document.title).toBe('(2) Livestream Monitor'));

    act(() => transport.emit('problem', { ...lost, resolvedAt: T0 + 60_000 }));
    await waitFor(() => expect(document.title).toBe('(1) Livestream Monitor'));
    act(() => transport.emit('problem', { ...refused, resolvedAt: T0 + 60_000 }));
    await waitFor(() => expect(document.title).toBe('Livestream Monitor'));

    act(() => transport.emit('problem', problemFixture({ code: 'connection_lost', at: T0 + 90_000 })));
    await waitFor(() => expect(document.title).toBe('(1) Livestream Monitor'));
    unmount();
    expect(document.title).toBe('Livestream Monitor');
  });

  it("counts active error objects beyond the newest the list holds, from the relay's live total", async () => {
    // The list is full (the newest 200, one of them active): older active ones are beyond it.
    const full = [
      problemFixture({ at: T0 }),
      ...Array.from({ length: 199 }, (_, i) => problemFixture({ at: T0 - 1_000 - i, resolvedAt: T0 })),
    ];
    mock.server.use(http.get(mock.url('/api/problems'), () => HttpResponse.json({ problems: full })));
    const { transport, queryClient } = renderWithProviders(<ActiveProblemsTitle />);
    queryClient.setQueryData(queryKeys.status(), statusFixture());
    await waitFor(() => expect(document.title).toBe('(1) Livestream Monitor'));
    act(() =>
      transport.emit('counters', {
        at: T0 + 1_000,
        counters: { hits: 1, duplicates: 0, malformed: 0, reconnects: 0, bytes: 1, activeProblems: 240 },
        clients: 1,
        shardHits: [1],
      }),
    );
    await waitFor(() => expect(document.title).toBe('(240) Livestream Monitor'));
  });

  it('trusts a list shorter than its limit: it is the whole log, whatever an older status said', async () => {
    mock.server.use(
      http.get(mock.url('/api/problems'), () =>
        HttpResponse.json({ problems: [problemFixture({ at: T0, resolvedAt: T0 + 1 })] }),
      ),
    );
    const { queryClient } = renderWithProviders(<ActiveProblemsTitle />);
    const status = statusFixture();
    queryClient.setQueryData(queryKeys.status(), { ...status, counters: { ...status.counters, activeProblems: 1 } });
    await waitFor(() => expect(document.title).toBe('Livestream Monitor'));
  });
});
