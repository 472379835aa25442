import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { useState, type ReactNode } from 'react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HitSummary } from '../../../../contract/index.ts';
import { setupMockRelay } from '../../../test/mock-server.ts';
import { FeedPanel, type FeedPanelProps } from './feed-panel.tsx';
import { HitTable, ROW_HEIGHT } from './hit-table.tsx';

// jsdom does no layout: give every element a viewport so the virtualizer renders rows
// (600 px / 32 px rows ≈ 19 rows plus overscan), and a no-op scrollTo.
const saved = {
  height: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight'),
  width: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth'),
  scrollTo: Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTo'),
};
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1200 });
  Object.defineProperty(Element.prototype, 'scrollTo', { configurable: true, writable: true, value: () => {} });
});
afterAll(() => {
  for (const [key, target] of [
    ['height', HTMLElement.prototype],
    ['width', HTMLElement.prototype],
    ['scrollTo', Element.prototype],
  ] as const) {
    const name = key === 'height' ? 'clientHeight' : key === 'width' ? 'clientWidth' : 'scrollTo';
    const descriptor = saved[key];
    if (descriptor) Object.defineProperty(target, name, descriptor);
    else delete (target as unknown as Record<string, unknown>)[name];
  }
});

const mock = setupMockRelay();

const HIGH = '1234567890123456789';
const LOW = '9876543210987654321';
const VIS_HIGH = '8765432109876543211';

function hit(seq: number, extra: Partial<HitSummary> = {}): HitSummary {
  return {
    seq,
    hitId: seq === 0 ? `${HIGH}-${LOW}` : `${1000 + seq}-${2000 + seq}`,
    shard: seq % 2,
    arrivedAt: new Date(2024, 0, 1, 12, 0, seq % 60).getTime(),
    pageName: `Page ${seq}`,
    geoCountry: 'FR',
    geoCity: seq % 2 ? 'Lyon' : 'Paris',
    browser: 'Firefox',
    ...extra,
  };
}

/** Hits oldest first, as the store keeps them. */
const hits = (n: number) => Array.from({ length: n }, (_, i) => hit(i));

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

function setup(overrides: Partial<FeedPanelProps> = {}) {
  const props: FeedPanelProps = {
    hits: hits(3),
    paused: false,
    onTogglePause: vi.fn(),
    arrivedWhilePaused: 0,
    filter: '',
    onFilterChange: vi.fn(),
    received: 3,
    shown: 3,
    ...overrides,
  };
  const view = render(<FeedPanel {...props} />, { wrapper });
  return { props, ...view };
}

const bodyRows = () => within(screen.getByTestId('feed-grid')).getAllByRole('row').slice(1);

/**
 * The relay holds this raw record, with bare 64-bit integers as it sends them. Returns the paths
 * asked for. Without it, the mock relay answers 404 `hit_not_found`: it never had these hits.
 */
function relayHoldsRecord(): string[] {
  const asked: string[] = [];
  const record = `{"hitIdHigh": ${HIGH}, "hitIdLow": ${LOW}, "visIdHigh": ${VIS_HIGH}, "pageName": "Page 0", "futureField": {"x": 1}}`;
  mock.server.use(
    http.get(mock.url('/api/hits/:hitId'), ({ request }) => {
      asked.push(new URL(request.url).pathname);
      return new HttpResponse(record, { headers: { 'content-type': 'application/json; charset=utf-8' } });
    }),
  );
  return asked;
}

