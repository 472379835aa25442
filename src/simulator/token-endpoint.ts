import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AttemptLog, ConnectionAttempt } from './attempt-log.ts';
import type { FaultPlan } from './fault-plan.ts';
import { sendError, sendJson } from './http-answer.ts';
import { readBody } from './request-body.ts';
import type { TokenStore } from './token-store.ts';

/** Where the token endpoint lives, as on Adobe IMS. */
export const TOKEN_PATH = '/ims/token/v3';

export interface TokenEndpointDeps {
  clientId: string;
  clientSecret: string;
  tokens: TokenStore;
  faults: FaultPlan;
  attempts: AttemptLog;
}

const OAUTH_ERRORS: Record<number, string> = {
  400: 'invalid_request',
  401: 'invalid_client',
  403: 'unauthorized_client',
};

/**
 * The IMS client-credentials grant: a form POST with `grant_type=client_credentials`,
 * `client_id`, `client_secret` (and `scope`) answers `{access_token, token_type: "bearer",
 * expires_in}` (seconds); a wrong client or secret answers 401 `invalid_client`.
 */
export async function handleTokenRequest(
  req: IncomingMessage,
  res: ServerResponse,
  attempt: ConnectionAttempt,
  deps: TokenEndpointDeps,
): Promise<void> {
  const answer = (status: number, error: string, description: string, extra: Partial<ConnectionAttempt> = {}) => {
    sendError(res, { status, error, description });
    deps.attempts.answer(attempt, status, { error, ...extra });
  };
  const fault = deps.faults.takeToken();
  if (fault?.unreachable) {
    req.socket.destroy();
    deps.attempts.answer(attempt, 0, { closedAt: attempt.at, closeReason: 'socket-destroyed' });
    return;
  }
  if (fault) {
    const error = OAUTH_ERRORS[fault.status] ?? 'server_error';
    sendError(res, {
      status: fault.status,
      error,
      description: `simulated token endpoint failure (${fault.status})`,
      body: fault.body,
    });
    deps.attempts.answer(attempt, fault.status, { error });
    return;
  }
  if (req.method !== 'POST') {
    answer(405, 'invalid_request', 'the token endpoint accepts POST only');
    return;
  }
  let form: URLSearchParams;
  try {
    const text = await readBody(req, 64 * 1024);
    const type = req.headers['content-type'] ?? '';
    form = type.includes('application/json')
      ? new URLSearchParams(Object.entries(JSON.parse(text) as Record<string, string>))
      : new URLSearchParams(text);
  } catch {
    answer(400, 'invalid_request', 'the body must be an application/x-www-form-urlencoded form');
    return;
  }
  const clientId = form.get('client_id') ?? undefined;
  if (clientId) attempt.clientId = clientId;
  if (form.get('grant_type') !== 'client_credentials') {
    answer(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    return;
  }
  if (clientId !== deps.clientId || form.get('client_secret') !== deps.clientSecret) {
    answer(401, 'invalid_client', 'invalid client_id or client_secret');
    return;
  }
  const odd = deps.faults.takeTokenAnswer();
  if (odd?.answer === 'garbage') {
    const page = '<html><body><h1>Welcome</h1><p>Sign in to the network to continue.</p></body></html>';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page) });
    res.end(page);
    deps.attempts.answer(attempt, 200, { error: 'garbage' });
    return;
  }
  if (odd?.answer === 'no-token') {
    sendJson(res, 200, { token_type: 'bearer', expires_in: 86_399 });
    deps.attempts.answer(attempt, 200, { error: 'no-token' });
    return;
  }
  const { token, expiresInS } = deps.tokens.issue(clientId);
  sendJson(res, 200, { access_token: token, token_type: 'bearer', expires_in: odd ? 0 : expiresInS });
  deps.attempts.answer(attempt, 200, odd ? { error: 'expires-zero' } : {});
}
