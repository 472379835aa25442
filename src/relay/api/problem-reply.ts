import type { FastifyReply } from 'fastify';
import type { Problem } from '../../contract/index.ts';
import { relayProblem } from '../../core/routes/routes.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

export { relayProblem };

/**
 * Answers `{error: Problem}` with its status, `Retry-After` when the action is `retry-after`,
 * and the security headers. They are set here, not only in the `onSend` hook, because Fastify's
 * router errors (bad URL, over-long parameter) are answered outside any route and skip it.
 */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) void reply.header(name, value);
  if (problem.action === 'retry-after' && problem.retryAfter !== undefined) {
    void reply.header('retry-after', String(Math.ceil(problem.retryAfter)));
  }
  return reply.code(problem.status).type('application/json; charset=utf-8').send({ error: problem });
}
