import { describe, expect, it } from 'vitest';
import type { HitSummary } from '../../../../contract/index.ts';
import { filterTerms, matchesFilter, visibleRows, matchesPick } from './filter.ts';

const hit = (seq: number, extra: Partial<HitSummary> = {}): HitSummary => ({
  seq,
  hitId: `100000000000000000${seq}-200000000000000000${seq}`,
  shard: 0,
  arrivedAt: 0,
  ...extra,
});

const paris = hit(1, {
  pageName: 'Home',
  pageURL: 'https://shop.example/home',
  geoCountry: 'FR',
  geoCity: 'Paris',
  browser: 'Firefox',
  operatingSystem: 'Linux',
  events: ['purchase', 'event7'],
});

describe('filter', () => {
  it('splits a filter into lower-cased terms', () => {
    expect(filterTerms('  Paris   FIREFOX ')).toEqual(['paris', 'firefox']);
    expect(filterTerms('   ')).toEqual([]);
  });

  it.each([
    ['page name', 'home'],
    ['page URL', 'shop.example'],
    ['country', 'fr'],
    ['country name', 'france'],
    ['city', 'PARIS'],
    ['browser', 'firefox'],
    ['OS', 'linux'],
    ['event', 'event7'],
    ['hit id', '1000000000000000001-2'],
  ])('matches on the %s', (_field, filter) => {
    expect(matchesFilter(paris, filterTerms(filter))).toBe(true);
  });

  it('needs every term to match', () => {
    expect(matchesFilter(paris, filterTerms('paris purchase'))).toBe(true);
    expect(matchesFilter(paris, filterTerms('paris chrome'))).toBe(false);
  });

  it('matches everything with a blank filter', () => {
    expect(matchesFilter(hit(2), [])).toBe(true);
  });

  it('returns the matching hits newest first', () => {
    const hits = [paris, hit(2, { geoCity: 'Lyon' }), hit(3, { geoCity: 'Paris' })];
    expect(visibleRows(hits, '').map((h) => h.seq)).toEqual([3, 2, 1]);
    expect(visibleRows(hits, 'paris').map((h) => h.seq)).toEqual([3, 1]);
  });

  it('finds Livestream’s lower-case country codes by the name the table shows', () => {
    const la = hit(2, { geoCountry: 'usa', geoCity: 'Los Angeles' });
    expect(matchesFilter(la, filterTerms('united states'))).toBe(true);
    expect(matchesFilter(la, filterTerms('USA'))).toBe(true);
    expect(matchesFilter(la, filterTerms('kingdom'))).toBe(false);
  });
});

describe('matchesPick: the hits a clicked top-list entry counted', () => {
  const base = { seq: 1, hitId: '1-2', shard: 0, arrivedAt: 0 };
  it('compares the field the relay counts, exactly', () => {
    expect(matchesPick({ ...base, pageName: 'Home' }, { dimension: 'pages', key: 'Home' })).toBe(true);
    expect(matchesPick({ ...base, pageName: 'Home page' }, { dimension: 'pages', key: 'Home' })).toBe(false);
    expect(matchesPick({ ...base, pageURL: 'https://x/' }, { dimension: 'pages', key: 'https://x/' })).toBe(true);
    expect(matchesPick({ ...base, geoCountry: 'usa' }, { dimension: 'countries', key: 'usa' })).toBe(true);
    expect(matchesPick({ ...base, events: ['a', 'purchase'] }, { dimension: 'events', key: 'purchase' })).toBe(true);
    expect(matchesPick({ ...base, pageName: 'Gone' }, { dimension: 'errorPages', key: 'Gone' })).toBe(false);
    expect(
      matchesPick({ ...base, pageName: 'Gone', isErrorPage: true }, { dimension: 'errorPages', key: 'Gone' }),
    ).toBe(true);
  });

  it('narrows the rows together with the text filter', () => {
    const hits = [
      { ...base, seq: 1, pageName: 'Home', geoCity: 'Lyon' },
      { ...base, seq: 2, pageName: 'Home', geoCity: 'Paris' },
      { ...base, seq: 3, pageName: 'Cart', geoCity: 'Lyon' },
    ];
    expect(visibleRows(hits, 'lyon', { dimension: 'pages', key: 'Home' }).map((h) => h.seq)).toEqual([1]);
  });
});
