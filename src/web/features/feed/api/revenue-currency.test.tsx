import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import type { HitSummary } from '../../../../contract/index.ts';
import { hitFixture } from '../../../test/fixtures.ts';
import { setupMockRelay } from '../../../test/mock-server.ts';
import { useRevenueCurrency } from './revenue-currency.ts';

const mock = setupMockRelay();

function wrapper({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/** The relay holds these records (by hit id); any other hit is gone (404). */
function relayHolds(records: Record<string, string>): string[] {
  const asked: string[] = [];
  mock.server.use(
    http.get(mock.url('/api/hits/:hitId'), ({ params }) => {
      const id = String(params.hitId);
      asked.push(id);
      const record = records[id];
      return record
        ? new HttpResponse(record, { headers: { 'content-type': 'application/json' } })
        : HttpResponse.json(
            {
              error: {
                status: 404,
                code: 'hit_not_found',
                message: 'gone',
                trace: 't',
                action: 'none',
                at: 0,
                source: 'relay',
              },
            },
            { status: 404 },
          );
    }),
  );
  return asked;
}

describe('useRevenueCurrency', () => {
  it('reads the currency from the full record of the newest hit with revenue, once', async () => {
    const purchase = hitFixture(2, { revenue: 129.99 });
    const asked = relayHolds({ [purchase.hitId]: `{"hitIdHigh": 1, "currency": "EUR"}` });
    const hits = [hitFixture(1), purchase, hitFixture(3)];
    const { result, rerender } = renderHook(({ list }: { list: HitSummary[] }) => useRevenueCurrency(list), {
      wrapper,
      initialProps: { list: hits },
    });
    await waitFor(() => expect(result.current).toBe('EUR'));
    rerender({ list: [...hits, hitFixture(4, { revenue: 5 })] });
    expect(result.current).toBe('EUR');
    expect(asked).toEqual([purchase.hitId]);
  });

  it('takes the currency a summary carries without asking the relay', () => {
    const asked = relayHolds({});
    const { result } = renderHook(() => useRevenueCurrency([hitFixture(1, { revenue: 3, currency: 'gbp' })]), {
      wrapper,
    });
    expect(result.current).toBe('GBP');
    expect(asked).toEqual([]);
  });

  it('asks about a later hit when the first one is gone, and stays unknown until then', async () => {
    const first = hitFixture(1, { revenue: 1 });
    const later = hitFixture(2, { revenue: 2 });
    const asked = relayHolds({ [later.hitId]: `{"currency": "JPY"}` });
    const { result, rerender } = renderHook(({ list }: { list: HitSummary[] }) => useRevenueCurrency(list), {
      wrapper,
      initialProps: { list: [first] },
    });
    await waitFor(() => expect(asked).toEqual([first.hitId]));
    expect(result.current).toBeUndefined();
    rerender({ list: [first, later] });
    await waitFor(() => expect(result.current).toBe('JPY'));
  });

  it('is unknown without hits', () => {
    relayHolds({});
    const { result } = renderHook(() => useRevenueCurrency([]), { wrapper });
    expect(result.current).toBeUndefined();
  });
});
