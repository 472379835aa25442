import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { PasswordThrottle, type PasswordThrottleOptions } from './password-throttle.ts';

/**
 * DASHBOARD_PASSWORD: HTTP Basic (works with EventSource and curl) or a login that sets an
 * HttpOnly cookie. Sessions live in memory; a relay restart signs everyone out. Password
 * attempts (Basic and the login) go through a `PasswordThrottle` per client address; a live
 * session is honoured without one, so a lockout never signs anyone out.
 */

export const SESSION_COOKIE = 'lsm_session';
const SESSION_TTL_MS = 12 * 60 * 60_000;

/** What a request's credentials amount to. */
export type AuthVerdict =
  | { kind: 'allowed' }
  /** No password and no live session: ask for one. */
  | { kind: 'missing' }
  | { kind: 'wrong' }
  /** Too many wrong passwords from this address: refused unchecked for `retryAfterS`. */
  | { kind: 'locked'; retryAfterS: number };

export interface AuthOptions {
  /** Sessions kept at most; when full, the oldest is closed. Default 1,000. */
  maxSessions?: number;
  /** The throttle's limits (its clock is the `now` given to `Auth`). */
  throttle?: Omit<PasswordThrottleOptions, 'now'>;
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export class Auth {
  /** Session id → expiry (epoch ms), oldest first: every session lives the same TTL. */
  private readonly sessions = new Map<string, number>();
  private readonly throttle: PasswordThrottle;
  private readonly maxSessions: number;

  constructor(
    private readonly password: string | undefined,
    private readonly now: () => number = Date.now,
    options: AuthOptions = {},
  ) {
    this.throttle = new PasswordThrottle({ ...options.throttle, now });
    this.maxSessions = options.maxSessions ?? 1_000;
  }

  get enabled(): boolean {
    return !!this.password;
  }

  /** Live sessions held (expired ones are swept as requests come). */
  get sessionCount(): number {
    this.sweep(this.now());
    return this.sessions.size;
  }

  /**
   * A request's standing: a live session cookie first (no password involved, so a lockout does
   * not touch it), then HTTP Basic (any user name), throttled per `address`.
   */
  verify(headers: { authorization?: string | undefined; cookie?: string | undefined }, address: string): AuthVerdict {
    if (!this.password) return { kind: 'allowed' };
    const now = this.now();
    this.sweep(now);
    const session = cookieValue(headers.cookie, SESSION_COOKIE);
    if (session) {
      const expires = this.sessions.get(session);
      if (expires !== undefined && expires > now) return { kind: 'allowed' };
      this.sessions.delete(session);
    }
    const basic = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? '');
    if (!basic) return { kind: 'missing' };
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    return this.attempt(decoded.slice(decoded.indexOf(':') + 1), address);
  }

  /** `POST /api/login`: the password given, throttled per `address`. */
  login(candidate: unknown, address: string): AuthVerdict {
    if (!this.password) return { kind: 'allowed' };
    return this.attempt(candidate, address);
  }

  private attempt(candidate: unknown, address: string): AuthVerdict {
    const locked = this.throttle.lockedFor(address);
    // Refused unchecked: while locked out, even the right password teaches a guesser nothing.
    if (locked > 0) return { kind: 'locked', retryAfterS: Math.ceil(locked / 1000) };
    if (typeof candidate === 'string' && sameSecret(candidate, this.password!)) {
      this.throttle.succeeded(address);
      return { kind: 'allowed' };
    }
    const lockMs = this.throttle.failed(address);
    return lockMs > 0 ? { kind: 'locked', retryAfterS: Math.ceil(lockMs / 1000) } : { kind: 'wrong' };
  }

  /** A new session id to set as the HttpOnly cookie. */
  open(): string {
    const now = this.now();
    this.sweep(now);
    while (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, now + SESSION_TTL_MS);
    return id;
  }

  close(cookieHeader: string | undefined): void {
    const session = cookieValue(cookieHeader, SESSION_COOKIE);
    if (session) this.sessions.delete(session);
  }

  /** `secure`: the request came over https (directly, or from a trusted TLS proxy). */
  cookie(id: string, secure: boolean): string {
    return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_TTL_MS / 1000}${secure ? '; Secure' : ''}`;
  }

  clearedCookie(secure: boolean): string {
    return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure ? '; Secure' : ''}`;
  }

  /** Drops expired sessions from the oldest end: amortised O(1) per call. */
  private sweep(now: number): void {
    for (const [id, expires] of this.sessions) {
      if (expires > now) return;
      this.sessions.delete(id);
    }
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

/** The page an unauthenticated browser gets: a plain form, no script; `error` is shown above the button. */
export function loginPage(error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>Livestream Monitor — sign in</title>
<style>body{font:16px system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0}
form{display:grid;gap:.75rem;min-width:18rem}input,button{font:inherit;padding:.5rem}.error{color:#c62828}</style></head>
<body><main><h1>Livestream Monitor</h1>
<form method="post" action="/api/login">
<label for="password">Dashboard password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<button type="submit">Sign in</button>
</form></main></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
