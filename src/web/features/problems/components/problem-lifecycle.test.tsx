import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ProblemsResponseSchema } from '../../../../contract/index.ts';
import { getJson, setupMockRelay } from '../../../test/mock-server.ts';
import { renderWithProviders } from '../../../test/render.tsx';
import { ProblemsPanel } from './problems-panel.tsx';

// The mock relay runs the relay's own core: "shards-partial" has shard 2 waiting on a 503, its
// error objects active; Acknowledge goes to the core's POST /api/problems/:id/ack.
setupMockRelay('shards-partial');

describe('error objects of a running relay (mock host)', () => {
  it('acknowledges an active error object on the relay: the card says so, and the relay log keeps it', async () => {
    // The relay's ten minutes of history are played before its first answer.
    await getJson('/api/status');
    renderWithProviders(<ProblemsPanel />);
    const cards = await screen.findAllByTestId('problem-card', {}, { timeout: 5_000 });
    const card = cards.find((c) => c.dataset.code === 'service_unavailable')!;
    expect(card.dataset.lifecycle).toBe('active');
    await userEvent.click(within(card).getByRole('button', { name: 'Acknowledge' }));
    await waitFor(() => expect(within(card).getByTestId('problem-acknowledged').textContent).toMatch(/^acknowledged /));
    const { problems } = ProblemsResponseSchema.parse(await getJson('/api/problems?limit=50'));
    const refusals = problems.filter((p) => p.code === 'service_unavailable');
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((p) => p.acknowledgedAt !== undefined && p.resolvedAt === undefined)).toBe(true);
  }, 20_000);
});
