import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { makeProblem, type Status } from '../../contract/index.ts';
import { FakeTransport, manualScheduler } from '../test/fake-transport.ts';
import { hitFixture } from '../test/fixtures.ts';
import { getJson, setupMockRelay } from '../test/mock-server.ts';
import { testQueryClient } from '../test/render.tsx';
import { App } from './app.tsx';

// REST comes from the mock relay playing "shards-partial": four shards, one of them waiting, and
// its error objects. The stream is a fake transport the tests drive.
const mock = setupMockRelay('shards-partial');

/** The mock relay's status, and the shard it has waiting. */
async function relayStatus() {
  const status = await getJson<Status>('/api/status');
  const waiting = status.shards.find((shard) => shard.state === 'waiting');
  if (!waiting) throw new Error('the scenario should have a waiting shard');
  return { status, waiting };
}

function renderApp() {
  const transport = new FakeTransport();
  const frames = manualScheduler();
  render(<App transport={transport} queryClient={testQueryClient()} scheduler={frames.scheduler} />);
  return { transport, frames };
}

describe('<App/>', () => {
  it('renders its layout from the relay: header with the connection map, main panels, footer', async () => {
    const { status, waiting } = await relayStatus();
    const { transport } = renderApp();
    expect(transport.started).toBe(1);

    const header = screen.getByTestId('app-header');
    expect(header.tagName).toBe('HEADER');
    expect(within(header).getByRole('heading', { level: 1, name: 'Livestream Monitor' })).toBeTruthy();
    expect(within(header).getByRole('region', { name: 'Connection map' })).toBeTruthy();
    expect(within(header).getByTestId('link-state')).toBeTruthy();
    expect(await within(header).findByTestId('shard-card-0')).toBeTruthy();
    expect(within(header).getByTestId(`shard-state-${waiting.shard}`).textContent).toBe('waiting');
    expect(within(header).getByTestId(`shard-countdown-${waiting.shard}`)).toBeTruthy();
    expect(within(header).getByTestId('badge-simulator')).toBeTruthy();
    expect(within(header).getByRole('button', { name: /Pause feed and charts/ })).toBeTruthy();
    expect(within(header).getByRole('group', { name: 'Theme' })).toBeTruthy();

    const main = screen.getByRole('main');
    expect(within(main).getByRole('heading', { name: 'Traffic' })).toBeTruthy();
    expect(within(main).getByRole('heading', { name: 'Live feed' })).toBeTruthy();
    expect(within(main).getByRole('heading', { name: 'Error objects' })).toBeTruthy();
    expect(within(main).getByRole('heading', { name: 'Alerts' })).toBeTruthy();
    expect(within(main).getByRole('heading', { name: 'Connection details' })).toBeTruthy();
    expect((await within(main).findAllByTestId('problem-card')).length).toBeGreaterThan(0);
    // Shard 2's error objects are active: a background tab shows how many in its title.
    await waitFor(() => expect(document.title).toMatch(/^\(\d+\) Livestream Monitor$/));

    expect(screen.getByRole('contentinfo').textContent).toContain(`Relay ${status.relay.version}`);
    // A CSS query: a role query walks the whole (large) page's accessibility tree in jsdom.
    expect(document.querySelectorAll('[role="status"][aria-live="polite"]').length).toBeGreaterThan(0);
  });

  it('announces a waiting shard politely once', async () => {
    const { waiting } = await relayStatus();
    renderApp();
    await waitFor(() =>
      expect(screen.getByTestId('announcer').textContent).toContain(`Shard ${waiting.shard} waiting`),
    );
  });

  it('shows live link state from the transport and pauses with the P key', async () => {
    const { transport, frames } = renderApp();
    act(() => {
      transport.link({ state: 'open' });
      frames.flush();
    });
    expect(screen.getByTestId('link-state').textContent).toBe('connected');
    const pause = screen.getByTestId('pause-toggle');
    expect(pause.getAttribute('aria-pressed')).toBe('false');
    await userEvent.keyboard('p');
    expect(pause.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('paused-count').textContent).toContain('0 new');
    await userEvent.keyboard('p');
    expect(pause.getAttribute('aria-pressed')).toBe('false');
  });

  it('asks for the dashboard password when the relay wants it, then loads', async () => {
    let signedIn = false;
    const problem = makeProblem({ code: 'dashboard_authentication_required', source: 'relay' });
    mock.server.use(
      // Signed in, the relay's own status answers.
      http.get(mock.url('/api/status'), () =>
        signedIn ? undefined : HttpResponse.json({ error: problem }, { status: 401 }),
      ),
      http.post(mock.url('/api/login'), async ({ request }) => {
        const { password } = (await request.json()) as { password: string };
        if (password !== 'secret') return HttpResponse.json({ error: problem }, { status: 401 });
        signedIn = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { transport } = renderApp();
    const input = await screen.findByLabelText('Password');
    await userEvent.type(input, 'wrong{Enter}');
    expect(await screen.findByText('Wrong password.')).toBeTruthy();
    await userEvent.clear(input);
    await userEvent.type(input, 'secret{Enter}');
    expect(await screen.findByRole('heading', { name: 'Error objects' })).toBeTruthy();
    expect(transport.retries).toBe(1);
  });

  it('feeds the live panels from the store, with one update per frame, and keeps the window in the URL', async () => {
    history.replaceState(null, '', '/?window=300');
    const { transport, frames } = renderApp();
    act(() => {
      transport.link({ state: 'open' });
      for (let i = 0; i < 20; i++)
        transport.emit('hits', {
          hits: [hitFixture(i * 2 + 1), hitFixture(i * 2 + 2)],
          sampled: { kept: 2, total: 20 },
        });
      frames.flush();
    });
    expect(screen.getByTestId('feed-count').textContent).toBe('40 hits');
    // The marker's text is read, not watched: it follows within a second (useSteady).
    expect((await screen.findByTestId('feed-sampled')).textContent).toContain('received 400, shown 40');
    const windows = within(screen.getByRole('group', { name: 'Time window' })).getAllByRole('button');
    // 5 min, 15 min, 1 h live; 6 h, 24 h, 7 d, 30 d from the history.
    expect(windows.map((b) => b.textContent)).toEqual(['5 min', '15 min', '1 h', '6 h', '24 h', '7 d', '30 d']);
    expect(windows.map((b) => b.getAttribute('aria-pressed'))).toEqual([
      'true',
      'false',
      'false',
      'false',
      'false',
      'false',
      'false',
    ]);
    await userEvent.click(windows[2]!);
    expect(new URLSearchParams(location.search).get('window')).toBe('3600');
    expect(windows[2]!.getAttribute('aria-pressed')).toBe('true');
    await userEvent.type(screen.getByRole('searchbox'), 'page 7');
    expect(new URLSearchParams(location.search).get('q')).toBe('page 7');
  });
});
