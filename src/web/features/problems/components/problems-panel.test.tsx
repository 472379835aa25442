import { act, screen, waitFor, within } from '@testing-library/react';
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

  it('lists active error objects first, in full, and resolved ones after, collapsed with "resolved <time>"', async () => {
    // A connection lost four times, all resolved when the shard streamed again; a 409 still active.
    const resolved = Array.from({ length: 4 }, (_, i) =>
      problemFixture({ code: 'connection_lost', action: 'retry-after', at: T0 + i * 1_000, resolvedAt: T0 + 90_000 }),
    );
    const active = problemFixture({ code: 'too_many_connections', at: T0 - 60_000 });
    logHolds([...resolved.reverse(), active]);
    renderWithProviders(<ProblemsPanel />);
    const cards = await screen.findAllByTestId('problem-card');
    expect(cards.map((c) => [c.dataset.code, c.dataset.lifecycle])).toEqual([
      ['too_many_connections', 'active'],
      ['connection_lost', 'resolved'],
    ]);
    // The old, recovered failure does not lead, and its advice is not shown until asked for.
    const disclosure = screen.getByTestId('problem-resolved');
    expect(disclosure.tagName).toBe('DETAILS');
    expect(disclosure.hasAttribute('open')).toBe(false);
    const summary = within(disclosure).getByText(/4 times, resolved/);
    expect(summary.querySelector('time')?.getAttribute('datetime')).toBe(new Date(T0 + 90_000).toISOString());
    expect(within(cards[1]!).getByTestId('problem-guidance').textContent).toMatch(/^Resolved .*nothing to do/);
    expect(within(cards[1]!).getByTestId('problem-guidance').textContent).not.toContain('Wait');
    expect(within(cards[1]!).queryByTestId('problem-ack')).toBeNull();
    expect(within(cards[0]!).getByTestId('problem-lifecycle').textContent).toBe('active');
    expect(screen.getByTestId('problems-summary').textContent).toContain('1 active error object, 4 resolved');
    await userEvent.click(summary);
    expect(disclosure.hasAttribute('open')).toBe(true);
  });

  it('says nothing is active when every error object is resolved', async () => {
    logHolds([problemFixture({ code: 'connection_lost', resolvedAt: T0 })]);
    renderWithProviders(<ProblemsPanel />);
    expect((await screen.findByTestId('problems-all-clear')).textContent).toMatch(/^No active error objects/);
    expect(screen.getAllByTestId('problem-card').map((c) => c.dataset.lifecycle)).toEqual(['resolved']);
  });

  it('moves an error object to resolved when the relay sends it again with resolvedAt (same id, no duplicate)', async () => {
    const lost = problemFixture({ code: 'connection_lost', action: 'retry-after', at: T0 });
    logHolds([lost]);
    const { transport } = renderWithProviders(<ProblemsPanel />);
    expect((await screen.findByTestId('problem-card')).dataset.lifecycle).toBe('active');
    act(() => transport.emit('problem', { ...lost, resolvedAt: T0 + 61_000 }));
    await waitFor(() => expect(screen.getByTestId('problem-card').dataset.lifecycle).toBe('resolved'));
    expect(screen.getAllByTestId('problem-card')).toHaveLength(1);
    expect(screen.getByTestId('problem-count').textContent).toBe('once');
  });

  it('acknowledges every unacknowledged occurrence of a card and then says when', async () => {
    const first = problemFixture({ code: 'stream_access_denied', status: 403, action: 'configuration', at: T0 });
    const second = problemFixture({ code: 'stream_access_denied', status: 403, action: 'configuration', at: T0 + 1 });
    logHolds([second, first]);
    const acked: string[] = [];
    mock.server.use(
      http.post(mock.url('/api/problems/:id/ack'), ({ params }) => {
        const id = String(params.id);
        acked.push(id);
        const problem = [first, second].find((p) => p.id === id)!;
        return HttpResponse.json({ problem: { ...problem, acknowledgedAt: T0 + 5_000 } });
      }),
    );
    renderWithProviders(<ProblemsPanel />);
    await userEvent.click(await screen.findByRole('button', { name: 'Acknowledge' }));
    const acknowledged = await screen.findByTestId('problem-acknowledged');
    expect(acknowledged.textContent).toMatch(/^acknowledged /);
    expect(acknowledged.querySelector('time')?.getAttribute('datetime')).toBe(new Date(T0 + 5_000).toISOString());
    expect(acked.sort()).toEqual([first.id, second.id].sort());
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    // Acknowledged is not resolved: it stays active.
    expect(screen.getByTestId('problem-card').dataset.lifecycle).toBe('active');
  });

  it('offers only the actions and sources present in the list as filters', async () => {
    logHolds([
      problemFixture({ action: 'retry-after', source: 'upstream' }),
      problemFixture({ code: 'invalid_client_id', action: 'application-registration', source: 'token' }),
    ]);
    renderWithProviders(<ProblemsPanel />);
    await screen.findAllByTestId('problem-card');
    const optionsOf = (testId: string) =>
      [...screen.getByTestId<HTMLSelectElement>(testId).options].map((o) => o.value).filter(Boolean);
    expect(optionsOf('filter-action').sort()).toEqual(['application-registration', 'retry-after']);
    expect(optionsOf('filter-source').sort()).toEqual(['token', 'upstream']);
  });

  it('reads its filters from the URL', async () => {
    history.replaceState(null, '', '/?source=token');
    logHolds([problemFixture({ source: 'upstream' }), problemFixture({ code: 'invalid_client_id', source: 'token' })]);
    renderWithProviders(<ProblemsPanel />);
    expect((await screen.findAllByTestId('problem-card')).map((c) => c.dataset.code)).toEqual(['invalid_client_id']);
    expect(screen.getByTestId<HTMLSelectElement>('filter-source').value).toBe('token');
  });
});