describe('FeedPanel pause and resume', () => {
  it('toggles through the callback and shows what arrived while paused', async () => {
    const user = userEvent.setup();
    const { props, rerender } = setup();
    const button = screen.getByRole('button', { name: 'Pause' });
    await user.click(button);
    expect(props.onTogglePause).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('feed-paused')).toBeNull();

    rerender(<FeedPanel {...props} paused arrivedWhilePaused={1234} />);
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy();
    expect(screen.getByTestId('feed-paused').textContent).toBe('Paused — 1,234 new');

    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(props.onTogglePause).toHaveBeenCalledTimes(2);
    rerender(<FeedPanel {...props} paused={false} />);
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    expect(screen.queryByTestId('feed-paused')).toBeNull();
  });

  it('stands still while paused even if new hits are passed, and catches up on resume', () => {
    const { props, rerender } = setup({ hits: hits(3) });
    rerender(<FeedPanel {...props} paused hits={hits(3)} />);
    rerender(<FeedPanel {...props} paused hits={hits(5)} arrivedWhilePaused={2} />);
    expect(bodyRows()).toHaveLength(3);
    expect(bodyRows()[0]?.textContent).toContain('Page 2');
    rerender(<FeedPanel {...props} paused={false} hits={hits(5)} />);
    expect(bodyRows()).toHaveLength(5);
    expect(bodyRows()[0]?.textContent).toContain('Page 4');
  });

  it('works as a controlled toggle, announcing the shortcut the app binds', async () => {
    const user = userEvent.setup();
    function Harness() {
      const [paused, setPaused] = useState(false);
      return (
        <FeedPanel
          hits={hits(2)}
          paused={paused}
          onTogglePause={() => setPaused((p) => !p)}
          arrivedWhilePaused={0}
          filter=""
          onFilterChange={() => {}}
          received={2}
          shown={2}
          pauseShortcut="P"
        />
      );
    }
    render(<Harness />, { wrapper });
    const button = screen.getByRole('button', { name: 'Pause' });
    expect(button.getAttribute('aria-keyshortcuts')).toBe('P');
    button.focus();
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('feed-paused').textContent).toBe('Paused — 0 new');
    await user.keyboard(' ');
    expect(screen.queryByTestId('feed-paused')).toBeNull();
  });
});

describe('FeedPanel table', () => {
  it('shows the newest hit first with its fields', () => {
    setup({ hits: [hit(1, { events: ['purchase'], revenue: 12.5, bot: true, operatingSystem: 'Linux' }), hit(2)] });
    const [newest, older] = bodyRows();
    expect(newest?.textContent).toContain('Page 2');
    const cells = within(older!)
      .getAllByRole('gridcell')
      .map((c) => c.textContent);
    expect(cells).toEqual([
      '12:00:01',
      'Page 1',
      'Lyon, FR',
      'Firefox / Linux',
      'purchase',
      '12.50',
      'Bot',
      '1',
      '1001-2001',
    ]);
  });

  it('writes countries as upper-case codes (the name in the tooltip) and revenue in its currency', () => {
    setup({ hits: [hit(1, { geoCountry: 'usa', geoCity: 'Chicago', revenue: 1299.5 })], currency: 'USD' });
    const cells = within(bodyRows()[0]!).getAllByRole('gridcell');
    expect(cells[2]?.textContent).toBe('Chicago, USA');
    expect(cells[2]?.getAttribute('title')).toBe('Chicago, United States');
    expect(cells[5]?.textContent).toBe('$1,299.50');
  });

  it('names the zone of its times in the column header', () => {
    setup();
    expect(within(screen.getByTestId('feed-grid')).getAllByRole('columnheader')[0]?.textContent).toMatch(
      /^Time \(\S+\)$/,
    );
  });

  it('renders only the rows in view out of thousands', () => {
    setup({ hits: hits(5000) });
    expect(screen.getByTestId('feed-grid').getAttribute('aria-rowcount')).toBe('5001');
    const rendered = bodyRows().length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);
    expect(screen.getByTestId('feed-count').textContent).toBe('5,000 hits');
  });

  it('reports typing in the filter and shows only the matching rows', async () => {
    const user = userEvent.setup();
    const { props, rerender } = setup({ hits: hits(4) });
    await user.type(screen.getByLabelText('Filter'), 'p');
    expect(props.onFilterChange).toHaveBeenLastCalledWith('p');
    rerender(<FeedPanel {...props} filter="paris" />);
    expect(bodyRows().map((r) => r.textContent)).toEqual([
      expect.stringContaining('Page 2'),
      expect.stringContaining('Page 0'),
    ]);
    expect(screen.getByTestId('feed-count').textContent).toBe('2 of 4 hits');
    rerender(<FeedPanel {...props} filter="nowhere" />);
    expect(screen.getByText('No hit matches “nowhere”.')).toBeTruthy();
  });

  it('shows "1 in N shown" with received and shown counts while sampled', () => {
    setup({ sampled: { kept: 100, total: 1000 }, received: 50_000, shown: 5000 });
    expect(screen.getByTestId('feed-sampled').textContent).toBe('1 in 10 shown: received 50,000, shown 5,000.');
  });

  it('is not a live region', () => {
    const { container } = setup();
    expect(container.querySelector('[aria-live], [role="log"], [role="status"]')).toBeNull();
  });
});

