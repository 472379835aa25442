import { RelayLink } from './relay-link.ts';
import type { HostMessage } from './messages.ts';
import type { LinkState, RawEvent } from './transport.ts';

/**
 * Holds the one RelayLink that several tabs share (in the SharedWorker, or in the leader tab) and
 * remembers what a tab joining late needs at once: the link state and the last `hello` and `top`
 * (with their original receipt time, so clock-skew maths stays right).
 */
export class LinkHost {
  private link: RelayLink | undefined;
  private lastLink: LinkState | undefined;
  private lastHello: RawEvent | undefined;
  private lastTop: RawEvent | undefined;

  constructor(private readonly broadcast: (message: HostMessage) => void) {}

  start(initialLastEventId?: string): void {
    if (this.link) return;
    this.link = new RelayLink({
      ...(initialLastEventId ? { initialLastEventId } : {}),
      onEvent: (event) => {
        if (event.name === 'hello') this.lastHello = event;
        else if (event.name === 'top') this.lastTop = event;
        this.broadcast({ type: 'event', event });
      },
      onLink: (link) => {
        this.lastLink = link;
        this.broadcast({ type: 'link', link });
      },
    });
    this.link.start();
  }

  stop(): void {
    this.link?.stop();
    this.link = undefined;
  }

  retryNow(): void {
    this.link?.retryNow();
  }

  /** What a newly joined tab is sent first. */
  catchUp(): HostMessage[] {
    const messages: HostMessage[] = [];
    if (this.lastLink) messages.push({ type: 'link', link: this.lastLink });
    if (this.lastHello) messages.push({ type: 'event', event: this.lastHello });
    if (this.lastTop) messages.push({ type: 'event', event: this.lastTop });
    return messages;
  }
}
