import { act, render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { relayClock } from '../../../lib/relay-clock.ts';
import { T0 } from '../../../test/fixtures.ts';
import { Countdown } from './countdown.tsx';

const text = () => screen.getByTestId('c').querySelector('time')?.textContent;

describe('Countdown', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });

  it('counts down every second to zero', async () => {
    render(<Countdown until={T0 + 3_000} from={T0} clock="relay" testId="c" />);
    expect(text()).toBe('3 s');
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    expect(text()).toBe('2 s');
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(text()).toBe('0 s');
    expect(screen.getByTestId('c').dataset.due).toBe('true');
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    expect(text()).toBe('0 s');
  });

  it('shows minutes as m:ss', () => {
    render(<Countdown until={T0 + 125_000} clock="relay" testId="c" />);
    expect(text()).toBe('2:05');
  });

  it('corrects for clock skew: a browser 2 min ahead of the relay still shows the right wait', () => {
    vi.setSystemTime(T0 + 120_000);
    // hello arrived when our clock read T0 + 120 s and the relay's read T0.
    relayClock.observe(T0, T0 + 120_000);
    render(<Countdown until={T0 + 60_000} from={T0} clock="relay" testId="c" />);
    expect(text()).toBe('60 s');
  });

  it('does not apply the skew to a local-clock countdown', () => {
    relayClock.observe(T0 + 30_000, T0);
    render(<Countdown until={T0 + 10_000} clock="local" testId="c" />);
    expect(text()).toBe('10 s');
  });

  it('is right immediately when a throttled background tab wakes up', async () => {
    render(<Countdown until={T0 + 60_000} from={T0} clock="relay" testId="c" />);
    expect(text()).toBe('60 s');
    // Hidden for 45 s: the browser ran none of our timers.
    vi.setSystemTime(T0 + 45_000);
    expect(text()).toBe('60 s');
    await act(async () => {
      document.dispatchEvent(new Event('visibilitychange'));
      await Promise.resolve();
    });
    expect(text()).toBe('15 s');
  });
});
