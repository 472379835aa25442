/**
 * The stream's connection slots under `maxConnections=N`: which are open, when each was last
 * released (for the churn rule), the hits each missed while disconnected (for resume) and the
 * last hits each delivered (for the duplicates Livestream sends after a reconnect). Pure logic
 * on an injected clock value: no sockets, no timers.
 */

/** A generated hit waiting for, or written to, a connection. */
export interface QueuedHit {
  /** The record's NDJSON line, without line break. */
  line: string;
  /** `visitorHash` of the record: its slot is `hash % N`. */
  hash: number;
  /** When it was generated (ms); the backlog keeps hits for `backlogMs`. */
  at: number;
}

export interface SlotTableOptions {
  /** How long a disconnected slot's hits are kept for resume (ms). */
  backlogMs: number;
  /** Cap on backlogged hits over all slots (the oldest go first). Default 50,000. */
  backlogMaxHits?: number;
  /** How many delivered hits each slot remembers for replays. Default 200. */
  historySize?: number;
  /** Upper bound of the duplicates replayed on a reconnect (at least 1 when any). Default 20. */
  reconnectDuplicatesMax?: number;
  /** Uniform in [0, 1): decides how many duplicates a reconnect gets. */
  random: () => number;
}

export type Refusal = {
  ok: false;
  status: 409 | 503;
  error: 'too_many_connections' | 'service_unavailable';
  description: string;
  /** Seconds until the churn window of the candidate slot closes (503 only). */
  retryAfterS?: number;
};

export type Grant = {
  ok: true;
  slot: number;
  /** Already-delivered hits to send again first (duplicates, as Livestream does after a reconnect). */
  duplicates: QueuedHit[];
  /** Hits missed while the slot was disconnected, oldest first. */
  backlog: QueuedHit[];
};

interface Slot {
  open: boolean;
  releasedAt: number | undefined;
  backlog: QueuedHit[];
  history: { hit: QueuedHit; seq: number }[];
}

const emptySlot = (): Slot => ({ open: false, releasedAt: undefined, backlog: [], history: [] });

export class SlotTable {
  readonly #options: Required<SlotTableOptions>;
  #slots: Slot[] = [emptySlot()];
  #seq = 0;
  #tracking = false;

  constructor(options: SlotTableOptions) {
    this.#options = { backlogMaxHits: 50_000, historySize: 200, reconnectDuplicatesMax: 20, ...options };
  }

  /** N: the `maxConnections` of the current (or last) clients. */
  get size(): number {
    return this.#slots.length;
  }

  /** True once any client connected: from then on hits for closed slots are kept for resume. */
  get tracking(): boolean {
    return this.#tracking;
  }

  get backlogMs(): number {
    return this.#options.backlogMs;
  }

  set backlogMs(ms: number) {
    this.#options.backlogMs = ms;
  }

  openSlots(): number[] {
    return this.#slots.flatMap((slot, index) => (slot.open ? [index] : []));
  }

  isOpen(slot: number): boolean {
    return this.#slots[slot]?.open ?? false;
  }

  /** Backlogged hits per slot. */
  backlogSizes(): number[] {
    return this.#slots.map((slot) => slot.backlog.length);
  }