describe('FeedPanel hit drawer', () => {
  it('opens from a row and shows the 64-bit ids with their exact digits', async () => {
    const user = userEvent.setup();
    const asked = relayHoldsRecord();
    setup({ hits: [hit(0)] });
    await user.click(bodyRows()[0]!);
    const dialog = await screen.findByRole('dialog', { name: `Hit ${HIGH}-${LOW}` });
    const ids = await within(dialog).findByTestId('hit-ids');
    expect(asked).toEqual([`/api/hits/${HIGH}-${LOW}`]);
    expect(within(ids).getByText(HIGH)).toBeTruthy();
    expect(within(ids).getByText(LOW)).toBeTruthy();
    expect(within(ids).getByText(VIS_HIGH)).toBeTruthy();
    const json = within(dialog).getByTestId('hit-json').textContent;
    expect(json).toContain(`"hitIdHigh": ${HIGH},`);
    expect(json).toContain(`"visIdHigh": ${VIS_HIGH},`);
    expect(json).toContain('"futureField": {\n    "x": 1\n  }');
  });

  it('opens with Enter from the keyboard, traps focus, and closes with Esc back to the grid', async () => {
    const user = userEvent.setup();
    relayHoldsRecord();
    setup({ hits: [hit(0), hit(1), hit(2)] });
    const grid = screen.getByTestId('feed-grid');
    // The header's last control is the export; the grid comes next in the tab order.
    screen.getByRole('button', { name: /as NDJSON$/ }).focus();
    await user.tab();
    expect(document.activeElement).toBe(grid);
    const active = () => document.getElementById(grid.getAttribute('aria-activedescendant') ?? '');
    expect(active()?.textContent).toContain('Page 2');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(active()?.textContent).toContain('Page 0');
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' }));
    await within(dialog).findByTestId('hit-json');

    // Tab cycles inside the dialog: Close → Copy JSON → record → back to Close.
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(within(dialog).getByTestId('hit-json'));
    await user.tab();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close' }));
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(within(dialog).getByTestId('hit-json'));

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(grid);
  });

  it('says "no longer in memory" when the relay answers 404', async () => {
    const user = userEvent.setup();
    setup({ hits: [hit(0)] });
    await user.click(bodyRows()[0]!);
    const gone = await screen.findByTestId('hit-gone');
    expect(gone.textContent).toContain('no longer in memory');
    // The summary stays readable.
    expect(within(screen.getByRole('dialog')).getByText('Page 0')).toBeTruthy();
  });

  it('closes from the Close button', async () => {
    const user = userEvent.setup();
    relayHoldsRecord();
    setup({ hits: [hit(0)] });
    await user.click(bodyRows()[0]!);
    await user.click(await screen.findByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});

describe('HitTable', () => {
  const newestFirst = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => hit(to - 1 - i));

  it('keeps what a scrolled reader looks at in place when newer hits arrive above it', async () => {
    const { rerender } = render(<HitTable rows={newestFirst(0, 50)} onOpen={() => {}} label="Hits" />);
    const scroller = screen.getByRole('grid', { name: 'Hits' }).parentElement!;
    scroller.scrollTop = 10 * ROW_HEIGHT;
    scroller.dispatchEvent(new Event('scroll'));
    rerender(<HitTable rows={newestFirst(0, 53)} onOpen={() => {}} label="Hits" />);
    await waitFor(() => expect(scroller.scrollTop).toBe(13 * ROW_HEIGHT));
  });

  it('keeps its row elements as hits arrive: each shows the hit now at its place, and opens that one', async () => {
    const onOpen = vi.fn();
    const { rerender } = render(<HitTable rows={newestFirst(0, 50)} onOpen={onOpen} label="Hits" />);
    const grid = screen.getByRole('grid', { name: 'Hits' });
    const rowsBefore = within(grid).getAllByRole('row').slice(1);
    expect(rowsBefore[0]!.textContent).toContain('Page 49');
    rerender(<HitTable rows={newestFirst(0, 53)} onOpen={onOpen} label="Hits" />);
    const rowsAfter = within(grid).getAllByRole('row').slice(1);
    // The same elements (the DOM is not rebuilt 60 times a second), with the newest hits on top.
    expect(rowsAfter.slice(0, rowsBefore.length)).toEqual(rowsBefore);
    expect(rowsAfter.slice(0, 4).map((row) => row.textContent?.match(/Page \d+/)?.[0])).toEqual([
      'Page 52',
      'Page 51',
      'Page 50',
      'Page 49',
    ]);
    expect(rowsAfter[3]!.id).toMatch(/-hit-1049-2049$/);
    await userEvent.click(rowsAfter[1]!);
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ seq: 51 }));
  });

  it('stays at the top for a reader who has not scrolled', () => {
    const { rerender } = render(<HitTable rows={newestFirst(0, 50)} onOpen={() => {}} label="Hits" />);
    const scroller = screen.getByRole('grid', { name: 'Hits' }).parentElement!;
    rerender(<HitTable rows={newestFirst(0, 53)} onOpen={() => {}} label="Hits" />);
    expect(scroller.scrollTop).toBe(0);
  });
});

