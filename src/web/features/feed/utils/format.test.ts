import { describe, expect, it } from 'vitest';
import { formatAgent, formatPlace } from './format.ts';

describe('feed format', () => {
  it('joins place and agent from what is present', () => {
    expect(formatPlace('Paris', 'FR')).toBe('Paris, FR');
    expect(formatPlace(undefined, 'FR')).toBe('FR');
    expect(formatPlace('Paris', undefined)).toBe('Paris');
    expect(formatAgent('Chrome', undefined)).toBe('Chrome');
    expect(formatAgent(undefined, undefined)).toBe('');
  });

  it('shows Livestream’s lower-case country codes upper-cased, or as names', () => {
    expect(formatPlace('Los Angeles', 'usa')).toBe('Los Angeles, USA');
    expect(formatPlace('Los Angeles', 'usa', 'name')).toBe('Los Angeles, United States');
    expect(formatPlace(undefined, 'gbr', 'name')).toBe('United Kingdom');
  });
});
