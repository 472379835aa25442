import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RelayLink } from './relay-link.ts';
import type { LinkState, RawEvent } from './transport.ts';

/** A controllable SSE response body. */
function sseResponse() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => (controller = c) });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    send: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

describe('RelayLink', () => {
  let links: LinkState[];
  let events: RawEvent[];
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    links = [];
    events = [];
  });
  afterEach(() => vi.useRealTimers());

  function makeLink(fetch: typeof globalThis.fetch) {
    return new RelayLink({ fetch, random: () => 0.5, onEvent: (e) => events.push(e), onLink: (s) => links.push(s) });
  }

  it('opens, forwards events, and on loss retries with ?lastEventId= after the retry: hint', async () => {
    const first = sseResponse();
    const second = sseResponse();
    const fetch = vi
      .fn<typeof globalThis.fetch>()
      .mockResolvedValueOnce(first.response)
      .mockResolvedValueOnce(second.response);
    const link = makeLink(fetch);
    link.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(links.at(-1)?.state).toBe('open');
    first.send('retry: 2000\nevent: hello\ndata: {}\n\nevent: hits\nid: run1.42\ndata: {"hits":[]}\n\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(events.map((e) => e.name)).toEqual(['hello', 'hits']);
    expect(events[1]?.id).toBe('run1.42');

    first.end();
    await vi.advanceTimersByTimeAsync(0);
    const retrying = links.at(-1)!;
    expect(retrying.state).toBe('retrying');
    expect(retrying.attempt).toBe(1);
    expect(retrying.retryAt! - Date.now()).toBe(2000);
    expect(retrying.problem?.code).toBe('connection_lost');

    await vi.advanceTimersByTimeAsync(1999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(fetch.mock.calls[1]?.[0]).toBe('/api/stream?lastEventId=run1.42');
    link.stop();
  });

  it('backs off exponentially while the relay is unreachable, and retryNow skips the wait', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockRejectedValue(new TypeError('Failed to fetch'));
    const link = makeLink(fetch);
    link.start();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      await vi.advanceTimersByTimeAsync(0);
      const state = links.at(-1)!;
      expect(state.state).toBe('retrying');
      delays.push(state.retryAt! - Date.now());
      await vi.advanceTimersByTimeAsync(state.retryAt! - Date.now());
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
    await vi.advanceTimersByTimeAsync(0);
    const calls = fetch.mock.calls.length;
    link.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch.mock.calls.length).toBe(calls + 1);
    link.stop();
    expect(links.at(-1)?.state).toBe('stopped');
  });

  it('stops in unauthorized on 401 and carries the Problem', async () => {
    const problem = {
      status: 401,
      code: 'dashboard_authentication_required',
      message: 'Sign in',
      trace: 't',
      action: 'authentication',
      at: 1,
      source: 'relay',
      id: 'p',
    };
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(
      new Response(JSON.stringify({ error: problem }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      }),
    );
    const link = makeLink(fetch);
    link.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(links.at(-1)?.state).toBe('unauthorized');
    expect(links.at(-1)?.problem?.code).toBe('dashboard_authentication_required');
    expect(fetch).toHaveBeenCalledTimes(1);
    link.stop();
  });

  it('forgets the resume id on reset, and treats a silent stream as dead', async () => {
    const first = sseResponse();
    const fetch = vi
      .fn<typeof globalThis.fetch>()
      .mockResolvedValueOnce(first.response)
      .mockResolvedValue(sseResponse().response);
    const link = new RelayLink({
      fetch,
      random: () => 0.5,
      silenceTimeoutMs: 45_000,
      onEvent: () => {},
      onLink: (s) => links.push(s),
    });
    link.start();
    await vi.advanceTimersByTimeAsync(0);
    first.send('event: hits\nid: old.9\ndata: {}\n\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(link.resumeId).toBe('old.9');
    first.send('event: reset\ndata: {"reason":"other-run"}\n\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(link.resumeId).toBeUndefined();
    await vi.advanceTimersByTimeAsync(45_000);
    expect(links.at(-1)?.state).toBe('retrying');
    expect(links.at(-1)?.problem?.code).toBe('stream_stalled');
    link.stop();
  });
});
