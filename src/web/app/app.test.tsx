import { act, screen, waitFor, within } from '@testing-library/react';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { catalogDocument, makeProblem } from '../../contract/index.ts';
import { FakeTransport, manualScheduler } from '../test/fake-transport.ts';
import { hitFixture, problemFixture, shardFixture, statsFixture, statusFixture, T0 } from '../test/fixtures.ts';
import { json, mockFetch } from '../test/mock-fetch.ts';
import { testQueryClient } from '../test/render.tsx';
import { App } from './app.tsx';

const status = statusFixture({
  shards: [
    shardFixture(),
    shardFixture({ shard: 1, state: 'waiting', since: T0, retryAt: T0 + 60_000, waitReason: 'lost' }),
  ],
});

function routes(overrides: Record<string, unknown> = {}) {
  return {
    '/api/status': status,
    '/api/problems': { problems: [problemFixture({ code: 'connection_lost', shard: 1 })] },
    '/api/catalog': catalogDocument(),
    '/api/stats': { series: [statsFixture(T0 / 1000 - 1), statsFixture(T0 / 1000)] },
    '/api/top': {
      window: 900,
      at: T0,
      hits: 0,
      pages: [],
      countries: [],
      browsers: [],
      devices: [],
      events: [],
      revenue: 0,
      bots: 0,
      errorPages: [],
    },
    ...overrides,
  };
}

function renderApp() {
  const transport = new FakeTransport();
  const frames = manualScheduler();
  render(<App transport={transport} queryClient={testQueryClient()} scheduler={frames.scheduler} />);
  return { transport, frames };
}

describe('<App/>', () => {
  it('renders its layout from fixtures: header with the connection map, main panels, footer', async () => {
    mockFetch(routes());
    const { transport } = renderApp();
    expect(transport.started).toBe(1);

    const header = screen.getByTestId('app-header');
    expect(header.tagName).toBe('HEADER');
    expect(within(header).getByRole('heading', { level: 1, name: 'Livestream Monitor' })).toBeTruthy();
    expect(within(header).getByRole('region', { name: 'Connection map' })).toBeTruthy();
    expect(within(header).getByTestId('link-state')).toBeTruthy();
    expect(await within(header).findByTestId('shard-card-0')).toBeTruthy();
    expect(within(header).getByTestId('shard-state-1').textContent).toBe('waiting');
    expect(within(header).getByTestId('shard-countdown-1')).toBeTruthy();
    expect(within(header).getByTestId('badge-simulator')).toBeTruthy();
    expect(within(header).getByRole('button', { name: /Pause feed and charts/ })).toBeTruthy();
    expect(within(header).getByRole('group', { name: 'Theme' })).toBeTruthy();

    const main = screen.getByRole('main');
    expect(within(main).getByRole('heading', { name: 'Traffic' })).toBeTruthy();
    expect(within(main).getByRole('heading', { name: 'Live feed' })).toBeTruthy();
    expect(within(main).getByRole('heading', { name: 'Error objects' })).toBeTruthy();
    expect(within(main).getByRole('heading', { name: 'Connection details' })).toBeTruthy();
    expect(await within(main).findByTestId('problem-card')).toBeTruthy();

    expect(screen.getByRole('contentinfo').textContent).toContain('Relay 0.1.0');
    expect(
      screen.getAllByRole('status').filter((el) => el.getAttribute('aria-live') === 'polite').length,
    ).toBeGreaterThan(0);
  });

  it('announces a waiting shard politely once', async () => {
    mockFetch(routes());
    renderApp();
    await waitFor(() => expect(screen.getByTestId('announcer').textContent).toContain('Shard 1 waiting'));
  });

  it('shows live link state from the transport and pauses with the P key', async () => {
    mockFetch(routes());
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
    mockFetch(
      routes({
        '/api/status': () => (signedIn ? json(status) : json({ error: problem }, 401)),
        '/api/login': (_url: URL, init?: RequestInit) => {
          const { password } = JSON.parse(init?.body as string) as { password: string };
          if (password !== 'secret') return json({ error: problem }, 401);
          signedIn = true;
          return new Response(null, { status: 204 });
        },
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
    mockFetch(routes());
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
    expect(screen.getByTestId('feed-sampled').textContent).toContain('received 400, shown 40');
    const windows = within(screen.getByRole('group', { name: 'Time window' })).getAllByRole('button');
    expect(windows.map((b) => b.getAttribute('aria-pressed'))).toEqual(['true', 'false', 'false']);
    await userEvent.click(windows[2]!);
    expect(new URLSearchParams(location.search).get('window')).toBe('3600');
    expect(windows[2]!.getAttribute('aria-pressed')).toBe('true');
    await userEvent.type(screen.getByRole('searchbox'), 'page 7');
    expect(new URLSearchParams(location.search).get('q')).toBe('page 7');
  });
});
