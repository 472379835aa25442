import { makeProblem, type Problem } from '../../contract/index.ts';

/**
 * `POST /api/upstream/:shard/reconnect`: what a shard answers an operator's "Reconnect now", and
 * the Problem the relay (and the mocks) send back when it is refused.
 */
export type ReconnectAnswer =
  | { ok: true }
  | { ok: false; reason: 'cooldown'; retryAfterS: number }
  | { ok: false; reason: 'connected' | 'stopped' };

/** 429 + `Retry-After` during the cooldown; 409 while connecting, streaming or stopping. */
export function reconnectRefusal(shard: number, answer: Exclude<ReconnectAnswer, { ok: true }>): Problem {
  if (answer.reason === 'cooldown') {
    return makeProblem({
      code: 'too_many_requests',
      source: 'relay',
      action: 'retry-after',
      retryAfter: answer.retryAfterS,
      shard,
      message: `Shard ${shard} is in its reconnect cooldown: reconnecting now would churn the stream. Try again in ${answer.retryAfterS} s.`,
    });
  }
  return makeProblem({
    code: 'shard_already_connected',
    source: 'relay',
    shard,
    message:
      answer.reason === 'stopped'
        ? 'The relay is stopping.'
        : `Shard ${shard} is connecting or streaming; there is nothing to reconnect.`,
  });
}
