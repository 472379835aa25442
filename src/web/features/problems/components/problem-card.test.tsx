import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CATALOG_ACTIONS, KNOWN_ACTIONS, UNKNOWN_ACTION, type Problem } from '../../../../contract/index.ts';
import { problemFixture, T0 } from '../../../test/fixtures.ts';
import { groupProblems } from '../utils/group-problems.ts';
import { setTimeZone } from '../../../lib/time-zone.ts';
import { ProblemCard } from './problem-card.tsx';

function renderCard(problems: Problem[], props: Partial<Parameters<typeof ProblemCard>[0]> = {}) {
  const [group] = groupProblems(problems);
  return render(<ProblemCard group={group!} relayVersion="0.1.0" relayMode="simulator" {...props} />);
}

describe('ProblemCard', () => {
  it.each(KNOWN_ACTIONS)('shows the catalogue guidance for action %s', (action) => {
    renderCard([problemFixture({ action })]);
    const expected = CATALOG_ACTIONS.find((a) => a.action === action)!.guidance;
    expect(screen.getByTestId('problem-guidance').textContent).toContain(expected);
    expect(screen.getByTestId('action-badge').textContent).toBe(action);
  });

  it('writes when it happened in the zone the header switch says, naming it', () => {
    setTimeZone('utc');
    renderCard([problemFixture({ at: Date.UTC(2025, 0, 15, 11, 50, 7) })]);
    expect(screen.getAllByText('2025-01-15 11:50:07 UTC').length).toBeGreaterThan(0);
    setTimeZone('local');
  });

  it('gives a malformed-record report the live total beside the count it was written with', () => {
    setTimeZone('utc');
    renderCard(
      [
        problemFixture({
          code: 'malformed_record',
          source: 'decoder',
          status: 502,
          action: 'none',
          at: Date.UTC(2025, 0, 15, 11, 50, 7),
          message: 'A record is not JSON. 1 malformed so far. Sample: {oops',
        }),
      ],
      { relay: { malformed: 5 } },
    );
    expect(screen.getByTestId('problem-live-total').textContent).toBe(
      'Now 5 malformed records in total (live); the message above counts them as of 2025-01-15 11:50:07 UTC.',
    );
    setTimeZone('local');
  });

  it('shows an unknown action and code with the generic guidance', () => {
    renderCard([problemFixture({ action: 'reboot-the-moon', code: 'moon_offline', status: 418 })]);
    expect(screen.getByTestId('action-badge').textContent).toBe('reboot-the-moon');
    expect(screen.getByTestId('problem-guidance').textContent).toContain(UNKNOWN_ACTION.guidance);
    expect(screen.getByText('moon_offline')).toBeTruthy();
    expect(screen.getByText(/not in the dashboard's catalogue/)).toBeTruthy();
  });

  it("uses the relay's catalogue for an action only a newer relay knows", () => {
    const catalog = {
      codes: [],
      actions: [{ action: 'reboot-the-moon', description: 'd', guidance: 'Wait for moonrise.' }],
    };
    renderCard([problemFixture({ action: 'reboot-the-moon' })], { catalog });
    expect(screen.getByTestId('problem-guidance').textContent).toContain('Wait for moonrise.');
  });

  it('says a resolved error object needs nothing, and offers no Acknowledge', () => {
    const onAcknowledge = vi.fn();
    renderCard([problemFixture({ code: 'connection_lost', resolvedAt: T0 + 60_000 })], { onAcknowledge });
    const guidance = screen.getByTestId('problem-guidance').textContent;
    expect(guidance).toMatch(/^Resolved .*nothing to do/);
    expect(screen.getByTestId('problem-guidance').querySelector('time')?.getAttribute('datetime')).toBe(
      new Date(T0 + 60_000).toISOString(),
    );
    expect(screen.getByTestId('problem-lifecycle').textContent).toBe('resolved');
    expect(screen.queryByTestId('problem-ack')).toBeNull();
  });

  it('never tells to update credentials and restart for a 401 a fresh token healed', () => {
    const healed = problemFixture({
      code: 'access_token_expired',
      status: 401,
      action: 'application-registration',
      message: 'Livestream refused the access token (401). Reconnecting at once with a fresh token.',
      resolvedAt: T0,
    });
    const { unmount } = renderCard([healed]);
    expect(screen.getByTestId('problem-guidance').textContent).not.toMatch(/restart the relay|credentials/);
    unmount();
    // Refused twice: the shard failed, the credentials are the fix.
    renderCard([
      problemFixture({
        code: 'access_token_expired',
        status: 401,
        action: 'application-registration',
        message: 'Livestream refused a freshly issued access token (401 twice).',
      }),
    ]);
    expect(screen.getByTestId('problem-guidance').textContent).toMatch(/ADOBE_CLIENT_ID.*restart the relay/);
  });

  it('points a 403 stream_access_denied at the product profile in the Admin Console, not only LIVESTREAM_URL', () => {
    renderCard([problemFixture({ code: 'stream_access_denied', status: 403, action: 'configuration' })]);
    const text = screen.getByTestId('problem-guidance').textContent;
    expect(text).toContain('Adobe Admin Console');
    expect(text).toMatch(/product profile that includes Livestream/);
  });

  it("gives a 424 stream_not_enabled the enable call for this relay's endpoint, and Customer Care", () => {
    renderCard([problemFixture({ code: 'stream_not_enabled', status: 424, action: 'configuration' })], {
      relay: { upstreamUrl: 'https://livestream.adobe.net/api/1/stream/acme-prod?maxConnections=2' },
    });
    const text = screen.getByTestId('problem-guidance').textContent;
    expect(text).toContain('GET https://livestream.adobe.net/api/2/enable/acme-prod');
    expect(text).toContain('Adobe Customer Care');
  });

  it('acknowledges the unacknowledged occurrences, then shows when it was acknowledged', async () => {
    const onAcknowledge = vi.fn();
    const older = problemFixture({ at: T0 - 1_000, acknowledgedAt: T0 });
    const newer = problemFixture({ at: T0 });
    const { unmount } = renderCard([newer, older], { onAcknowledge });
    await userEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    expect(onAcknowledge).toHaveBeenCalledWith([newer.id]);
    expect(screen.queryByTestId('problem-acknowledged')).toBeNull();
    unmount();
    renderCard([{ ...newer, acknowledgedAt: T0 + 5_000 }, older], { onAcknowledge });
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(screen.getByTestId('problem-acknowledged').querySelector('time')?.getAttribute('datetime')).toBe(
      new Date(T0 + 5_000).toISOString(),
    );
  });

  it('puts the relay run, mode and upstream into the support bundle', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    renderCard([problemFixture()], {
      relay: {
        version: '0.2.0',
        mode: 'adobe',
        runId: 'rabc123',
        upstreamUrl: 'https://livestream.adobe.net/api/1/stream/x',
      },
    });
    await userEvent.click(screen.getByTestId('copy-support'));
    await screen.findByText('Copied');
    const text = String(writeText.mock.calls[0]?.[0]);
    expect(text).toContain('relay run: rabc123');
    expect(text).toContain('relay mode: adobe');
    expect(text).toContain('upstream: https://livestream.adobe.net/api/1/stream/x');
  });

  it('shows every field, the count, and first/last seen of the group', () => {
    renderCard([
      problemFixture({ at: T0, requestId: 'req-2', details: 'error_description: too many', trace: 'trace-new' }),
      problemFixture({ at: T0 - 60_000, requestId: 'req-1' }),
    ]);
    const card = screen.getByTestId('problem-card');
    expect(within(card).getByText('too_many_connections')).toBeTruthy();
    expect(within(card).getByText('409')).toBeTruthy();
    expect(within(card).getByText('error_description: too many')).toBeTruthy();
    expect(within(card).getAllByText('trace-new').length).toBeGreaterThan(0);
    expect(within(card).getAllByText('req-2').length).toBeGreaterThan(0);
    expect(screen.getByTestId('problem-count').textContent).toBe('2 times');
    const times = card.querySelectorAll('dd time');
    expect(times[0]?.getAttribute('datetime')).toBe(new Date(T0 - 60_000).toISOString());
    expect(times[1]?.getAttribute('datetime')).toBe(new Date(T0).toISOString());
  });

  it('links helpUrl only when present', () => {
    const { unmount } = renderCard([problemFixture()]);
    expect(screen.queryByRole('link')).toBeNull();
    unmount();
    renderCard([problemFixture({ helpUrl: 'https://experienceleague.adobe.com/x' })]);
    expect(screen.getByRole('link', { name: /Adobe help/ }).getAttribute('href')).toBe(
      'https://experienceleague.adobe.com/x',
    );
  });

  it('copies the support bundle and says Copied', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    renderCard([problemFixture({ requestId: 'req-9' })]);
    await userEvent.click(screen.getByTestId('copy-support'));
    expect(await screen.findByText('Copied')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining('request id: req-9'));
  });

  it('falls back to execCommand when the Clipboard API is missing', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: undefined });
    const exec = vi.fn().mockReturnValue(true);
    Object.defineProperty(document, 'execCommand', { value: exec, configurable: true });
    renderCard([problemFixture()]);
    await userEvent.click(screen.getByTestId('copy-support'));
    expect(await screen.findByText('Copied')).toBeTruthy();
    expect(exec).toHaveBeenCalledWith('copy');
  });
});
