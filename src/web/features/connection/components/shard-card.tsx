import {
  isKnownShardState,
  lookupAction,
  lookupCode,
  makeProblem,
  type Shard,
  type Problem,
} from '../../../../contract/index.ts';
import { ApiProblemError } from '../../../lib/api-client.ts';
import { formatAgo, formatCountdown, formatDuration, formatRate } from '../../../lib/format.ts';
import { useRelayNow } from '../../../lib/ticker.ts';
import { useReconnectShard } from '../api/reconnect-shard.ts';
import { canReconnect, describeWait } from '../utils/wait-reason.ts';
import { Countdown } from './countdown.tsx';

export interface ShardCardProps {
  shard: Shard;
  cooldownS: number;
  stallTimeoutS?: number | undefined;
  /** Hits in the last second for this shard, when known. */
  hitsPerS?: number | undefined;
  /** Last hit arrival (relay clock), from the stream or the status. */
  lastHitAt?: number | undefined;
}

/** The CSS modifier for a state; an unknown (newer) state is still shown, in neutral colours. */
export function stateClass(state: string): string {
  return `state state--${isKnownShardState(state) ? state : 'unknown'}`;
}

/** One upstream connection: its state in colour and words, traffic, and while waiting, the countdown and why. */
export function ShardCard({ shard, cooldownS, stallTimeoutS, hitsPerS, lastHitAt }: ShardCardProps) {
  const now = useRelayNow();
  const n = shard.shard;
  const lastHit = lastHitAt ?? shard.lastHitAt;
  return (
    <li className="shard-card" data-testid={`shard-card-${n}`} data-state={shard.state}>
      <div className="shard-card__head">
        <span className="shard-card__name">Shard {n}</span>
        <span className={stateClass(shard.state)} data-testid={`shard-state-${n}`}>
          {shard.state}
        </span>
      </div>
      <div className="shard-card__traffic">
        <span>{hitsPerS !== undefined ? `${formatRate(hitsPerS)} hits/s` : '— hits/s'}</span>
        <span className="muted" data-testid={`shard-last-hit-${n}`}>
          {lastHit !== undefined ? `last hit ${formatAgo(now - lastHit)}` : 'no hit yet'}
        </span>
      </div>
      {shard.state === 'waiting' && shard.retryAt !== undefined ? (
        <div className="shard-card__wait">
          <Countdown
            key={shard.retryAt}
            until={shard.retryAt}
            from={shard.since}
            clock="relay"
            testId={`shard-countdown-${n}`}
            label={`Shard ${n} reconnects in`}
          />
          <span className="muted">
            {shard.retryAt - now <= 0 ? 'reconnecting any moment' : 'until it reconnects by itself'}
          </span>
        </div>
      ) : null}
      {shard.state === 'waiting' ? (
        <p className="shard-card__reason" data-testid={`shard-reason-${n}`}>
          {describeWait(shard, { cooldownS, stallTimeoutS })}
        </p>
      ) : null}
      {shard.state === 'stalled' ? (
        <p className="shard-card__reason">
          No data for {formatDuration((now - (lastHit ?? shard.since)) / 1000)}; after{' '}
          {stallTimeoutS ? formatDuration(stallTimeoutS) : 'the stall timeout'} without a byte the connection is treated
          as lost.
        </p>
      ) : null}
      {shard.state === 'failed' ? (
        <p className="shard-card__reason">
          Retrying cannot fix this: the relay will not reconnect by itself. Fix the cause, then press Reconnect now.
        </p>
      ) : null}
      {shard.problem ? <ShardProblem problem={shard.problem} shard={n} /> : null}
      {canReconnect(shard) ? <ReconnectButton shard={shard} now={now} /> : null}
    </li>
  );
}

function ShardProblem({ problem, shard }: { problem: Problem; shard: number }) {
  const action = lookupAction(problem.action);
  return (
    <div className="shard-problem" data-testid={`shard-problem-${shard}`}>
      <div>
        <code>{problem.code}</code>{' '}
        <span className="badge badge--action" data-action={problem.action}>
          {problem.action}
        </span>{' '}
        <span className="muted">{problem.status}</span>
      </div>
      <p className="shard-problem__message">{problem.message || lookupCode(problem.code)?.description}</p>
      <details>
        <summary>What to do</summary>
        <p>{action.guidance}</p>
      </details>
    </div>
  );
}

function ReconnectButton({ shard, now }: { shard: Shard; now: number }) {
  const mutation = useReconnectShard();
  const remaining = shard.cooldownUntil !== undefined ? shard.cooldownUntil - now : 0;
  const cooling = remaining > 0;
  const error = mutation.error;
  const problem =
    error instanceof ApiProblemError
      ? error.problem
      : error
        ? makeProblem({ code: 'internal_error', source: 'relay', details: String(error) })
        : undefined;
  return (
    <div className="shard-card__actions">
      <button
        type="button"
        className="button"
        data-testid={`reconnect-${shard.shard}`}
        disabled={cooling || mutation.isPending}
        onClick={() => mutation.mutate(shard.shard)}
      >
        {mutation.isPending ? 'Reconnecting…' : 'Reconnect now'}
        {cooling ? ` (in ${formatCountdown(remaining)})` : ''}
      </button>
      {cooling ? <span className="muted"> cooldown: Adobe refuses quicker reconnects</span> : null}
      {problem ? (
        <p className="inline-problem" data-testid={`reconnect-problem-${shard.shard}`}>
          <code>{problem.code}</code>: {problem.message}
          {problem.retryAfter !== undefined ? ` Retry after ${formatDuration(problem.retryAfter)}.` : ''}{' '}
          <span className="muted">{lookupAction(problem.action).guidance}</span>
        </p>
      ) : null}
    </div>
  );
}
