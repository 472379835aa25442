import { formatCountry } from './format-country.ts';

/**
 * A top-list entry an operator clicked to see its hits in the feed ("explore from what you
 * see"): which list, and the entry's key exactly as the relay counted it. The traffic panel
 * makes one, the app keeps it in the URL (`?pick=pages:Home`), the feed filters by it.
 */
export const TOP_DIMENSIONS = ['pages', 'countries', 'browsers', 'devices', 'events', 'errorPages'] as const;
export type TopDimension = (typeof TOP_DIMENSIONS)[number];

export interface TopPick {
  dimension: TopDimension;
  key: string;
}

/** What one hit of the list is called, for "Showing hits whose page is “Home”". */
const FIELD_WORDS: Record<TopDimension, string> = {
  pages: 'page',
  countries: 'country',
  browsers: 'browser',
  devices: 'device',
  events: 'events include',
  errorPages: 'error page',
};

export function isTopDimension(value: string): value is TopDimension {
  return (TOP_DIMENSIONS as readonly string[]).includes(value);
}

/** `pages:Home` → the pick; anything else (absent, unknown list, no key) → undefined. */
export function parsePick(text: string | null | undefined): TopPick | undefined {
  if (!text) return undefined;
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const dimension = text.slice(0, colon);
  const key = text.slice(colon + 1);
  return isTopDimension(dimension) ? { dimension, key } : undefined;
}

/** The pick as the URL keeps it: `pages:Home` (the key may itself hold colons). */
export function formatPick(pick: TopPick): string {
  return `${pick.dimension}:${pick.key}`;
}

/** The key as the lists show it: a country code as its name; an empty key as "(none)". */
export function pickLabel(pick: TopPick): string {
  if (pick.key === '') return '(none)';
  return pick.dimension === 'countries' ? formatCountry(pick.key) : pick.key;
}

/** `page is “Home”`, `events include “purchase”`. */
export function describePick(pick: TopPick): string {
  const verb = pick.dimension === 'events' ? '' : ' is';
  return `${FIELD_WORDS[pick.dimension]}${verb} “${pickLabel(pick)}”`;
}
