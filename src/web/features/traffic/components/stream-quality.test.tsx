import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Stats, Top } from '../../../../contract/index.ts';
import { StreamQualityPanel, type StreamQualityPanelProps } from './stream-quality.tsx';
import { buildQualityView, revenueRows, shardRows } from './stream-quality-model.ts';

const AT = Date.UTC(2026, 3, 14, 9, 46, 40);

const base = (window: number, extra: Partial<Top> = {}): Top => ({
  window,
  at: AT,
  hits: 0,
  pages: [],
  countries: [],
  browsers: [],
  devices: [],
  events: [],
  revenue: 0,
  bots: 0,
  errorPages: [],
  ...extra,
});

const minute = base(60, { hits: 950, excluded: 50, timestamped: 80, lagged: 1000 });
const window300 = base(300, {
  hits: 4_900,
  excluded: 100,
  truncated: 10,
  timestamped: 200,
  lagged: 5_000,
  lagBelowBand: 250,
  lagAboveBand: 100,
  lagP50Ms: 42_000,
  lagP95Ms: 130_000,
  purchases: 12,
  currency: 'EUR',
  revenue: 1234.5,
  revenueByCurrency: { EUR: 1234.5, USD: 99, XXX: 5 },
  reportSuites: [
    { key: 'exampleshopprod', count: 4_500 },
    { key: 'exampleappprod', count: 500 },
  ],
  shards: [
    { hits: 2_000, visitors: 400 },
    { hits: 2_000, visitors: 410 },
    { hits: 1_000, visitors: 100 },
  ],
});
const latest: Stats = {
  t: AT / 1000,
  hits: 10,
  duplicates: 0,
  malformed: 0,
  bytes: 0,
  clients: 1,
  lagP50Ms: 30_000,
  lagP95Ms: 61_000,
};

function setup(overrides: Partial<StreamQualityPanelProps> = {}) {
  const props: StreamQualityPanelProps = {
    top: [minute, window300],
    windowS: 300,
    latest,
    now: AT + 1000,
    linkDown: false,
    ...overrides,
  };
  return render(<StreamQualityPanel {...props} />);
}

describe('StreamQualityPanel', () => {
  it('shows lag against Adobe’s band, the hits’ quality, revenue per currency and report suites', () => {
    setup();
    expect(screen.getByRole('heading', { name: 'Stream quality' })).toBeTruthy();
    expect(screen.getByTestId('quality-age').textContent).toMatch(/Live/);
    const lag = screen.getByTestId('quality-lag');
    expect(lag.textContent).toContain('20 s–5 min');
    expect(lag.textContent).toContain('42 s · 2 min 10 s');
    expect(lag.textContent).toContain('2 min 10 s');
    expect(screen.getByTestId('quality-lag-now').textContent).toContain('30 s · 1 min 1 s');
    // 100 of 5,000 hits beyond 5 minutes: 2 %, flagged.
    const beyond = screen.getByTestId('quality-lag-beyond');
    expect(beyond.textContent).toContain('2%');
    expect(beyond.dataset.flagged).toBe('true');
    expect(within(lag).getByRole('status').textContent).toMatch(/later than Adobe’s 5 minutes/);
    expect(screen.getByTestId('quality-lag-below').dataset.flagged).toBeUndefined();
    // Timestamped: 80 of the last minute's 1,000 hits (flagged over 5 %), 200 of the window's 5,000.
    expect(screen.getByTestId('quality-timestamped-minute').textContent).toContain('8%');
    expect(screen.getByTestId('quality-timestamped').textContent).toContain('4%');
    expect(screen.getByTestId('quality-excluded').textContent).toContain('2%');
    expect(screen.getByTestId('quality-truncated').textContent).toContain('0.2%');
    const revenue = screen.getAllByTestId('quality-revenue-row').map((row) => row.textContent);
    expect(revenue).toEqual(['€1,234.50', '$99.00', '5.00 (no currency on the hits)']);
    expect(screen.getByTestId('quality-revenue').textContent).toContain('12 purchases');
    expect(screen.getByTestId('quality-suites').textContent).toContain('exampleshopprod');
    expect(screen.getByTestId('quality-suites').textContent).toContain('90%');
  });

  it('flags a shard far from an even share of hits or visitors', () => {
    setup();
    const rows = screen.getAllByTestId('quality-shard-row');
    expect(rows).toHaveLength(3);
    expect(rows.map((row) => row.dataset.uneven)).toEqual([undefined, undefined, 'true']);
    expect(screen.getByTestId('quality-shards').textContent).toMatch(/Uneven/);
    expect(screen.getByTestId('quality-shards').textContent).toContain('33.3%');
  });

  it('says how old its figures are when the link is down or they stopped coming', () => {
    const { rerender } = setup({ linkDown: true, now: AT + 90_000 });
    expect(screen.getByTestId('quality-age').textContent).toMatch(/^Relay link down: figures as of .+ \(1 min ago\)$/);
    rerender(<StreamQualityPanel top={[minute, window300]} windowS={300} now={AT + 20_000} linkDown={false} />);
    expect(screen.getByTestId('quality-age').textContent).toMatch(/Not updated: figures as of .+ \(20 s ago\)/);
    rerender(<StreamQualityPanel top={[minute, window300]} windowS={300} now={AT} linkDown={false} paused />);
    expect(screen.getByTestId('quality-age').textContent).toMatch(/^Paused: figures as of/);
  });

  it('waits for the relay, and says what an older relay does not send', () => {
    const { rerender } = setup({ top: undefined });
    expect(screen.getByTestId('quality-waiting')).toBeTruthy();
    rerender(<StreamQualityPanel top={[base(900, { hits: 3 })]} windowS={900} now={AT} linkDown={false} />);
    expect(screen.getByTestId('quality-lag').textContent).toMatch(/Not sent by this relay/);
    expect(screen.getByTestId('quality-excluded').textContent).toMatch(/not sent by this relay/);
    expect(screen.getByTestId('quality-shards').textContent).toMatch(/Not sent by this relay/);
    expect(screen.getByTestId('quality-revenue').textContent).toMatch(/No revenue/);
  });
});

describe('stream quality figures', () => {
  it('does not judge a spread on too few hits or one shard', () => {
    expect(
      shardRows([
        { hits: 1, visitors: 1 },
        { hits: 30, visitors: 20 },
      ]).some((r) => r.uneven),
    ).toBe(false);
    expect(shardRows([{ hits: 1000, visitors: 100 }])[0]!.uneven).toBe(false);
    expect(
      shardRows([
        { hits: 100, visitors: 10 },
        { hits: 100, visitors: 40 },
      ]).map((r) => r.uneven),
    ).toEqual([true, true]);
  });

  it('orders revenue largest first, the currency-less last', () => {
    expect(revenueRows({ XXX: 1000, USD: 5, EUR: 7 })).toEqual([
      { currency: 'EUR', amount: 7 },
      { currency: 'USD', amount: 5 },
      { currency: undefined, amount: 1000 },
    ]);
    expect(revenueRows(undefined)).toEqual([]);
  });

  it('flags a p95 beyond 5 minutes even when few hits are that late', () => {
    const view = buildQualityView(
      [base(900, { hits: 100, lagged: 100, lagAboveBand: 0, lagBelowBand: 0, lagP50Ms: 200_000, lagP95Ms: 310_000 })],
      900,
    )!;
    expect(view.lag).toMatchObject({ p95Beyond: true, beyond: { flagged: false } });
    expect(view.timestampedMinute).toBeUndefined();
  });
});
