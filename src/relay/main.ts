import { fileURLToPath } from 'node:url';
import { createServer } from './api/server.ts';
import { ConfigError, loadConfig } from './config.ts';
import { chooseLogFormat, createLogger } from './logger.ts';
import { ClusterStartError } from './cluster/cluster.ts';
import { createRelay, type Relay } from './relay.ts';
import { startBanner } from './start-banner.ts';
import { RELAY_VERSION } from './version.ts';

/**
 * The host: reads the configuration (one line and exit 1 when it is bad, before any network
 * request), starts the relay and its HTTP server, prints the URL (and, with the embedded
 * simulator, a fault to try), and shuts down cleanly on SIGTERM/SIGINT: upstream closed, SSE
 * streams ended, exit within a few seconds. Logs are readable on a terminal, JSON otherwise.
 */

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`livestream-monitor: configuration error: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger({
  level: config.logLevel,
  format: chooseLogFormat(config.logFormat, process.stdout.isTTY),
});

let relay: Relay;
try {
  relay = await createRelay(config, RELAY_VERSION, {
    log: {
      info: (msg, fields) => logger.info(fields ?? {}, msg),
      warn: (msg, fields) => logger.warn(fields ?? {}, msg),
    },
  });
} catch (error) {
  if (error instanceof ClusterStartError) {
    console.error(`livestream-monitor: cannot start: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
const app = await createServer(relay, {
  spaDir: fileURLToPath(new URL('../../dist', import.meta.url)),
  logger: false,
});

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  console.error(`livestream-monitor: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  await relay.stop();
  process.exit(1);
}

const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/`;
logger.info(
  {
    mode: relay.mode,
    upstream: relay.status().upstream.url,
    shards: config.maxConnections,
    cooldownS: config.cooldownS,
  },
  'relay started',
);
console.log(
  startBanner({
    version: RELAY_VERSION,
    url,
    mode: relay.mode,
    upstreamUrl: relay.status().upstream.url,
    controlUrl: relay.simulator?.controlUrl,
    cooldownS: config.cooldownS,
  }).join('\n'),
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  const force = setTimeout(() => {
    logger.error('shutdown took too long; exiting');
    process.exit(1);
  }, 5_000);
  force.unref();
  await relay.stop();
  await app.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
