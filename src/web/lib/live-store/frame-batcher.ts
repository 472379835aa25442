/** A hidden tab gets no animation frames: a timer flushes instead (browsers slow it to ≥ 1 s). */
export const HIDDEN_FLUSH_MS = 250;

/** Requests one flush; returns a cancel function. */
export type FlushScheduler = (flush: () => void) => () => void;

/** Next animation frame, or a timer when no frame comes (hidden tab), whichever is first. */
export const frameScheduler: FlushScheduler = (flush) => {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(timer);
    flush();
  };
  const frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(run) : undefined;
  const timer = setTimeout(run, HIDDEN_FLUSH_MS);
  return () => {
    done = true;
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
};

/**
 * Turns any number of changes before the next frame into one flush: `request()` asks for a flush
 * unless one is already pending. The live store publishes a snapshot per flush, so a burst of
 * SSE events costs one React update, never one per hit.
 */
export class FrameBatcher {
  private cancelPending: (() => void) | undefined;

  constructor(
    private readonly scheduler: FlushScheduler,
    private readonly flush: () => void,
  ) {}

  request(): void {
    if (this.cancelPending) return;
    this.cancelPending = this.scheduler(() => {
      this.cancelPending = undefined;
      this.flush();
    });
  }

  /** Forgets the pending flush, if any (the caller flushes by itself, or stops). */
  cancel(): void {
    this.cancelPending?.();
    this.cancelPending = undefined;
  }
}
