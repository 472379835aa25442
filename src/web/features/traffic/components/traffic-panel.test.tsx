import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Stats, Top } from '../../../../contract/index.ts';
import { TrafficPanel, type TrafficPanelProps } from './traffic-panel.tsx';

// jsdom has no ResizeObserver: Recharts' ResponsiveContainer then keeps its initial size and
// draws the SVG, which is what these tests need. Nothing to stub.

const T0 = 1_700_000_000;
const stat = (t: number, extra: Partial<Stats> = {}): Stats => ({
  t,
  hits: 10,
  duplicates: 0,
  malformed: 0,
  bytes: 100,
  clients: 1,
  byShard: [6, 4],
  ...extra,
});
const run = (from: number, n: number, extra: Partial<Stats> = {}) =>
  Array.from({ length: n }, (_, i) => stat(from + i, extra));

const top300: Top = {
  window: 300,
  at: (T0 + 299) * 1000,
  hits: 3000,
  pages: [
    { key: 'Home', count: 1500 },
    { key: 'Checkout', count: 300 },
  ],
  countries: [{ key: 'FR', count: 2000 }],
  browsers: [],
  devices: [],
  events: [{ key: 'purchase', count: 12 }],
  revenue: 99.5,
  bots: 30,
  errorPages: [],
};

function setup(overrides: Partial<TrafficPanelProps> = {}) {
  const props: TrafficPanelProps = {
    series: run(T0, 300),
    top: [top300],
    windowS: 300,
    onWindowChange: vi.fn(),
    received: 0,
    shown: 0,
    linkDown: false,
    paused: false,
    shardCount: 2,
    ...overrides,
  };
  const view = render(<TrafficPanel {...props} />);
  return { props, ...view };
}

describe('TrafficPanel', () => {
  it('offers 5/15/60 min as toggle buttons and reports a change, by mouse or keyboard', async () => {
    const user = userEvent.setup();
    const { props } = setup();
    const group = screen.getByRole('group', { name: 'Time window' });
    expect(within(group).getByRole('button', { name: '5 min' }).getAttribute('aria-pressed')).toBe('true');
    expect(within(group).getByRole('button', { name: '15 min' }).getAttribute('aria-pressed')).toBe('false');
    await user.click(within(group).getByRole('button', { name: '15 min' }));
    expect(props.onWindowChange).toHaveBeenLastCalledWith(900);
    within(group).getByRole('button', { name: '1 h' }).focus();
    await user.keyboard('{Enter}');
    expect(props.onWindowChange).toHaveBeenLastCalledWith(3600);
  });

  it('describes each chart in words', () => {
    setup();
    expect(screen.getByTestId('chart-hits').textContent).toContain(
      'Now 10 hits/s; average 10, peak 10 over the last 5 min (3,000 hits). By shard: shard 0: 1,800, shard 1: 1,200.',
    );
    expect(screen.getByTestId('chart-revenue').textContent).toContain('Revenue 99.50, 12 events in the last 5 min.');
  });

  it('shows the top lists of the chosen window', () => {
    setup();
    const pages = screen.getByTestId('top-pages');
    expect(
      within(pages)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Home 1,500 (50%)', 'Checkout 300 (10%)']);
    expect(within(screen.getByTestId('top-browsers')).getByText('None in this window.')).toBeTruthy();
  });

  it('shows "1 in N shown" with received and shown counts only while the feed is sampled', () => {
    const { rerender, props } = setup({ sampled: { kept: 1000, total: 12_000 }, received: 120_000, shown: 10_000 });
    expect(screen.getByTestId('sampled-marker').textContent).toContain(
      '1 in 12 shown in the live feed: received 120,000, shown 10,000.',
    );
    rerender(<TrafficPanel {...props} sampled={{ kept: 50, total: 50 }} />);
    expect(screen.queryByTestId('sampled-marker')).toBeNull();
  });

  it('draws an outage as a labelled gap, not as zero traffic', () => {
    const series = [
      ...run(T0, 100),
      ...run(T0 + 100, 60, { hits: 0, byShard: [0, 0], outage: true }),
      ...run(T0 + 160, 140),
    ];
    setup({ series });
    const chart = screen.getByTestId('chart-hits');
    expect(chart.textContent).toMatch(/No data: reconnect wait, \d\d:\d\d:\d\d–\d\d:\d\d:\d\d \(60 s\)/);
    // The shaded ReferenceArea carries the same label inside the SVG.
    expect(chart.querySelector('.traffic-gap')).not.toBeNull();
    const labels = [...chart.querySelectorAll('.traffic-gap__label')].map((l) => l.textContent);
    expect(labels).toEqual(['no data: reconnect wait']);
    // The zero-hit outage seconds are excluded from the figures.
    expect(chart.textContent).toContain('average 10');
  });

  it('greys the charts out with "data as of hh:mm:ss" while the relay link is down', () => {
    const asOf = new Date(2024, 4, 6, 14, 3, 9).getTime();
    setup({ linkDown: true, asOf });
    expect(screen.getByTestId('traffic-stale').textContent).toContain('Relay link down: data as of 14:03:09');
    expect(screen.getByTestId('traffic-panel').querySelector('.traffic__body')?.getAttribute('data-stale')).toBe(
      'true',
    );
  });

  it('falls back to the last second of the series for "data as of"', () => {
    setup({ linkDown: true, series: run(T0, 10) });
    expect(screen.getByTestId('traffic-stale').textContent).toMatch(/data as of \d\d:\d\d:\d\d$/);
  });

  it('is not greyed out while the link is up', () => {
    setup();
    expect(screen.queryByTestId('traffic-stale')).toBeNull();
    expect(screen.getByTestId('traffic-panel').querySelector('.traffic__body')?.hasAttribute('data-stale')).toBe(false);
  });

  it('stands still while paused and catches up on resume', () => {
    const { rerender, props } = setup({ series: run(T0, 10) });
    rerender(<TrafficPanel {...props} paused series={run(T0, 10)} />);
    expect(screen.getByTestId('traffic-paused').textContent).toContain('Paused');
    rerender(<TrafficPanel {...props} paused series={run(T0, 20, { hits: 50, byShard: [50] })} />);
    expect(screen.getByTestId('chart-hits').textContent).toContain('Now 10 hits/s');
    rerender(<TrafficPanel {...props} paused={false} series={run(T0, 20, { hits: 50, byShard: [50] })} />);
    expect(screen.getByTestId('chart-hits').textContent).toContain('Now 50 hits/s');
  });

  it('hides the plots from assistive technology and leaves nothing focusable inside them', () => {
    const { container } = setup();
    const plots = container.querySelectorAll('.traffic-chart__plot');
    expect(plots).toHaveLength(4);
    for (const plot of plots) {
      expect(plot.getAttribute('aria-hidden')).toBe('true');
      expect(plot.querySelector('svg')).not.toBeNull();
      expect(plot.querySelector('[tabindex]:not([tabindex="-1"])')).toBeNull();
    }
  });
});
