import { describe, expect, it } from 'vitest';
import { describePick, formatPick, parsePick } from './top-pick.ts';

describe('top-list picks in the URL', () => {
  it('round-trips a pick, a key with colons included', () => {
    const pick = { dimension: 'pages' as const, key: 'shop:checkout:step 2' };
    expect(parsePick(formatPick(pick))).toEqual(pick);
  });

  it('ignores what it does not know', () => {
    expect(parsePick(null)).toBeUndefined();
    expect(parsePick('Home')).toBeUndefined();
    expect(parsePick('planets:Mars')).toBeUndefined();
  });

  it('says what the feed shows in words', () => {
    expect(describePick({ dimension: 'pages', key: 'Home' })).toBe('page is “Home”');
    expect(describePick({ dimension: 'countries', key: 'usa' })).toBe('country is “United States”');
    expect(describePick({ dimension: 'events', key: 'purchase' })).toBe('events include “purchase”');
  });
});
