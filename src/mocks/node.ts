import { setupServer, type SetupServer } from 'msw/node';
import { createHandlers } from './handlers.ts';
import { MockHost, type MockHostOptions } from './mock-host.ts';
import { scenarioByName } from './scenarios.ts';

/**
 * Mock mode in Node (tests): the same handlers as the browser, on `setupServer`, so `fetch` to
 * `baseUrl` reaches a mock host running the relay's core on the scenario's script. The SSE stream
 * is the same streamed response as in the browser.
 */

export interface MockServer {
  server: SetupServer;
  /** The host: its core (`host.core`), its clock, `sync()`, `linkDown()`. */
  host: MockHost;
  baseUrl: string;
  /** Stops the host and MSW. */
  close(): void;
}

export interface MockServerOptions extends Partial<Omit<MockHostOptions, 'scenario'>> {
  scenario?: string;
  /** Default `http://relay.test`. */
  baseUrl?: string;
  /** Follow the clock with a timer of its own (real time). Default true; false when the test moves the clock. */
  autoAdvance?: boolean;
}

export function startMockServer(options: MockServerOptions = {}): MockServer {
  const { scenario, baseUrl = 'http://relay.test', autoAdvance = true, ...hostOptions } = options;
  const host = new MockHost({ ...hostOptions, scenario: scenarioByName(scenario) });
  const server = setupServer(...createHandlers(host, { baseUrl }));
  server.listen({ onUnhandledRequest: 'error' });
  if (autoAdvance) host.start();
  return {
    server,
    host,
    baseUrl,
    close() {
      void host.close();
      server.close();
    },
  };
}
