import { randomBytes } from 'node:crypto';

/** Why a bearer token was refused, or `ok`. */
export type TokenCheck = 'ok' | 'missing' | 'unknown' | 'expired';

/**
 * The access tokens the simulator's token endpoint has issued. Tokens look like IMS's (three
 * base64url parts) but are random; each expires `ttlS` seconds after issue on the given clock.
 */
export class TokenStore {
  readonly #tokens = new Map<string, number>();
  readonly #now: () => number;
  /** Lifetime of tokens issued from now on, in seconds. */
  ttlS: number;

  constructor(now: () => number, ttlS: number) {
    this.#now = now;
    this.ttlS = ttlS;
  }

  issue(clientId: string): { token: string; expiresInS: number } {
    const issuedAt = this.#now();
    this.#prune(issuedAt);
    const header = Buffer.from('{"alg":"RS256","x5u":"ims_na1-key-at-1.cer","typ":"JWT"}').toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ type: 'access_token', client_id: clientId, iat: issuedAt, expires_in: this.ttlS * 1000 }),
    ).toString('base64url');
    const token = `${header}.${payload}.${randomBytes(32).toString('base64url')}`;
    this.#tokens.set(token, issuedAt + this.ttlS * 1000);
    return { token, expiresInS: this.ttlS };
  }

  /** Checks an `Authorization` header value (`Bearer <token>`). */
  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) return 'missing';
    const expiresAt = this.#tokens.get(match[1]);
    if (expiresAt === undefined) return 'unknown';
    return this.#now() >= expiresAt ? 'expired' : 'ok';
  }

  /** Invalidates every token issued so far: the next use of any of them is refused (401). */
  expireAll(): number {
    const count = this.#tokens.size;
    this.#tokens.clear();
    return count;
  }

  #prune(now: number): void {
    // Expired tokens stay answerable as "expired" for a while, then go, so the map stays bounded.
    const graceMs = 3_600_000;
    for (const [token, expiresAt] of this.#tokens) if (now - expiresAt > graceMs) this.#tokens.delete(token);
  }
}
