import { useEffect, useState } from 'react';
import { frameScheduler, type FlushScheduler } from './live-store/frame-batcher.ts';

/**
 * Heavy renders spread over animation frames, one per frame. The traffic panel's plots all change
 * in the same second (each `stats` event moves every time axis) and each costs tens of
 * milliseconds to redraw (Recharts with up to 600 points): redrawn together they made one task of
 * 100–400 ms, and the page dropped to 35 fps. Taken one per frame, each frame has one of them.
 *
 * `enqueue(key, job)` queues a job; a later job for the same key replaces the queued one and
 * keeps its turn (a plot that changed again draws only its newest data). In a hidden tab (no
 * animation frames: the scheduler's timer fires instead) every queued job runs at once.
 */
export class FrameStagger {
  private readonly jobs = new Map<object, () => void>();
  private cancelPending: (() => void) | undefined;

  constructor(
    private readonly scheduler: FlushScheduler = frameScheduler,
    private readonly hidden: () => boolean = () => typeof document !== 'undefined' && document.hidden,
  ) {}

  /** Queues `job` under `key`; returns a function that takes it out again if it has not run. */
  enqueue(key: object, job: () => void): () => void {
    this.jobs.set(key, job);
    this.arm();
    return () => {
      if (this.jobs.get(key) === job) this.jobs.delete(key);
    };
  }

  /** Jobs waiting for a frame. */
  get pending(): number {
    return this.jobs.size;
  }

  private arm(): void {
    if (this.cancelPending || this.jobs.size === 0) return;
    this.cancelPending = this.scheduler(() => {
      this.cancelPending = undefined;
      const all = this.hidden();
      for (const [key, job] of this.jobs) {
        this.jobs.delete(key);
        job();
        if (!all) break;
      }
      this.arm();
    });
  }
}

/** The stagger the traffic panel's plots share. */
export const chartStagger = new FrameStagger();

/**
 * `value`, first as given, then each change a frame or a few late: the change waits for its
 * turn in `stagger` (one per frame), so components that all change at once re-render in
 * consecutive frames rather than in one long task. Pass a value that keeps its identity while
 * unchanged (a memoised one).
 */
export function useStaggered<T>(value: T, stagger: FrameStagger = chartStagger): T {
  const [shown, setShown] = useState(value);
  const [key] = useState(() => ({}));
  useEffect(() => {
    if (Object.is(shown, value)) return;
    return stagger.enqueue(key, () => setShown(() => value));
  }, [value, shown, stagger, key]);
  return shown;
}
