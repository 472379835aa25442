import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The generator runs in the browser too (MSW mocks): it must not touch Node's APIs.
describe('generator/', () => {
  it('imports nothing from Node and uses no Node globals', () => {
    const dir = fileURLToPath(new URL('./generator/', import.meta.url));
    const sources = readdirSync(dir).filter((name) => name.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(3);
    for (const name of sources) {
      const text = readFileSync(`${dir}${name}`, 'utf8');
      expect(text, name).not.toMatch(
        /from 'node:|from '(fs|path|http|zlib|crypto|stream|os)'|\bBuffer\b|\bprocess\.|require\(/,
      );
      for (const [, path] of text.matchAll(/from '(\.[^']+)'/g)) {
        expect(path, `${name} imports ${path ?? ''}`).toMatch(/^(\.\/|\.\.\/\.\.\/(contract|core)\/)/);
      }
    }
  });
});
