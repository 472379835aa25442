import { setupServer, type SetupServer } from 'msw/node';
import { createHandlers } from './handlers.ts';
import { MockRelay, type MockRelayOptions } from './mock-relay.ts';
import { scenarioByName } from './scenarios.ts';

/**
 * Mock mode in Node (tests): the same handlers as the browser, on `setupServer`, so `fetch` to
 * `baseUrl` reaches a mock relay playing the scenario. The SSE stream is served as a plain
 * streamed response in the relay's framing (MSW's `sse()` needs a global `EventSource`).
 */

export interface MockServer {
  server: SetupServer;
  relay: MockRelay;
  baseUrl: string;
  /** Stops the relay's timer and MSW. */
  close(): void;
}

export interface MockServerOptions extends Partial<Omit<MockRelayOptions, 'scenario'>> {
  scenario?: string;
  /** Default `http://relay.test`. */
  baseUrl?: string;
  /** Drive the relay with its own timer (real time). Default true; false when the test moves the clock. */
  autoAdvance?: boolean;
}

export function startMockServer(options: MockServerOptions = {}): MockServer {
  const { scenario, baseUrl = 'http://relay.test', autoAdvance = true, ...relayOptions } = options;
  const relay = new MockRelay({ ...relayOptions, scenario: scenarioByName(scenario) });
  const server = setupServer(...createHandlers(relay, { baseUrl, stream: 'response' }));
  server.listen({ onUnhandledRequest: 'error' });
  if (autoAdvance) relay.start();
  return {
    server,
    relay,
    baseUrl,
    close() {
      relay.stop();
      server.close();
    },
  };
}
