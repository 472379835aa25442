import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CATALOG_ACTIONS,
  CATALOG_CODES,
  CatalogSchema,
  KNOWN_ACTIONS,
  catalogDocument,
  lookupAction,
  lookupCode,
  lookupGuidance,
} from './index.ts';

const SEED = fileURLToPath(new URL('../../docs/seeds/004_fe68cd6735774f18.txt', import.meta.url));

/** Two names the French translation mangled, mapped to their real spelling. */
const MANGLED: Record<string, string> = {
  authentication_session_expiré: 'authentication_session_expired',
  authentication_session_invalidate: 'authentication_session_invalidated',
};

/** Reads the seed's error-code table: the action column is only written on a group's first row. */
function readSeedTable(): { code: string; status: number; action: string }[] {
  const text = readFileSync(SEED, 'utf8');
  const section = text.slice(text.indexOf('## Codes d’erreur'));
  const rows: { code: string; status: number; action: string }[] = [];
  let action = '';
  for (const line of section.split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (cells.length < 4 || !/^\d{3}$/.test(cells[2]!)) continue;
    if (cells[0]) action = cells[0];
    const raw = cells[1]!.replace(/\*/g, '').trim();
    rows.push({ code: MANGLED[raw] ?? raw, status: Number(cells[2]), action });
  }
  return rows;
}

describe('error catalogue', () => {
  const seed = readSeedTable();

  it('reads 47 codes from the seed table', () => {
    expect(seed).toHaveLength(47);
    expect(new Set(seed.map((row) => row.code)).size).toBe(47);
  });

  it.each(seed)('holds $code with the seed status $status and action $action', ({ code, status, action }) => {
    const entry = lookupCode(code);
    expect(entry, code).toBeDefined();
    expect(entry!.status).toBe(status);
    expect(entry!.action).toBe(action);
    expect(entry!.description.length).toBeGreaterThan(10);
  });

  it('uses only the eight actions of the seed, and every one of them has guidance', () => {
    for (const { action } of seed) expect(KNOWN_ACTIONS, action).toContain(action);
    expect(CATALOG_ACTIONS.map((a) => a.action).sort()).toEqual([...KNOWN_ACTIONS].sort());
    for (const known of KNOWN_ACTIONS) {
      const entry = lookupAction(known);
      expect(entry.known).toBe(true);
      expect(entry.description.length, known).toBeGreaterThan(20);
      expect(entry.guidance.length, known).toBeGreaterThan(60);
    }
  });

  it('accepts the plural alias of the parental-control code', () => {
    expect(lookupCode('authorization_denied_by_parent_controls')?.code).toBe('authorization_denied_by_parent_control');
  });

  it('holds every Livestream code of the contract with its status', () => {
    const livestream: Record<string, number> = {
      invalid_parameter_value: 400,
      access_token_expired: 401,
      stream_access_denied: 403,
      stream_not_found: 404,
      invalid_http_method: 405,
      invalid_header: 400,
      http_version_not_supported: 505,
      too_many_connections: 409,
      stream_not_enabled: 424,
      too_many_requests: 429,
      internal_error: 500,
      service_unavailable: 503,
      network_connection_failure: 403,
      network_connection_timeout: 403,
      connection_lost: 502,
      stream_stalled: 504,
      invalid_content_encoding: 502,
      malformed_record: 502,
      invalid_client_id: 401,
    };
    for (const [code, status] of Object.entries(livestream)) {
      expect(lookupCode(code)?.status, code).toBe(status);
    }
  });

  it('has no code twice, and its document matches the catalogue schema', () => {
    const codes = CATALOG_CODES.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    const doc = CatalogSchema.parse(catalogDocument());
    expect(doc.codes.length).toBe(CATALOG_CODES.length);
    expect(doc.actions).toHaveLength(8);
  });

  it("gives codes whose action's words would mislead their own guidance, in the catalogue document too", () => {
    // 403: the catalogue's own reason (no product profile), not only the URL.
    expect(lookupGuidance('stream_access_denied', 'configuration').guidance).toMatch(/Admin Console.*product profile/);
    // 424: the enable call and Customer Care.
    const notEnabled = lookupGuidance('stream_not_enabled', 'configuration').guidance;
    expect(notEnabled).toContain('GET https://livestream.adobe.net/api/2/enable/<endpoint name>');
    expect(notEnabled).toContain('Adobe Customer Care');
    // A code without its own words gets its action's.
    expect(lookupGuidance('connection_lost', 'retry-after').guidance).toBe(lookupAction('retry-after').guidance);
    const doc = catalogDocument();
    expect(doc.codes.find((c) => c.code === 'stream_not_enabled')?.guidance).toBe(notEnabled);
    expect(doc.codes.find((c) => c.code === 'connection_lost')).not.toHaveProperty('guidance');
    expect(lookupCode('problem_not_found')).toMatchObject({ status: 404, action: 'none', origin: 'relay' });
  });

  it('gives generic guidance for an action it does not know', () => {
    const entry = lookupAction('reboot-the-internet');
    expect(entry.known).toBe(false);
    expect(entry.action).toBe('reboot-the-internet');
    expect(entry.guidance).toMatch(/does not know/);
    expect(lookupCode('some_future_code')).toBeUndefined();
  });
});