describe('FeedPanel: a top-list pick and exports', () => {
  it("shows only the picked entry's hits, says so, and offers the way back", async () => {
    const onClearPick = vi.fn();
    setup({
      hits: [hit(1, { pageName: 'Home' }), hit(2, { pageName: 'Cart' }), hit(3, { pageName: 'Home' })],
      pick: { dimension: 'pages', key: 'Home' },
      onClearPick,
    });
    expect(bodyRows()).toHaveLength(2);
    expect(screen.getByTestId('feed-count').textContent).toBe('2 of 3 hits');
    expect(screen.getByTestId('feed-pick').textContent).toContain('Showing only hits whose page is “Home”');
    await userEvent.click(screen.getByTestId('feed-pick-clear'));
    expect(onClearPick).toHaveBeenCalledOnce();
  });

  it('exports the rows shown as CSV and NDJSON', async () => {
    const saved: { name: string; text: string }[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      const reader = new FileReader();
      reader.onload = () => saved.push({ name: '', text: reader.result as string });
      reader.readAsText(blob as Blob);
      return 'blob:test';
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, text: '' });
    });
    setup({ hits: [hit(0), hit(1, { pageName: '=cmd' })], filter: 'cmd' });
    await userEvent.click(screen.getByRole('button', { name: 'Export the 1 hits shown as CSV' }));
    await userEvent.click(screen.getByRole('button', { name: 'Export the 1 hits shown as NDJSON' }));
    await waitFor(() => expect(saved.filter((s) => s.text)).toHaveLength(2));
    const [csv, ndjson] = saved.filter((s) => s.text).map((s) => s.text);
    expect(csv!.split('\r\n')[0]).toMatch(/^seq,hitId,shard,arrivedAt,/);
    expect(csv).toContain('1,1001-2001,1,2024-01-01T');
    expect(csv).toContain(",'=cmd,");
    expect(
      ndjson!
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as HitSummary)
        .map((h) => h.hitId),
    ).toEqual(['1001-2001']);
    expect(saved.filter((s) => s.name).map((s) => s.name)).toEqual([
      expect.stringMatching(/^livestream-feed-\d{8}T\d{6}Z\.csv$/),
      expect.stringMatching(/^livestream-feed-\d{8}T\d{6}Z\.ndjson$/),
    ]);
    create.mockRestore();
    click.mockRestore();
  });
});

describe('FeedPanel while the feed moves', () => {
  it('leaves the filter field alone: no attribute written at each feed frame', async () => {
    const { props, rerender } = setup({ hits: hits(5), filter: 'Paris' });
    const input = screen.getByRole<HTMLInputElement>('searchbox');
    const written: string[] = [];
    const observer = new MutationObserver((list) => {
      for (const m of list) written.push(m.attributeName ?? m.type);
    });
    observer.observe(input, { attributes: true });
    for (let n = 6; n < 12; n++) rerender(<FeedPanel {...props} hits={hits(n)} received={n} shown={n} />);
    // Mutation records are delivered as a microtask.
    await Promise.resolve();
    observer.disconnect();
    expect(written).toEqual([]);
    expect(input.value).toBe('Paris');
    // It still follows its own value.
    rerender(<FeedPanel {...props} filter="Lyon" />);
    expect(screen.getByRole<HTMLInputElement>('searchbox').value).toBe('Lyon');
  });
});
