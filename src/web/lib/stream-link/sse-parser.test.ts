import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse-parser.ts';

function parse(chunks: string[]) {
  const events: SseMessage[] = [];
  const retries: number[] = [];
  const comments: string[] = [];
  const parser = createSseParser({
    onEvent: (e) => events.push(e),
    onRetry: (ms) => retries.push(ms),
    onComment: (c) => comments.push(c),
  });
  for (const chunk of chunks) parser.push(chunk);
  return { events, retries, comments };
}

describe('SSE parser', () => {
  it('reads named events with ids, retry hints and comments', () => {
    const { events, retries, comments } = parse(['retry: 2500\n: hi\n\nevent: hits\nid: r.5\ndata: {"a":1}\n\n']);
    expect(retries).toEqual([2500]);
    expect(comments).toEqual(['hi']);
    expect(events).toEqual([{ event: 'hits', id: 'r.5', data: '{"a":1}' }]);
  });

  it('joins data lines and defaults the name to message', () => {
    expect(parse(['data: a\ndata: b\n\n']).events).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('survives chunk boundaries anywhere, including inside CRLF', () => {
    const text = 'event: state\r\ndata: {"x":"é"}\r\n\r\nevent: stats\rdata: 2\r\r';
    for (let cut = 1; cut < text.length; cut++) {
      const { events } = parse([text.slice(0, cut), text.slice(cut)]);
      expect(events).toEqual([
        { event: 'state', data: '{"x":"é"}' },
        { event: 'stats', data: '2' },
      ]);
    }
  });

  it('drops a block without data and ignores unknown fields', () => {
    expect(parse(['event: x\nfoo: bar\n\n']).events).toEqual([]);
  });

  it('ignores a non-numeric retry and an id with NUL', () => {
    const { events, retries } = parse(['retry: soon\nid: a\0b\ndata: 1\n\n']);
    expect(retries).toEqual([]);
    expect(events).toEqual([{ event: 'message', data: '1' }]);
  });
});
