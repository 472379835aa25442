import type { LinkState } from '../stream-link/index.ts';

/**
 * The browser's link as the snapshot shows it: the transport's latest state plus `lastEventAt`,
 * the arrival of the last event, which moves at most once a second (events arrive many times a
 * second; a "last event 2 s ago" label needs no more).
 */
export class LinkStatus {
  private base: LinkState;
  private lastEventAt: number | undefined;
  /** What the last snapshot showed, and the transport state it was made from. */
  private shown: LinkState;
  private shownBase: LinkState;

  constructor(initial: LinkState) {
    this.base = initial;
    this.shownBase = initial;
    this.shown = { ...initial };
  }

  /** The transport reported a new state. */
  set(link: LinkState): void {
    this.base = link;
  }

  /** An event arrived (local clock, epoch ms). */
  eventAt(at: number): void {
    this.lastEventAt = at;
  }

  /** The link for the next snapshot: the same object as the last one while nothing visible changed. */
  current(): LinkState {
    const prev = this.shown;
    const lastEventAt =
      this.lastEventAt !== undefined && (prev.lastEventAt === undefined || this.lastEventAt - prev.lastEventAt >= 1000)
        ? this.lastEventAt
        : prev.lastEventAt;
    if (this.base === this.shownBase && lastEventAt === prev.lastEventAt) return prev;
    this.shownBase = this.base;
    this.shown = lastEventAt === undefined ? { ...this.base } : { ...this.base, lastEventAt };
    return this.shown;
  }
}
