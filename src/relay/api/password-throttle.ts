import { isIP } from 'node:net';

/**
 * Slows password guessing (docs/api.md, "Rules": repeated wrong passwords from one address get 429).
 * An address that gives `maxFailures` wrong passwords within `windowMs` is locked out; while
 * locked out its password attempts are refused without being checked, so guessing gains nothing.
 * Each lockout of the same address lasts twice the one before (up to `maxLockMs`), until the
 * address has been quiet for `forgetMs` after its last lockout or gives the right password.
 *
 * Memory is bounded in count and time: at most `maxAddresses` are remembered (the least recently
 * seen is forgotten first), and an address is forgotten once nothing about it matters any more.
 * An IPv6 client is counted by its /64, which one machine usually holds whole.
 */

export interface PasswordThrottleOptions {
  /** Epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Wrong passwords within `windowMs` that lock an address out. Default 10. */
  maxFailures?: number;
  /** Default 5 minutes. */
  windowMs?: number;
  /** The first lockout; each next one doubles. Default 60 s. */
  baseLockMs?: number;
  /** Default 15 minutes. */
  maxLockMs?: number;
  /** Quiet time after a lockout that forgets the address (and its doubling). Default 1 hour. */
  forgetMs?: number;
  /** Addresses remembered at most. Default 10,000. */
  maxAddresses?: number;
}

interface Entry {
  failures: number;
  windowStart: number;
  lockouts: number;
  lockedUntil: number;
}

export class PasswordThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly baseLockMs: number;
  private readonly maxLockMs: number;
  private readonly forgetMs: number;
  private readonly maxAddresses: number;

  constructor(options: PasswordThrottleOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 5 * 60_000;
    this.baseLockMs = options.baseLockMs ?? 60_000;
    this.maxLockMs = options.maxLockMs ?? 15 * 60_000;
    this.forgetMs = options.forgetMs ?? 60 * 60_000;
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** Addresses remembered (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /** Milliseconds this address stays locked out; 0 when it may try a password. */
  lockedFor(address: string): number {
    const entry = this.entries.get(addressKey(address));
    return entry ? Math.max(0, entry.lockedUntil - this.now()) : 0;
  }

  /** Counts a wrong password; returns the lockout it caused (ms), or 0. */
  failed(address: string): number {
    const now = this.now();
    this.forgetStale(now);
    const key = addressKey(address);
    const entry = this.entries.get(key) ?? { failures: 0, windowStart: now, lockouts: 0, lockedUntil: 0 };
    // Re-inserted so the map's order is least recently seen first.
    this.entries.delete(key);
    if (this.entries.size >= this.maxAddresses) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, entry);
    if (now - entry.windowStart > this.windowMs) {
      entry.failures = 0;
      entry.windowStart = now;
    }
    entry.failures++;
    if (entry.failures < this.maxFailures) return 0;
    entry.lockouts++;
    const lockMs = Math.min(this.baseLockMs * 2 ** (entry.lockouts - 1), this.maxLockMs);
    entry.lockedUntil = now + lockMs;
    entry.failures = 0;
    entry.windowStart = now;
    return lockMs;
  }

  /** The right password: the address starts afresh. */
  succeeded(address: string): void {
    this.entries.delete(addressKey(address));
  }

  private stale(entry: Entry, now: number): boolean {
    if (now < entry.lockedUntil || now - entry.windowStart <= this.windowMs) return false;
    return entry.lockouts === 0 || now - entry.lockedUntil > this.forgetMs;
  }

  /** Drops stale entries from the least recently seen end: amortised O(1) per failure. */
  private forgetStale(now: number): void {
    for (const [key, entry] of this.entries) {
      if (!this.stale(entry, now)) return;
      this.entries.delete(key);
    }
  }
}

/** The unit an address is counted by: the IPv4 address, or the /64 of an IPv6 one. */
export function addressKey(address: string): string {
  const bare = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1]!;
  if (isIP(bare) !== 6) return bare;
  const [head = '', tail] = bare.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? 0 : Math.max(0, 8 - headGroups.length - groupCount(tailGroups));
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

function groupCount(groups: string[]): number {
  // An embedded IPv4 address (`64:ff9b::1.2.3.4`) fills two groups.
  return groups.reduce((count, group) => count + (group.includes('.') ? 2 : 1), 0);
}
