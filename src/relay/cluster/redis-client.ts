import { Redis } from 'ioredis';

/**
 * One ioredis connection with bounded waits: a command that gets no answer within
 * `commandTimeoutMs` fails (a lease must know in time that it could not renew), commands are not
 * queued while disconnected (they fail at once instead of running late), and reconnection is
 * retried every half second, for ever. `blocking` connections (XREAD BLOCK) get no command
 * timeout: their wait is bounded by the BLOCK argument.
 */
export function connectRedis(
  url: string,
  options: { name: string; commandTimeoutMs?: number; blocking?: boolean; log?: (message: string) => void },
): Redis {
  const redis = new Redis(url, {
    connectionName: options.name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 5_000,
    ...(options.blocking ? {} : { commandTimeout: options.commandTimeoutMs ?? 2_000 }),
    retryStrategy: () => 500,
    lazyConnect: false,
  });
  // Without a listener, ioredis reports a connection error as an unhandled 'error' event.
  let lastError = '';
  redis.on('error', (error: Error) => {
    if (error.message !== lastError) options.log?.(`redis (${options.name}): ${error.message}`);
    lastError = error.message;
  });
  redis.on('ready', () => (lastError = ''));
  return redis;
}

/** Resolves when the connection is ready, or rejects after `timeoutMs`. */
export function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', ready);
      reject(new Error(`Redis did not answer within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    const ready = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', ready);
  });
}
