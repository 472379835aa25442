import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Stats, Top } from '../../../../contract/index.ts';
import { formatTick } from '../utils/format.ts';
import { timeTicks } from '../utils/windows.ts';
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
  it("shows the site's traffic on Adobe's clock with each outage's verdict, once the relay told it", () => {
    const { rerender, props } = setup({ series: run(T0, 300, { lagP95Ms: 40_000 }) });
    expect(screen.queryByTestId('chart-site')).toBeNull();
    const seconds = Array.from({ length: 300 }, (_, i) => ({ t: T0 + i, hits: i < 260 ? 8 : 2 }));
    const outage = {
      id: 'o1',
      shard: 0,
      from: (T0 + 100) * 1000,
      to: (T0 + 161) * 1000,
      lateHits: 488,
      verdict: 'recovered',
      summary: 'recovered: 488 hits of the 61-second gap arrived late',
    };
    rerender(<TrafficPanel {...props} traffic={{ seconds, outages: [outage] }} />);
    const chart = screen.getByTestId('chart-site');
    expect(chart.textContent).toContain("Site traffic on Adobe's clock");
    // The still-arriving right edge (the p95 lag, 40 s) is left out of the figures.
    expect(chart.textContent).toContain('Average 8 hits/s, peak 8');
    expect(chart.textContent).toContain('the last 40 s are still arriving');
    expect(chart.textContent).toMatch(/Shard 0 stopped at .*: recovered: 488 hits of the 61-second gap arrived late\./);
  });

  it("says a window entirely within Livestream's delay is still arriving, not that it has no hit", () => {
    const seconds = Array.from({ length: 120 }, (_, i) => ({ t: T0 + 180 + i, hits: 5 }));
    setup({
      series: run(T0 + 180, 120, { lagP95Ms: 260_000 }),
      traffic: { seconds, outages: [] },
      relayStartedAt: (T0 + 180) * 1000,
    });
    expect(screen.getByTestId('chart-site').textContent).toContain(
      '600 hits so far, each in the second Adobe received it; all of this window is within the last 260 s, still arriving.',
    );
  });

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

  it('shows "1 in N shown" with received and shown counts only while the feed is sampled', async () => {
    const { rerender, props } = setup({ sampled: { kept: 1000, total: 12_000 }, received: 120_000, shown: 10_000 });
    expect(screen.getByTestId('sampled-marker').textContent).toContain(
      '1 in 12 shown in the live feed: received 120,000, shown 10,000.',
    );
    // Counts arriving with every feed frame change on screen at most once a second.
    const counts = () => screen.getByTestId('sampled-marker').textContent;
    rerender(<TrafficPanel {...props} received={120_500} shown={10_050} />);
    await waitFor(() => expect(counts()).toContain('received 120,500, shown 10,050.'));
    rerender(<TrafficPanel {...props} received={121_000} shown={10_100} />);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(counts()).toContain('received 120,500, shown 10,050.');
    await waitFor(() => expect(counts()).toContain('received 121,000, shown 10,100.'), { timeout: 2000 });
    rerender(<TrafficPanel {...props} sampled={{ kept: 50, total: 50 }} />);
    await waitFor(() => expect(screen.queryByTestId('sampled-marker')).toBeNull(), { timeout: 2000 });
  });

  it('draws an outage as a labelled gap, not as zero traffic', () => {
    const series = [
      ...run(T0, 100),
      ...run(T0 + 100, 60, { hits: 0, byShard: [0, 0], outage: true, outageState: 'waiting' }),
      ...run(T0 + 160, 140),
    ];
    setup({ series });
    const chart = screen.getByTestId('chart-hits');
    expect(chart.textContent).toMatch(/No data: reconnect wait \d\d:\d\d:\d\d–\d\d:\d\d:\d\d \S+ \(60 s\)/);
    // The shaded ReferenceArea carries the same label inside the SVG.
    expect(chart.querySelector('.traffic-gap')).not.toBeNull();
    const labels = [...chart.querySelectorAll('.traffic-gap__label')].map((l) => l.textContent);
    expect(labels).toEqual(['no data: reconnect wait']);
    // The zero-hit outage seconds are excluded from the figures.
    expect(chart.textContent).toContain('average 10');
  });

  it('labels a failed shard and a stall as what they are, and says no rate "now" during one', () => {
    const series = [
      ...run(T0, 100),
      ...run(T0 + 100, 240, { hits: 0, byShard: [0, 0], outage: true, outageState: 'failed' }),
    ];
    setup({ series });
    const chart = screen.getByTestId('chart-hits');
    expect([...chart.querySelectorAll('.traffic-gap__label')].map((l) => l.textContent)).toEqual([
      'no data: shard failed',
    ]);
    expect(chart.textContent).toMatch(/No data now: shard failed since \d\d:\d\d:\d\d \S+ \(4 min\)/);
    expect(chart.textContent).not.toMatch(/Now \d/);
    expect(screen.getByTestId('chart-lag').textContent).toMatch(/No lag now: no hits since/);
  });

  it('greys the charts out with "data as of hh:mm:ss" while the relay link is down', () => {
    const asOf = new Date(2024, 4, 6, 14, 3, 9).getTime();
    setup({ linkDown: true, asOf });
    expect(screen.getByTestId('traffic-stale').textContent).toMatch(/^Relay link down: data as of 14:03:09 \S+$/);
    expect(screen.getByTestId('traffic-panel').querySelector('.traffic__body')?.getAttribute('data-stale')).toBe(
      'true',
    );
  });

  it('falls back to the last second of the series for "data as of"', () => {
    setup({ linkDown: true, series: run(T0, 10) });
    expect(screen.getByTestId('traffic-stale').textContent).toMatch(/data as of \d\d:\d\d:\d\d \S+$/);
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

  it('redraws each plot in its turn after its caption, its time axis on the window as it slides', async () => {
    const { rerender, props } = setup({ series: run(T0, 300), windowS: 300 });
    const ticks = () =>
      [
        ...screen
          .getByTestId('chart-hits')
          .querySelectorAll<SVGTextElement>('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value'),
      ].map((tick) => ({ label: tick.textContent, x: Number(tick.getAttribute('x')) }));
    const before = ticks();
    // 100 s later, and busier.
    rerender(<TrafficPanel {...props} series={run(T0, 400, { hits: 50, byShard: [25, 25] })} />);
    // The caption at once; the plot a frame or a few later (one plot per frame).
    expect(screen.getByTestId('chart-hits').textContent).toContain('Now 50 hits/s');
    await waitFor(() => expect(ticks()).not.toEqual(before));
    // The axis spans the new window, T0 + 100 … T0 + 399: a tick every minute, placed on it (the
    // plot is 480 px wide in jsdom: the 48-px axis on the left, a 12-px margin on the right).
    const [startT, endT] = [T0 + 100, T0 + 399];
    const expected = timeTicks(startT, endT).map((t) => ({
      label: formatTick(t, 'local', 60),
      x: 48 + ((t - startT) / (endT - startT)) * (480 - 48 - 12),
    }));
    const after = ticks();
    expect(after.map((t) => t.label)).toEqual(expected.map((t) => t.label));
    after.forEach((tick, i) => expect(tick.x).toBeCloseTo(expected[i]!.x, 0));
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

  it('starts the charts at the relay’s start when it started inside the window, and says so', () => {
    // Up for 3 min, 15-min window: the axis used to span 15 min with the data in its last fifth.
    setup({ series: run(T0, 180), windowS: 900, relayStartedAt: T0 * 1000 + 400 });
    expect(screen.getByTestId('traffic-span').textContent).toMatch(
      /^The relay started 3 min ago, at \d\d:\d\d:\d\d \S+: the charts start there, not 15 min back\.$/,
    );
    expect(screen.getByTestId('chart-hits').textContent).toContain('over the 3 min since the relay started');
    // Ticks every minute over 3 min, not every 3 min over 15.
    const ticks = [
      ...screen
        .getByTestId('chart-hits')
        .querySelectorAll('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value'),
    ];
    expect(ticks).toHaveLength(3);
  });

  it('says nothing about the start when the relay has run longer than the window', () => {
    setup({ series: run(T0, 300), windowS: 300, relayStartedAt: (T0 - 3600) * 1000 });
    expect(screen.queryByTestId('traffic-span')).toBeNull();
  });

  it('writes the revenue axis compact and in the currency: never ",800,000"', () => {
    setup({ series: run(T0, 300, { revenue: 30_000 }), currency: 'USD' });
    const ticks = [
      ...screen
        .getByTestId('chart-revenue')
        .querySelectorAll('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value'),
    ].map((t) => t.textContent);
    expect(ticks.length).toBeGreaterThan(2);
    for (const tick of ticks) expect(tick).toMatch(/^\$\d+(\.\d)?[KM]?$/);
    expect(ticks).toContain('$1.8M');
    expect(screen.getByTestId('chart-revenue').textContent).toContain('Revenue $99.50');
  });

  it('writes the lag axis in one unit', () => {
    setup({ series: run(T0, 300, { lagP50Ms: 40_000, lagP95Ms: 238_000 }) });
    const ticks = [
      ...screen
        .getByTestId('chart-lag')
        .querySelectorAll('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value'),
    ].map((t) => t.textContent);
    expect(ticks.length).toBeGreaterThan(2);
    for (const tick of ticks) expect(tick).toMatch(/^[\d.,]+ s$/);
  });

  it('names the countries of the top list', () => {
    setup({
      top: [
        {
          ...top300,
          countries: [
            { key: 'usa', count: 2000 },
            { key: 'gbr', count: 500 },
          ],
        },
      ],
    });
    expect(
      within(screen.getByTestId('top-countries'))
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['United States 2,000 (66.7%)', 'United Kingdom 500 (16.7%)']);
  });

  it('labels only the gaps wide enough to hold their label', () => {
    // Three 20-s waits 30 s apart in an hour: each gap is a few pixels wide, too narrow for a label.
    const series = [
      ...run(T0, 3000),
      ...run(T0 + 3000, 20, { outage: true, outageState: 'waiting' }),
      ...run(T0 + 3020, 30),
      ...run(T0 + 3050, 20, { outage: true, outageState: 'waiting' }),
      ...run(T0 + 3070, 30),
      ...run(T0 + 3100, 20, { outage: true, outageState: 'stalled' }),
      ...run(T0 + 3120, 480),
    ];
    setup({ series, windowS: 3600 });
    const chart = screen.getByTestId('chart-hits');
    expect(chart.querySelectorAll('.traffic-gap')).not.toHaveLength(0);
    expect(chart.querySelectorAll('.traffic-gap__label')).toHaveLength(0);
    expect(chart.textContent).toContain('No data: reconnect wait');
    expect(chart.textContent).toContain('; stream stalled');
  });

  it('makes each top-list entry a way into the feed, marking the one picked', async () => {
    const onPick = vi.fn();
    setup({
      onPick,
      pick: { dimension: 'pages', key: 'Checkout' },
      top: [
        {
          ...top300,
          countries: [
            { key: 'usa', count: 2000 },
            { key: '(other)', count: 5 },
          ],
        },
      ],
    });
    const countries = screen.getByTestId('top-countries');
    await userEvent.click(within(countries).getByRole('button', { name: 'United States' }));
    expect(onPick).toHaveBeenCalledWith({ dimension: 'countries', key: 'usa' });
    // "(other)" is the relay's overflow bucket, not a value: nothing to filter by.
    expect(within(countries).queryByRole('button', { name: '(other)' })).toBeNull();
    const picked = within(screen.getByTestId('top-pages')).getByRole('button', { name: 'Checkout' });
    expect(picked.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText('Click an entry to see its hits in the feed.')).toBeTruthy();
  });
});
