import type { BodyError, StreamBody } from '../upstream/connector.ts';

/**
 * A stream body for tests, driven by hand: `write` delivers a chunk, `end` the end of the
 * body, `fail` a break; what comes before `listen` is held. `destroyed` once the reader closed it.
 */
export class FakeBody implements StreamBody {
  destroyed = false;
  private handlers: Parameters<StreamBody['listen']>[0] | undefined;
  private readonly held: (() => void)[] = [];
  private readonly encoder = new TextEncoder();

  listen(handlers: Parameters<StreamBody['listen']>[0]): void {
    this.handlers = handlers;
    for (const deliver of this.held.splice(0)) deliver();
  }

  write(chunk: string | Uint8Array): void {
    const bytes = typeof chunk === 'string' ? this.encoder.encode(chunk) : chunk;
    this.deliver(() => this.handlers!.data(bytes));
  }

  end(): void {
    this.deliver(() => this.handlers!.end());
  }

  fail(error: BodyError): void {
    this.deliver(() => this.handlers!.error(error));
  }

  destroy(): void {
    this.destroyed = true;
  }

  private deliver(event: () => void): void {
    if (this.destroyed) return;
    if (this.handlers) event();
    else this.held.push(event);
  }
}
