import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { HistoryBucket, HistoryResponse, Top } from '../../../../contract/index.ts';
import { TrafficPanel, type TrafficPanelProps } from './traffic-panel.tsx';
import { historyHitsCsv } from './history-chart.tsx';
import { buildHistoryView } from '../utils/history-series.ts';

const DAY = 86_400;
const END = Date.UTC(2026, 10, 30, 12) / 1000;
const STEP = 120;

const bucket = (t: number): HistoryBucket => ({
  t,
  seconds: STEP,
  hits: 1200,
  hitsMin: 2,
  hitsMax: 30,
  duplicates: 0,
  malformed: 0,
  bytes: 0,
  clients: 1,
  outageS: 0,
});

/** A day of 2-minute buckets with an hour missing. */
function day(end: number, outages: HistoryResponse['outages'] = []): HistoryResponse {
  const buckets: HistoryBucket[] = [];
  for (let t = end - DAY; t < end; t += STEP) if (t < end - 5 * 3600 || t >= end - 4 * 3600) buckets.push(bucket(t));
  return { window: DAY, end, step: STEP, resolution: 'minute', buckets, outages };
}

const longTop: Top = {
  window: DAY,
  at: END * 1000,
  hits: 700_000,
  pages: [{ key: 'home', count: 300_000 }],
  countries: [],
  browsers: [],
  devices: [],
  events: [],
  revenue: 0,
  bots: 0,
  errorPages: [],
};

function setup(overrides: Partial<TrafficPanelProps> = {}) {
  const props: TrafficPanelProps = {
    series: [],
    windowS: 86_400,
    onWindowChange: vi.fn(),
    received: 0,
    shown: 0,
    linkDown: false,
    paused: false,
    shardCount: 1,
    onCompareChange: vi.fn(),
    ...overrides,
  };
  return { props, ...render(<TrafficPanel {...props} />) };
}

describe('the long-window chart', () => {
  it('says it is loading until the history arrives, then that it is drawn', async () => {
    const { rerender, props } = setup();
    const figure = screen.getByTestId('chart-history');
    expect(figure.getAttribute('data-state')).toBe('loading');
    expect(figure.getAttribute('aria-busy')).toBe('true');
    expect(figure.textContent).toContain('Loading the last 24 h');
    rerender(<TrafficPanel {...props} history={day(END)} longTop={longTop} />);
    await waitFor(() => expect(figure.getAttribute('data-state')).toBe('ready'));
    expect(figure.getAttribute('aria-busy')).toBe('false');
    expect(within(figure).getByTestId('chart-step').textContent).toBe('1 point = 2 min');
    expect(figure.textContent).toContain('No data for 1 h of the 24 h');
    // The live charts are not drawn for a long window; the top lists are the history's.
    expect(screen.queryByTestId('chart-hits')).toBeNull();
    expect(screen.getByRole('heading', { name: /Top in the last 24 h/ })).toBeTruthy();
    expect(screen.getByTestId('top-pages').textContent).toContain('home');
  });

  it('lists the outages with their verdicts', () => {
    const outage = {
      id: 'o1',
      shard: 0,
      from: (END - 3 * 3600) * 1000,
      to: (END - 3 * 3600 + 40) * 1000,
      lateHits: 900,
      verdict: 'recovered',
      summary: 'recovered: 900 hits of the 40-second gap arrived late',
    };
    setup({ history: day(END, [outage]) });
    expect(screen.getByTestId('chart-history').textContent).toContain(
      '1 outage (shaded): Shard 0 stopped on 2026-11-30 09:00 UTC for 40 s: recovered: 900 hits of the 40-second gap arrived late.',
    );
  });

  it('shows yesterday with its legend entry, or says there is none', () => {
    const { rerender, props } = setup({ history: day(END), compare: '1d', compareHistory: day(END - DAY) });
    expect(screen.getByTestId('compare-legend').textContent).toBe('Yesterday, same time');
    rerender(<TrafficPanel {...props} compareHistory={{ ...day(END - DAY), buckets: [] }} />);
    expect(screen.queryByTestId('compare-legend')).toBeNull();
    expect(screen.getByTestId('compare-missing').textContent).toBe('No data for yesterday at this time.');
  });

  it('offers "compare with" as a labelled select', async () => {
    const { props } = setup({ history: day(END) });
    await userEvent.selectOptions(screen.getByLabelText('Compare with'), 'last week');
    expect(props.onCompareChange).toHaveBeenCalledWith('7d');
  });

  it("exports what it draws, yesterday's line beside today's", () => {
    const view = buildHistoryView(day(END));
    const compare = { key: '1d' as const, view: undefined };
    const csv = historyHitsCsv(view, compare).split('\r\n');
    expect(csv[0]).toBe(
      'time (ISO 8601 UTC),time (epoch s),hits/s (mean of the point),lowest second (hits/s),highest second (hits/s)',
    );
    expect(csv).toHaveLength(1 + DAY / STEP + 1);
    expect(csv[1]).toBe(`2026-11-29T12:00:00Z,${END - DAY},10,2,30`);
    // The missing hour: empty cells, never zeros.
    const gap = csv.find((l) => l.startsWith(`${new Date((END - 5 * 3600) * 1000).toISOString().slice(0, 19)}Z`));
    expect(gap).toBe(`2026-11-30T07:00:00Z,${END - 5 * 3600},,,`);
  });
});
