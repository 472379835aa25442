import {
  isKnownShardState,
  lookupAction,
  lookupCode,
  lookupGuidance,
  type Shard,
  type Problem,
} from '../../../../contract/index.ts';
import { problemOfError } from '../../../lib/api-client.ts';
import { formatAgo, formatCountdown, formatDuration, formatRate } from '../../../lib/format.ts';
import { formatTimeWithZone, type TimeZoneMode } from '../../../lib/format-time.ts';
import { useRelayNow } from '../../../lib/ticker.ts';
import { useTimeZone } from '../../../lib/time-zone.ts';
import { useReconnectShard } from '../api/reconnect-shard.ts';
import { canReconnect, describeWait, type WaitContext } from '../utils/wait-reason.ts';
import { Countdown } from './countdown.tsx';

export interface ShardCardProps {
  shard: Shard;
  cooldownS: number;
  stallTimeoutS?: number | undefined;
  /** Hits in the last second for this shard, when known. */
  hitsPerS?: number | undefined;
  /** Last hit arrival (relay clock), from the stream or the status. */
  lastHitAt?: number | undefined;
  /**
   * The browser's link to the relay is down: what the card shows is the last known state, dimmed
   * and saying so, with no rate (it would be a stale one).
   */
  stale?: boolean | undefined;
}

/** The CSS modifier for a state; an unknown (newer) state is still shown, in neutral colours. */
export function stateClass(state: string): string {
  return `state state--${isKnownShardState(state) ? state : 'unknown'}`;
}

/**
 * One upstream connection, in a card whose every row is always there and always one size (so
 * the header never changes height when a state changes): its state in colour and words with
 * its traffic; the countdown (or the last hit); why, in up to three lines (the whole sentence in
 * the tooltip and under Connection details); its error code; Reconnect now and what to do.
 */
export function ShardCard({ shard, cooldownS, stallTimeoutS, hitsPerS, lastHitAt, stale }: ShardCardProps) {
  const now = useRelayNow();
  const [zone] = useTimeZone();
  const n = shard.shard;
  const lastHit = lastHitAt ?? shard.lastHitAt;
  const reason = shardReason(shard, { cooldownS, stallTimeoutS, now, lastHit, zone });
  const waiting = shard.state === 'waiting' && shard.retryAt !== undefined;
  return (
    <li
      className={`shard-card${stale ? ' shard-card--stale' : ''}`}
      data-testid={`shard-card-${n}`}
      data-state={shard.state}
      data-stale={stale || undefined}
    >
      <div className="shard-card__head">
        <span className="shard-card__name">Shard {n}</span>
        <span className={stateClass(shard.state)} data-testid={`shard-state-${n}`}>
          {shard.state}
        </span>
        {stale ? (
          <span className="shard-card__rate shard-card__stale" data-testid={`shard-stale-${n}`}>
            last known
          </span>
        ) : (
          <span className="shard-card__rate">
            {hitsPerS !== undefined ? `${formatRate(hitsPerS)} hits/s` : '— hits/s'}
          </span>
        )}
      </div>
      <div className="shard-card__status">
        {waiting ? (
          <>
            <Countdown
              key={shard.retryAt}
              until={shard.retryAt!}
              from={shard.since}
              clock="relay"
              testId={`shard-countdown-${n}`}
              label={`Shard ${n} reconnects in`}
            />
            <span className="muted shard-card__until">
              {shard.retryAt! - now <= 0 ? 'reconnecting any moment' : 'until it reconnects by itself'}
            </span>
          </>
        ) : (
          <span className="muted shard-card__until" data-testid={`shard-last-hit-${n}`}>
            {lastHit !== undefined ? `last hit ${formatAgo(now - lastHit)}` : 'no hit yet'}
          </span>
        )}
      </div>
      <p className="shard-card__reason" data-testid={`shard-reason-${n}`} title={reason}>
        {reason}
      </p>
      <div className="shard-card__problem">
        {shard.problem ? <ShardProblem problem={shard.problem} shard={n} /> : null}
      </div>
      <div className="shard-card__actions">
        {canReconnect(shard) ? <ReconnectButton shard={shard} now={now} /> : null}
        {shard.problem ? <WhatToDo problem={shard.problem} /> : null}
      </div>
    </li>
  );
}

