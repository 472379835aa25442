import type { HitSummary, Top } from '../../../contract/index.ts';

/**
 * Pause of the feed and the charts (WCAG 2.2.2). While paused, the snapshot shows the feed and
 * the top lists as they were at the moment of pausing, the charts stop at `chartsFrozenAtT`, and
 * the hits that arrive meanwhile are counted. What the connection map shows stays live.
 */
export class Pause {
  paused = false;
  /** Local clock, epoch ms. */
  pausedAt: number | undefined;
  /** Charts show seconds up to this one (epoch s). */
  chartsFrozenAtT: number | undefined;
  private arrived = 0;
  private feed: readonly HitSummary[] = [];
  private top: readonly Top[] | undefined;

  /** Freezes what the page shows now. */
  pause(at: number, chartsFrozenAtT: number, feed: readonly HitSummary[], top: readonly Top[] | undefined): void {
    this.paused = true;
    this.pausedAt = at;
    this.chartsFrozenAtT = chartsFrozenAtT;
    this.feed = feed;
    this.top = top;
    this.arrived = 0;
  }

  resume(): void {
    this.paused = false;
    this.pausedAt = undefined;
    this.chartsFrozenAtT = undefined;
  }

  /** Hits that arrived (the relay's count, as the feed's `received`); counted only while paused. */
  noteArrived(hits: number): void {
    if (this.paused) this.arrived += hits;
  }

  /** Hits that arrived since pausing; 0 when not paused. */
  get arrivedWhilePaused(): number {
    return this.paused ? this.arrived : 0;
  }

  /** The frozen feed while paused, else `live`. */
  feedOr(live: readonly HitSummary[]): readonly HitSummary[] {
    return this.paused ? this.feed : live;
  }

  /** The frozen top lists while paused, else `live`. */
  topOr(live: readonly Top[] | undefined): readonly Top[] | undefined {
    return this.paused ? this.top : live;
  }

  /** Empties the frozen feed too (the feed was cleared). */
  clearFeed(): void {
    this.feed = [];
  }
}
