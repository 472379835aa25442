import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_DOC_PATH, renderApiDoc } from './api-doc.ts';

describe('docs/api.md', () => {
  it('matches the contract schemas and the catalogue (run `npm run docs:api` after changing them)', () => {
    expect(readFileSync(API_DOC_PATH, 'utf8')).toBe(renderApiDoc());
  });
});
