import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { HitSummary } from '../../../../contract/index.ts';
import { currencyCode } from '../../../lib/format.ts';
import { getHitOptions } from './get-hit.ts';

/** The `currency` a summary carries, when the relay puts it there (the contract's summaries are open objects). */
function summaryCurrency(hit: HitSummary): string | undefined {
  const value = (hit as { currency?: unknown }).currency;
  return typeof value === 'string' ? currencyCode(value) : undefined;
}

/**
 * The hit to read the currency from: the newest with revenue, else the newest (Livestream records
 * carry a `currency`, so the feed has one before the first purchase). Hits are oldest first. A
 * site selling in several currencies gets each row's own (`HitSummary.currency`); this one is the
 * fallback for summaries of an older relay without it.
 */
function currencyWitness(hits: readonly HitSummary[]): HitSummary | undefined {
  for (let i = hits.length - 1; i >= 0; i--) if (hits[i]!.revenue !== undefined) return hits[i];
  return hits.at(-1);
}

/**
 * The currency revenue is in (ISO 4217), for charts and the feed. Livestream records carry it
 * (`currency`), the summaries the relay sends today do not: then the full record of one hit
 * (one with revenue when there is one) is read once (`GET /api/hits/:id`, cached) and its
 * `currency` used. Undefined until known: amounts are then written without a symbol.
 */
export function useRevenueCurrency(hits: readonly HitSummary[]): string | undefined {
  const newest = currencyWitness(hits);
  const fromSummary = newest ? summaryCurrency(newest) : undefined;
  // The hit asked about stays the same until its answer says nothing usable (gone, no currency),
  // so a busy shop does not cost one request per purchase.
  const [probe, setProbe] = useState<{ hitId: string; failed: boolean } | undefined>(undefined);
  if (fromSummary === undefined && newest && (probe === undefined || (probe.failed && probe.hitId !== newest.hitId))) {
    setProbe({ hitId: newest.hitId, failed: false });
  }
  const query = useQuery({
    ...getHitOptions(probe?.hitId ?? ''),
    enabled: fromSummary === undefined && probe !== undefined && !probe.failed,
    select: (record) => (typeof record.currency === 'string' ? currencyCode(record.currency) : undefined),
  });
  const settled = query.isError || (query.isSuccess && query.data === undefined);
  if (probe && !probe.failed && settled) setProbe({ ...probe, failed: true });
  return fromSummary ?? (query.isSuccess ? query.data : undefined);
}
