import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CATALOG_ACTIONS, KNOWN_ACTIONS, UNKNOWN_ACTION, type Problem } from '../../../../contract/index.ts';
import { problemFixture, T0 } from '../../../test/fixtures.ts';
import { groupProblems } from '../utils/group-problems.ts';
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
