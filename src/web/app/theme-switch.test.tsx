import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HitTable } from '../features/feed/components/hit-table.tsx';
import { TIME_ZONE_STORAGE_KEY } from '../lib/time-zone.ts';
import { hitFixture, T0 } from '../test/fixtures.ts';
import { TimeZoneSwitch } from './theme-switch.tsx';

describe('TimeZoneSwitch', () => {
  // An operator in New York: local time is 5 h behind UTC in January.
  beforeEach(() => {
    vi.stubEnv('TZ', 'America/New_York');
    // jsdom lays nothing out: give the feed's virtualised grid a viewport so it renders rows.
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600);
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1200);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('switches every time shown between the browser’s zone and UTC, and remembers it', async () => {
    const user = userEvent.setup();
    render(
      <>
        <TimeZoneSwitch />
        <HitTable rows={[hitFixture(1, { arrivedAt: T0 })]} onOpen={() => {}} label="Hits" />
      </>,
    );
    const group = screen.getByRole('group', { name: 'Times in' });
    const local = within(group).getByRole('button', { name: 'Local (EST)' });
    const utc = within(group).getByRole('button', { name: 'UTC' });
    const grid = screen.getByRole('grid', { name: 'Hits' });
    expect(local.getAttribute('aria-pressed')).toBe('true');
    expect(within(grid).getByRole('columnheader', { name: 'Time (EST)' })).toBeTruthy();
    expect(within(grid).getAllByRole('gridcell')[0]?.textContent).toBe('07:00:00');

    await user.click(utc);
    expect(utc.getAttribute('aria-pressed')).toBe('true');
    expect(within(grid).getByRole('columnheader', { name: 'Time (UTC)' })).toBeTruthy();
    expect(within(grid).getAllByRole('gridcell')[0]?.textContent).toBe('12:00:00');
    expect(localStorage.getItem(TIME_ZONE_STORAGE_KEY)).toBe('utc');
    expect(location.search).toBe('?tz=utc');

    await user.click(local);
    expect(within(grid).getAllByRole('gridcell')[0]?.textContent).toBe('07:00:00');
    expect(location.search).toBe('');
  });
});