  /**
   * A connect asking for `n` connections at `now`. Refused with 409 when the open connections
   * use another N or all N slots are taken, with 503 when the free slot released longest ago was
   * released less than `churnWindowMs` ago. A refusal changes nothing. `reset: 'largest'`, when no
   * connection is open, skips what every slot missed (and the duplicates); with connections open it
   * is ignored, as any other value: the connect resumes from the disconnection.
   */
  acquire(n: number, now: number, churnWindowMs: number, reset?: string): Grant | Refusal {
    const open = this.openSlots().length;
    if (open > 0 && n !== this.size) {
      return {
        ok: false,
        status: 409,
        error: 'too_many_connections',
        description: `maxConnections values mismatch: this connect sent maxConnections=${n}, the ${open} open connection(s) use maxConnections=${this.size}; every connection must send the same value`,
      };
    }
    if (open === 0 && n !== this.size) this.#resize(n);
    let candidate: number | undefined;
    this.#slots.forEach((slot, index) => {
      if (slot.open) return;
      const best = candidate === undefined ? undefined : this.#slots[candidate];
      if (!best || (slot.releasedAt ?? -Infinity) < (best.releasedAt ?? -Infinity)) candidate = index;
    });
    if (candidate === undefined) {
      return {
        ok: false,
        status: 409,
        error: 'too_many_connections',
        description: `too many connections: all ${n} connection(s) allowed by maxConnections=${n} are open`,
      };
    }
    const slot = this.#slots[candidate] as Slot;
    if (slot.releasedAt !== undefined && now - slot.releasedAt < churnWindowMs) {
      const waitMs = slot.releasedAt + churnWindowMs - now;
      return {
        ok: false,
        status: 503,
        error: 'service_unavailable',
        description: `connect/disconnect churn: this stream's connection was released ${((now - slot.releasedAt) / 1000).toFixed(1)} s ago; wait ${Math.ceil(waitMs / 1000)} s before connecting again`,
        retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)),
      };
    }
    slot.open = true;
    this.#tracking = true;
    this.trim(now);
    if (reset === 'largest' && open === 0) {
      // The whole stream skips to the newest data: every slot's missed hits and the position the
      // duplicates come from. Livestream applies `reset` only once all connections are closed, so
      // a connect that joins open ones resumes as usual, whatever it sends.
      for (const state of this.#slots) {
        state.backlog = [];
        state.history = [];
      }
      return { ok: true, slot: candidate, duplicates: [], backlog: [] };
    }
    const backlog = slot.backlog;
    slot.backlog = [];
    const history = slot.history;
    const max = Math.min(this.#options.reconnectDuplicatesMax, history.length);
    const count = max > 0 ? 1 + Math.floor(this.#options.random() * max) : 0;
    const duplicates = history.slice(history.length - count).map((entry) => entry.hit);
    return { ok: true, slot: candidate, duplicates, backlog };
  }

  /** The slot's connection closed (either side) at `now`; `undelivered` hits go back to its backlog. */
  release(slot: number, now: number, undelivered: QueuedHit[] = []): void {
    const state = this.#slots[slot];
    if (!state?.open) return;
    state.open = false;
    state.releasedAt = now;
    if (undelivered.length) state.backlog = [...undelivered, ...state.backlog];
  }

  /** The slot a hit belongs to under the current N. */
  slotOf(hit: QueuedHit): number {
    return hit.hash % this.size;
  }

  /** Keeps a hit for a slot that is not connected (only once any client has connected). */
  enqueue(slot: number, hit: QueuedHit): void {
    const state = this.#slots[slot];
    if (!state || !this.#tracking) return;
    state.backlog.push(hit);
  }

  /** A hit reached the wire on `slot`: remembered for duplicates. */
  delivered(slot: number, hit: QueuedHit): void {
    const state = this.#slots[slot];
    if (!state) return;
    state.history.push({ hit, seq: ++this.#seq });
    if (state.history.length > this.#options.historySize) state.history.shift();
  }

  /** The last `count` delivered hits over all slots, oldest first, each with its slot. */
  lastDelivered(count: number): { slot: number; hit: QueuedHit }[] {
    const all = this.#slots.flatMap((state, slot) => state.history.map((entry) => ({ slot, ...entry })));
    all.sort((a, b) => a.seq - b.seq);
    return all.slice(Math.max(0, all.length - count)).map(({ slot, hit }) => ({ slot, hit }));
  }

  /** Drops backlogged hits older than the backlog window, then the oldest beyond the cap. */
  trim(now: number): void {
    const oldest = now - this.#options.backlogMs;
    let total = 0;
    for (const slot of this.#slots) {
      let drop = 0;
      while (drop < slot.backlog.length && (slot.backlog[drop] as QueuedHit).at < oldest) drop++;
      if (drop) slot.backlog.splice(0, drop);
      total += slot.backlog.length;
    }
    const cap = this.#options.backlogMaxHits;
    if (total <= cap) return;
    const perSlot = Math.floor(cap / this.#slots.length);
    for (const slot of this.#slots)
      if (slot.backlog.length > perSlot) slot.backlog.splice(0, slot.backlog.length - perSlot);
  }

  /** Drops every slot's backlog (what disconnected slots missed). Returns how many hits went. */
  clearBacklogs(): number {
    let dropped = 0;
    for (const slot of this.#slots) {
      dropped += slot.backlog.length;
      slot.backlog = [];
    }
    return dropped;
  }

  /** Forgets release times, so the next connect is never refused for churn. */
  forgetReleases(): void {
    for (const slot of this.#slots) slot.releasedAt = undefined;
  }

  #resize(n: number): void {
    const old = this.#slots;
    const next = Array.from({ length: n }, (_, index) => {
      const kept = old[index];
      return kept ? { ...kept, backlog: [] as QueuedHit[] } : emptySlot();
    });
    // The backlog follows the visitors to their slots under the new N, oldest first.
    const pending = old.flatMap((slot) => slot.backlog).sort((a, b) => a.at - b.at);
    for (const hit of pending) (next[hit.hash % n] as Slot).backlog.push(hit);
    this.#slots = next;
  }
}
