import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';

/**
 * DASHBOARD_PASSWORD: HTTP Basic (works with EventSource and curl) or a login that sets an
 * HttpOnly cookie. Sessions live in memory; a relay restart signs everyone out.
 */

export const SESSION_COOKIE = 'lsm_session';
const SESSION_TTL_MS = 12 * 60 * 60_000;

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export class Auth {
  private readonly sessions = new Map<string, number>();

  constructor(
    private readonly password: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return !!this.password;
  }

  checkPassword(candidate: unknown): boolean {
    return !!this.password && typeof candidate === 'string' && sameSecret(candidate, this.password);
  }

  /** True when the request carries the password (Basic, any user name) or a live session. */
  allows(headers: { authorization?: string | undefined; cookie?: string | undefined }): boolean {
    if (!this.password) return true;
    const basic = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const password = decoded.slice(decoded.indexOf(':') + 1);
      if (this.checkPassword(password)) return true;
    }
    const session = cookieValue(headers.cookie, SESSION_COOKIE);
    if (session) {
      const expires = this.sessions.get(session);
      if (expires !== undefined && expires > this.now()) return true;
      this.sessions.delete(session);
    }
    return false;
  }

  /** A new session id to set as the HttpOnly cookie. */
  open(): string {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, this.now() + SESSION_TTL_MS);
    return id;
  }

  close(cookieHeader: string | undefined): void {
    const session = cookieValue(cookieHeader, SESSION_COOKIE);
    if (session) this.sessions.delete(session);
  }

  cookie(id: string, secure: boolean): string {
    return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_TTL_MS / 1000}${secure ? '; Secure' : ''}`;
  }

  clearedCookie(): string {
    return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** The page an unauthenticated browser gets: a plain form, no script. */
export function loginPage(failed: boolean): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>Livestream Monitor — sign in</title>
<style>body{font:16px system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0}
form{display:grid;gap:.75rem;min-width:18rem}input,button{font:inherit;padding:.5rem}.error{color:#c62828}</style></head>
<body><main><h1>Livestream Monitor</h1>
<form method="post" action="/api/login">
<label for="password">Dashboard password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
${failed ? '<p class="error" role="alert">Wrong password.</p>' : ''}
<button type="submit">Sign in</button>
</form></main></body></html>`;
}
