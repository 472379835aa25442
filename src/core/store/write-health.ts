/**
 * Whether a store's writes to `DATA_DIR` are going through. A failed write is reported once when
 * writes start failing and once when they work again, never once per write, so a full disk gives
 * one Problem rather than one every five seconds (and a Problem log that cannot write cannot
 * report its own failure in a loop).
 */

export interface WriteHooks {
  /** Writes of `what` started failing: the store goes on in memory. */
  onWriteError?(what: string, error: unknown): void;
  /** Writes of `what` work again. */
  onWriteRecovered?(what: string): void;
}

export class WriteHealth {
  private failing = false;

  constructor(
    private readonly what: string,
    private readonly hooks: WriteHooks = {},
  ) {}

  get ok(): boolean {
    return !this.failing;
  }

  failed(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.hooks.onWriteError?.(this.what, error);
  }

  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.hooks.onWriteRecovered?.(this.what);
  }
}
