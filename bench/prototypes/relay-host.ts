/**
 * A copy of the relay's host (`src/relay/main.ts`) for measuring a change before making it:
 * `feedIntervalMs` from BENCH_FEED_INTERVAL_MS (unset: src/'s default). Prints the same two
 * lines the suites wait for.
 */
import { fileURLToPath } from 'node:url';
import { createServer } from '../../src/relay/api/server.ts';
import { loadConfig } from '../../src/relay/config.ts';
import { createRelay } from '../../src/relay/relay.ts';
import { RELAY_VERSION } from '../../src/relay/version.ts';

const config = loadConfig();
const interval = process.env.BENCH_FEED_INTERVAL_MS;
const relay = await createRelay(config, RELAY_VERSION, interval ? { feedIntervalMs: Number(interval) } : {});
const app = await createServer(relay, {
  spaDir: fileURLToPath(new URL('../../dist', import.meta.url)),
  logger: false,
});
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
console.log(
  `\nLivestream Monitor ${RELAY_VERSION} (bench host, feed every ${interval ?? 'default'} ms) — dashboard at http://${config.host}:${port}/`,
);
console.log(`Upstream: embedded simulator (${relay.simulator?.controlUrl ?? 'none'} for faults)\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 5_000);
  force.unref();
  void relay
    .stop()
    .then(() => app.close())
    .then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
