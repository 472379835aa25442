import { describe, expect, it } from 'vitest';
import { formatAgent, formatPlace } from './format.ts';

describe('feed format', () => {
  it('joins place and agent from what is present', () => {
    expect(formatPlace('Paris', 'FR')).toBe('Paris, FR');
    expect(formatPlace(undefined, 'FR')).toBe('FR');
    expect(formatAgent('Chrome', undefined)).toBe('Chrome');
    expect(formatAgent(undefined, undefined)).toBe('');
  });
});
