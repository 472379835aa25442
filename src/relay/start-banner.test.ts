import { describe, expect, it } from 'vitest';
import { startBanner } from './start-banner.ts';

const base = { version: '0.1.0', url: 'http://127.0.0.1:8080/', cooldownS: 60 };

describe('the start banner', () => {
  it('shows, with the embedded simulator, a fault to try as a curl ready to copy', () => {
    const lines = startBanner({
      ...base,
      mode: 'simulator',
      upstreamUrl: 'http://127.0.0.1:43121/api/1/stream/demo',
      controlUrl: 'http://127.0.0.1:43121/__sim',
    });
    expect(lines).toContain('Livestream Monitor 0.1.0 — dashboard at http://127.0.0.1:8080/');
    const fault = lines.filter((line) => line.includes('curl'));
    expect(fault).toHaveLength(1);
    // The whole line pastes into a shell as it is: the command, then a comment.
    expect(fault[0]).toMatch(/^curl -X POST http:\/\/127\.0\.0\.1:43121\/__sim\/drop +# /);
    expect(fault[0]).toContain('60 s cooldown');
    expect(lines.indexOf(fault[0]!)).toBeGreaterThan(lines.findIndex((line) => line.startsWith('Upstream:')));
  });

  it('shows no fault line against the real Livestream', () => {
    const lines = startBanner({
      ...base,
      mode: 'adobe',
      upstreamUrl: 'https://livestream.adobe.net/api/1/stream/acme',
    });
    expect(lines).toContain('Upstream: https://livestream.adobe.net/api/1/stream/acme');
    expect(lines.join('\n')).not.toMatch(/curl|__sim/);
  });
});
