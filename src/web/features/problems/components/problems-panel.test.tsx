import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../../contract/index.ts';
import { problemFixture, T0 } from '../../../test/fixtures.ts';
import { setupMockRelay } from '../../../test/mock-server.ts';
import { renderWithProviders } from '../../../test/render.tsx';
import { ProblemsPanel } from './problems-panel.tsx';

const mock = setupMockRelay();

/** The relay's error log holds exactly these (the catalogue is the mock relay's own). */
function logHolds(problems: Problem[]) {
  mock.server.use(http.get(mock.url('/api/problems'), () => HttpResponse.json({ problems })));
}

describe('ProblemsPanel', () => {
  it('lists groups newest first, adds a live problem event without refetching, and keeps filters in the URL', async () => {
    logHolds([
      problemFixture({ code: 'connection_lost', action: 'retry-after', at: T0 }),
      problemFixture({ code: 'stream_not_found', action: 'configuration', status: 404, at: T0 - 1_000 }),
    ]);
    const { transport } = renderWithProviders(<ProblemsPanel relayVersion="0.1.0" />);
    expect((await screen.findAllByTestId('problem-card')).map((c) => c.dataset.code)).toEqual([
      'connection_lost',
      'stream_not_found',
    ]);

    act(() => transport.emit('problem', problemFixture({ code: 'too_many_connections', at: T0 + 5_000 })));
    await waitFor(() =>
      expect(screen.getAllByTestId('problem-card').map((c) => c.dataset.code)).toEqual([
        'too_many_connections',
        'connection_lost',
        'stream_not_found',
      ]),
    );
    expect(mock.requests().filter((r) => r.startsWith('GET /api/problems'))).toHaveLength(1);

    await userEvent.selectOptions(screen.getByTestId('filter-action'), 'configuration');
    expect(location.search).toBe('?action=configuration');
    expect(screen.getAllByTestId('problem-card').map((c) => c.dataset.code)).toEqual(['stream_not_found']);
  });

  it('reads its filters from the URL', async () => {
    history.replaceState(null, '', '/?source=token');
    logHolds([problemFixture({ source: 'upstream' }), problemFixture({ code: 'invalid_client_id', source: 'token' })]);
    renderWithProviders(<ProblemsPanel />);
    expect((await screen.findAllByTestId('problem-card')).map((c) => c.dataset.code)).toEqual(['invalid_client_id']);
    expect(screen.getByTestId<HTMLSelectElement>('filter-source').value).toBe('token');
  });
});