/**
 * Why the shard is in its state, in one sentence: the wait's reason, the stall, the failure, or
 * how long it has been connected.
 */
export function shardReason(
  shard: Shard,
  context: WaitContext & { now: number; lastHit: number | undefined; zone: TimeZoneMode },
): string {
  const { now, lastHit, stallTimeoutS, zone } = context;
  switch (shard.state) {
    case 'waiting':
      return describeWait(shard, context);
    case 'stalled':
      return `No data for ${formatDuration((now - (lastHit ?? shard.since)) / 1000)}; after ${
        stallTimeoutS ? formatDuration(stallTimeoutS) : 'the stall timeout'
      } without a byte the connection is treated as lost.`;
    case 'failed':
      return 'Retrying cannot fix this: the relay will not reconnect by itself. Fix the cause, then press Reconnect now.';
    case 'streaming': {
      const since = shard.connectedAt ?? shard.since;
      return `Stream open since ${formatTimeWithZone(since, zone)} (${formatAgo(now - since)}); attempt ${shard.attempt}.`;
    }
    case 'connecting':
      return `Connecting since ${formatTimeWithZone(shard.since, zone)}, attempt ${shard.attempt}.`;
    default:
      return `${shard.state} since ${formatTimeWithZone(shard.since, zone)}.`;
  }
}

const problemMessage = (problem: Problem) => problem.message || lookupCode(problem.code)?.description;

/** The shard's error object on one line: code, action, status. */
function ShardProblem({ problem, shard }: { problem: Problem; shard: number }) {
  return (
    <div className="shard-problem" data-testid={`shard-problem-${shard}`}>
      <code className="shard-problem__code" title={problemMessage(problem)}>
        {problem.code}
      </code>
      <span className="badge badge--action" data-action={problem.action}>
        {problem.action}
      </span>
      <span className="muted">{problem.status}</span>
    </div>
  );
}

/** The error object's message and what to do, opening over the page so the header keeps its height. */
function WhatToDo({ problem }: { problem: Problem }) {
  return (
    <details className="shard-problem__details">
      <summary>What to do</summary>
      <div className="shard-card__popover">
        <p className="shard-problem__message">{problemMessage(problem)}</p>
        <p>{lookupGuidance(problem.code, problem.action).guidance}</p>
      </div>
    </details>
  );
}

/**
 * Reconnect now, disabled (with the time left) during the cooldown. A refused reconnect's error
 * object opens over the page under the card, until dismissed.
 */
function ReconnectButton({ shard, now }: { shard: Shard; now: number }) {
  const mutation = useReconnectShard();
  const remaining = shard.cooldownUntil !== undefined ? shard.cooldownUntil - now : 0;
  const cooling = remaining > 0;
  const problem = problemOfError(mutation.error);
  return (
    <>
      <button
        type="button"
        className="button button--small"
        data-testid={`reconnect-${shard.shard}`}
        disabled={cooling || mutation.isPending}
        title={cooling ? 'Cooldown: Adobe refuses quicker reconnects' : undefined}
        onClick={() => mutation.mutate(shard.shard)}
      >
        {mutation.isPending ? 'Reconnecting…' : 'Reconnect now'}
        {cooling ? ` (in ${formatCountdown(remaining)})` : ''}
      </button>
      {problem ? (
        <div className="shard-card__popover inline-problem" data-testid={`reconnect-problem-${shard.shard}`}>
          <p>
            <code>{problem.code}</code>: {problem.message}
            {problem.retryAfter !== undefined ? ` Retry after ${formatDuration(problem.retryAfter)}.` : ''}{' '}
            <span className="muted">{lookupAction(problem.action).guidance}</span>
          </p>
          <button type="button" className="button button--small" onClick={() => mutation.reset()}>
            Dismiss
          </button>
        </div>
      ) : null}
    </>
  );
}
