/**
 * A Server-Sent Events parser following the WHATWG "event stream interpretation" rules, fed with
 * decoded text in chunks of any size (a line, or a CRLF pair, may span two chunks).
 *
 * We read the stream with `fetch` instead of `EventSource` because EventSource hides what the
 * dashboard needs: the HTTP status (401 means "sign in"), the `retry:` hint, and the heartbeat
 * comments that prove an idle stream is alive.
 */

/** One dispatched event. `id` is present only when this event's block carried an `id:` field. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

export interface SseParserHandlers {
  onEvent(message: SseMessage): void;
  /** A `retry:` field, in milliseconds. */
  onRetry?(ms: number): void;
  /** A comment line (`: keep-alive`), without the colon. */
  onComment?(text: string): void;
}

export interface SseParser {
  push(text: string): void;
}

export function createSseParser(handlers: SseParserHandlers): SseParser {
  let buffer = '';
  let first = true;
  let skipLf = false;
  let eventName = '';
  let data: string[] = [];
  let id: string | undefined;

  const dispatch = () => {
    if (data.length > 0) {
      const message: SseMessage = { event: eventName || 'message', data: data.join('\n') };
      if (id !== undefined) message.id = id;
      handlers.onEvent(message);
    }
    eventName = '';
    data = [];
    id = undefined;
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return handlers.onComment?.(text.slice(1).replace(/^ /, ''));
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        eventName = value;
        break;
      case 'data':
        data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) handlers.onRetry?.(Number(value));
        break;
      default:
        break;
    }
  };

  return {
    push(text: string) {
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (skipLf && text.startsWith('\n')) text = text.slice(1);
      skipLf = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const ch = buffer.charCodeAt(i);
        if (ch !== 10 && ch !== 13) continue;
        line(buffer.slice(start, i));
        if (ch === 13) {
          if (i + 1 === buffer.length) skipLf = true;
          else if (buffer.charCodeAt(i + 1) === 10) i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
  };
}
