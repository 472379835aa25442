import type { Shard } from '../../../../contract/index.ts';
import { formatDuration } from '../../../lib/format.ts';

export interface WaitContext {
  /** The relay's configured cooldown, seconds. */
  cooldownS: number;
  stallTimeoutS?: number | undefined;
}

/** The wait length as the relay planned it (since → retryAt), in seconds. */
function plannedWaitS(shard: Shard, cooldownS: number): number {
  return shard.retryAt !== undefined ? Math.max(0, Math.round((shard.retryAt - shard.since) / 1000)) : cooldownS;
}

/**
 * One line saying why a shard waits, from its `waitReason` (or, for an older relay, its
 * problem's code). Written for the operator: what happened, how long, and why waiting is right.
 */
export function describeWait(shard: Shard, context: WaitContext): string {
  const cooldown = formatDuration(context.cooldownS);
  const wait = formatDuration(plannedWaitS(shard, context.cooldownS));
  const code = shard.problem?.code;
  const reason = shard.waitReason ?? (shard.problem?.source === 'token' ? 'token' : reasonFromCode(code));
  switch (reason) {
    case 'lost':
      if (code === 'stream_stalled') {
        const stall = context.stallTimeoutS ? ` for ${formatDuration(context.stallTimeoutS)}` : '';
        return `Waiting ${wait}: no data arrived${stall}, so the connection was treated as lost; Adobe asks for this pause so the stream is not refused.`;
      }
      return `Waiting ${wait} after a lost connection, as Adobe asks, so the stream is not refused.`;
    case 'refused':
      return `Livestream refused the connection${code === 'service_unavailable' ? ' (503)' : ''}; waiting ${wait} before trying again, as Adobe asks, so it does not look like churn.`;
    case 'too-many-connections':
      return `Livestream answered 409: another client still holds this connection. Waiting ${wait} (longer after each 409, up to 5 min) so the old connection can close.`;
    case 'retry-after': {
      const asked = shard.problem?.retryAfter;
      const askedText = asked !== undefined ? ` ${formatDuration(asked)}` : '';
      return `Livestream asked to retry later (Retry-After${askedText}); waiting ${wait}, never less than the ${cooldown} cooldown.`;
    }
    case 'restart':
      return `The relay restarted less than ${cooldown} after its last connection; waiting out the rest of the cooldown (${wait} in all) so Adobe does not see churn.`;
    case 'takeover':
      return `This relay took the connection over from another relay sharing the stream; waiting ${wait} in all, the ${cooldown} cooldown from the moment the other's connection was last known open (a new or emptied Redis counts as just now).`;
    case 'standby':
      return 'Another relay sharing the stream holds this connection (or none can reach Redis); this relay takes over if it stops.';
    case 'token':
      return `The Adobe token endpoint could not be reached; waiting ${wait} before asking for a token again.`;
    default:
      return `Waiting ${wait} before the next attempt, as the relay's ${cooldown} cooldown requires.`;
  }
}

function reasonFromCode(code: string | undefined): string | undefined {
  switch (code) {
    case 'too_many_connections':
      return 'too-many-connections';
    case 'service_unavailable':
      return 'refused';
    case 'too_many_requests':
      return 'retry-after';
    case 'connection_lost':
    case 'stream_stalled':
    case 'network_connection_failure':
    case 'network_connection_timeout':
      return 'lost';
    default:
      return undefined;
  }
}

/** A shard whose state allows `POST /api/upstream/:shard/reconnect`. */
export function canReconnect(shard: Shard): boolean {
  return shard.state === 'waiting' || shard.state === 'failed';
}
