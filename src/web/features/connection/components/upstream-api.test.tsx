import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { Problem, Status } from '../../../../contract/index.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { relayClock } from '../../../lib/relay-clock.ts';
import { setTimeZone } from '../../../lib/time-zone.ts';
import { problemFixture, shardFixture, statusFixture, T0 } from '../../../test/fixtures.ts';
import { getJson, setupMockRelay } from '../../../test/mock-server.ts';
import { renderWithProviders, testQueryClient } from '../../../test/render.tsx';
import { UpstreamApi, describeApi } from './upstream-api.tsx';

const mock = setupMockRelay();

const ENABLE_URL = 'https://livestream.adobe.net/api/2/enable/acme-prod';

function withUpstream(status: Status, upstream: Partial<Status['upstream']>): Status {
  return { ...status, upstream: { ...status.upstream, ...upstream } };
}

const notEnabled = (overrides: Partial<Problem> = {}) =>
  problemFixture({ code: 'stream_not_enabled', status: 424, action: 'configuration', ...overrides });

/** A failed shard 0 on 424, reading API 2. */
function failedOn424(): Status {
  return withUpstream(
    statusFixture({ shards: [shardFixture({ state: 'failed', since: T0, problem: notEnabled() })] }),
    { apiVersion: 2, payload: '2026', endpoint: 'acme-prod', reset: 'none', enableUrl: ENABLE_URL },
  );
}

/** The relay's status is `status`: on `GET /api/status`, and already in the cache as after the first load. */
function renderApi(status: Status, problems?: Problem[]) {
  mock.server.use(http.get(mock.url('/api/status'), () => HttpResponse.json(status)));
  const queryClient = testQueryClient();
  queryClient.setQueryData(queryKeys.status(), status);
  return renderWithProviders(<UpstreamApi {...(problems ? { problems } : {})} />, { queryClient });
}

describe('UpstreamApi', () => {
  it('says which API and payload the relay reads, and the reset it sends; no enable button without a 424', () => {
    renderApi(withUpstream(statusFixture(), { apiVersion: 2, payload: '2026', endpoint: 'acme', reset: 'largest' }));
    expect(screen.getByTestId('upstream-api-version').textContent).toBe('API 2 · 2026 payload');
    expect(screen.getByTestId('upstream-api-reset').textContent).toMatch(/^largest, on the first connection/);
    expect(screen.queryByTestId('send-enable-call')).toBeNull();
  });

  it('reads API 1 · 2024 payload and no reset, and says so for an older relay', () => {
    renderApi(withUpstream(statusFixture(), { apiVersion: 1, payload: '2024', reset: 'none' }));
    expect(screen.getByTestId('upstream-api-version').textContent).toBe('API 1 · 2024 payload');
    expect(screen.getByTestId('upstream-api-reset').textContent).toMatch(/^none \(LIVESTREAM_RESET unset/);
    expect(describeApi(statusFixture().upstream)).toMatch(/^API not known/);
  });

  it('on a 424, sends the enable call through the relay and shows what Adobe answered; a second one is refused', async () => {
    // The mock relay's own core answers: its Livestream accepts the call, then it refuses another within a minute.
    renderApi(failedOn424());
    expect(screen.getByRole('group', { name: 'Enable the stream for the latest API' }).textContent).toContain(
      `GET ${ENABLE_URL}`,
    );
    await userEvent.click(screen.getByTestId('send-enable-call'));
    const answer = await screen.findByTestId('enable-call-answer');
    expect(answer.textContent).toMatch(
      /^Adobe answered 200: “Stream demo-healthy will serve the latest API version in about 15 minutes\.”\. It takes about 15 min to take effect/,
    );
    expect(mock.requests()).toContain('POST /api/upstream/enable');

    await userEvent.click(screen.getByTestId('send-enable-call'));
    const refused = await screen.findByTestId('enable-call-problem');
    expect(refused.textContent).toContain('too_many_requests');
    expect(refused.textContent).toMatch(/Try again in \d+ s\./);
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('enable-call-problem')).toBeNull();
  });

  it("shows Adobe's refusal of the enable call with Adobe's status", async () => {
    const problem = problemFixture({
      code: 'stream_access_denied',
      status: 403,
      action: 'configuration',
      source: 'upstream',
      message: 'Livestream refused the enable call (403).',
      details: 'no Livestream product profile',
    });
    mock.server.use(
      http.post(mock.url('/api/upstream/enable'), () => HttpResponse.json({ error: problem }, { status: 502 })),
    );
    renderApi(failedOn424());
    await userEvent.click(screen.getByTestId('send-enable-call'));
    const refused = await screen.findByTestId('enable-call-problem');
    expect(refused.textContent).toContain(
      'stream_access_denied (Adobe answered 403): Livestream refused the enable call',
    );
    expect(refused.textContent).toContain('no Livestream product profile');
  });

  it('offers the call for an active stream_not_enabled among the error objects given, not for a resolved one', () => {
    const status = withUpstream(statusFixture(), { apiVersion: 2, payload: '2026', enableUrl: ENABLE_URL });
    const { unmount } = renderApi(status, [notEnabled({ resolvedAt: T0 })]);
    expect(screen.queryByTestId('send-enable-call')).toBeNull();
    unmount();
    renderApi(status, [notEnabled()]);
    expect(screen.getByTestId('send-enable-call')).toBeTruthy();
  });

  it('says when the last enable call was sent and what Adobe answered', () => {
    vi.useFakeTimers({ now: T0, shouldAdvanceTime: true });
    relayClock.observe(T0, T0);
    setTimeZone('utc');
    renderApi(withUpstream(failedOn424(), { enableCall: { at: T0 - 60_000, ok: true, upstreamStatus: 200 } }));
    expect(screen.getByTestId('upstream-api-last-enable').textContent).toBe('sent 11:59:00 UTC, Adobe answered 200');
  });
});

describe('the mock relay', () => {
  it('fills the upstream API fields as the Node relay does', async () => {
    const status = await getJson<Status>('/api/status');
    expect(status.upstream).toMatchObject({
      apiVersion: 1,
      payload: '2024',
      endpoint: 'demo-healthy',
      reset: 'none',
      enableUrl: 'http://127.0.0.1:8081/api/2/enable/demo-healthy',
    });
  });
});
