import type { HitSummary } from '../../../../contract/index.ts';
import { formatCountry } from '../../../lib/format-country.ts';
import type { TopPick } from '../../../lib/top-pick.ts';

/** Lower-cased searchable text of a hit, cached per (immutable) summary object. */
const haystacks = new WeakMap<HitSummary, string>();

function haystackOf(hit: HitSummary): string {
  let text = haystacks.get(hit);
  if (text === undefined) {
    text = [
      hit.pageName,
      hit.pageURL,
      hit.geoCountry,
      // The name the table's tooltip and the drawer show: "united" finds `usa`.
      hit.geoCountry === undefined ? undefined : formatCountry(hit.geoCountry),
      hit.geoCity,
      hit.browser,
      hit.operatingSystem,
      ...(hit.events ?? []),
      hit.hitId,
    ]
      .filter((part) => part !== undefined && part !== '')
      .join('\n')
      .toLowerCase();
    haystacks.set(hit, text);
  }
  return text;
}

/** Whitespace-separated, lower-cased terms of a filter; empty when the filter is blank. */
export function filterTerms(filter: string): string[] {
  return filter.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * Whether every term appears in the hit's page name or URL, country (code or name), city, browser, operating
 * system, one of its events, or its hit id (case-insensitive substring).
 */
export function matchesFilter(hit: HitSummary, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const text = haystackOf(hit);
  return terms.every((term) => text.includes(term));
}

/**
 * Whether the hit is one the clicked top-list entry counted: the same field the relay's top lists
 * count (core/stats/stats.ts), compared exactly.
 */
export function matchesPick(hit: HitSummary, pick: TopPick): boolean {
  const page = hit.pageName ?? hit.pageURL;
  switch (pick.dimension) {
    case 'pages':
      return page === pick.key;
    case 'countries':
      return hit.geoCountry === pick.key;
    case 'browsers':
      return hit.browser === pick.key;
    case 'devices':
      return hit.operatingSystem === pick.key;
    case 'events':
      return hit.events?.includes(pick.key) ?? false;
    case 'errorPages':
      return hit.isErrorPage === true && (page ?? '(unknown page)') === pick.key;
  }
}

/**
 * The hits to show, newest first, from hits stored oldest first (one pass, no copy when
 * unfiltered beyond the reversal): those matching the text filter and, when one was clicked, the
 * top-list entry.
 */
export function visibleRows(hitsOldestFirst: readonly HitSummary[], filter: string, pick?: TopPick): HitSummary[] {
  const terms = filterTerms(filter);
  const rows: HitSummary[] = [];
  for (let i = hitsOldestFirst.length - 1; i >= 0; i--) {
    const hit = hitsOldestFirst[i]!;
    if (matchesFilter(hit, terms) && (pick === undefined || matchesPick(hit, pick))) rows.push(hit);
  }
  return rows;
}
