import { describe, expect, it } from 'vitest';
import { countryAlpha2, formatCountry, formatCountryCode, KNOWN_ALPHA3 } from './format-country.ts';

describe('format-country', () => {
  it('names the lower-case alpha-3 codes Livestream sends', () => {
    expect(
      ['usa', 'gbr', 'deu', 'che', 'jpn', 'kor', 'bra', 'mex', 'can', 'swe', 'pol', 'aus', 'fra'].map(formatCountry),
    ).toEqual([
      'United States',
      'United Kingdom',
      'Germany',
      'Switzerland',
      'Japan',
      'South Korea',
      'Brazil',
      'Mexico',
      'Canada',
      'Sweden',
      'Poland',
      'Australia',
      'France',
    ]);
  });

  it('also takes alpha-2 codes and any case', () => {
    expect(formatCountry('FR')).toBe('France');
    expect(formatCountry('USA')).toBe('United States');
    expect(countryAlpha2(' Nld ')).toBe('NL');
  });

  it('upper-cases a code nobody can name, and leaves anything else as it came', () => {
    expect(formatCountry('zzz')).toBe('ZZZ');
    expect(formatCountry('(other)')).toBe('(other)');
    expect(formatCountry('')).toBe('');
    expect(formatCountry(undefined)).toBe('');
    expect(formatCountryCode('usa')).toBe('USA');
    expect(formatCountryCode('(other)')).toBe('(other)');
  });

  it('knows every ISO 3166-1 country, each with a name', () => {
    expect(KNOWN_ALPHA3.size).toBeGreaterThanOrEqual(249);
    for (const code of KNOWN_ALPHA3) {
      expect(countryAlpha2(code)).toMatch(/^[A-Z]{2}$/);
      expect(formatCountry(code.toLowerCase())).not.toBe(code);
    }
  });
});
