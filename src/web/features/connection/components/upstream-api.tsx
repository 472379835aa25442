import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  UpstreamEnableResponseSchema,
  type Problem,
  type Status,
  type UpstreamEnableResponse,
} from '../../../../contract/index.ts';
import { fetchJson, problemOfError } from '../../../lib/api-client.ts';
import { formatDuration } from '../../../lib/format.ts';
import { formatTimeWithZone } from '../../../lib/format-time.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { useClockSkew } from '../../../lib/relay-clock.ts';
import { useTimeZone } from '../../../lib/time-zone.ts';
import { useStatus } from '../api/get-status.ts';

/**
 * Which Livestream API the relay reads (issue 12, Adobe's 2026 Livestream): "API 2 · 2026
 * payload" (`/api/2/stream`, or `/api/1/stream?beta=true`) or "API 1 · 2024 payload", and the
 * `reset` it sends on its first connection. While a 424 `stream_not_enabled` is active, a "Send
 * enable call" button asks the relay (`POST /api/upstream/enable`) to send Adobe's enable call
 * (`GET <origin>/api/2/enable/<endpoint>`) and shows what Adobe answered; the switch takes about
 * 15 minutes, then a failed shard is reconnected. The relay never sends that call on its own and
 * refuses a second one within a minute (429).
 */

const NOT_ENABLED = 'stream_not_enabled';

/** `POST /api/upstream/enable`: 202 with Adobe's answer; a refusal arrives as an `ApiProblemError`. */
export async function enableStream(): Promise<UpstreamEnableResponse> {
  return fetchJson('/api/upstream/enable', UpstreamEnableResponseSchema, { method: 'POST' });
}

export function useEnableStream() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: enableStream,
    // The status says when the last call was sent (`upstream.enableCall`).
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.status() }),
  });
}

/** "API 2 · 2026 payload"; what a relay of another shape (or an older one) does not say is left out. */
export function describeApi(upstream: Status['upstream']): string {
  const parts: string[] = [];
  if (upstream.apiVersion !== undefined) parts.push(`API ${upstream.apiVersion}`);
  if (upstream.payload !== undefined) parts.push(`${upstream.payload} payload`);
  return parts.length ? parts.join(' · ') : 'API not known (the stream URL is not /api/<version>/stream/<name>)';
}

/** The `reset` the first connection sends, in words. */
export function describeReset(reset: string | undefined): string {
  if (reset === undefined) return 'not known';
  if (reset === 'none') return 'none (LIVESTREAM_RESET unset: the stream resumes where it stopped)';
  if (reset === 'largest') return 'largest, on the first connection after start (skips what was missed)';
  if (reset === 'smallest') return 'smallest, on the first connection after start (from the oldest hits Adobe keeps)';
  return `${reset}, on the first connection after start`;
}

/** An active `stream_not_enabled`: on a shard of the status, or among the error objects given. */
export function notEnabledProblem(status: Status | undefined, problems: readonly Problem[] = []): Problem | undefined {
  const onShard = status?.shards.find((shard) => shard.problem?.code === NOT_ENABLED)?.problem;
  return onShard ?? problems.find((problem) => problem.code === NOT_ENABLED && problem.resolvedAt === undefined);
}

export interface UpstreamApiProps {
  /**
   * Active error objects the page already holds (e.g. the problems panel's list): a
   * `stream_not_enabled` among them shows the button too. The shards of the status are always read.
   */
  problems?: readonly Problem[];
}

export function UpstreamApi({ problems }: UpstreamApiProps = {}) {
  const { data } = useStatus();
  const mutation = useEnableStream();
  const skew = useClockSkew();
  const [zone] = useTimeZone();
  if (!data) return null;
  const { upstream } = data;
  const notEnabled = notEnabledProblem(data, problems);
  const lastCall = upstream.enableCall;
  const answer = mutation.data;
  const refusal = problemOfError(mutation.error);
  return (
    <div className="upstream-api" data-testid="upstream-api">
      <dl className="facts">
        <dt>Livestream API</dt>
        <dd data-testid="upstream-api-version">{describeApi(upstream)}</dd>
        <dt>Reset</dt>
        <dd data-testid="upstream-api-reset">{describeReset(upstream.reset)}</dd>
        {lastCall ? (
          <>
            <dt>Enable call</dt>
            <dd data-testid="upstream-api-last-enable">
              sent {formatTimeWithZone(lastCall.at - skew, zone)}
              {lastCall.upstreamStatus !== undefined ? `, Adobe answered ${lastCall.upstreamStatus}` : ''}
              {lastCall.ok ? '' : lastCall.code ? ` (${lastCall.code})` : ' (failed)'}
            </dd>
          </>
        ) : null}
      </dl>
      {notEnabled || answer || refusal ? (
        <div className="upstream-api__enable" role="group" aria-label="Enable the stream for the latest API">
          {notEnabled ? (
            <p>
              Livestream answered 424: this stream is not enabled for the latest API version. The enable call
              {upstream.enableUrl ? (
                <>
                  {' '}
                  <code className="wrap">GET {upstream.enableUrl}</code>
                </>
              ) : null}{' '}
              switches it (about 15 minutes later); or ask Adobe Customer Care.
            </p>
          ) : null}
          <button
            type="button"
            className="button button--small"
            data-testid="send-enable-call"
            disabled={mutation.isPending}
            onClick={() => mutation.mutate()}
          >
            {mutation.isPending ? 'Sending enable call…' : 'Send enable call'}
          </button>
          {answer ? (
            <p role="status" data-testid="enable-call-answer">
              Adobe answered {answer.upstreamStatus}
              {answer.answer ? `: “${answer.answer}”` : ''}. It takes about {formatDuration(answer.takesEffectInS)} to
              take effect; then press Reconnect on the failed shard.
              {answer.requestId ? <span className="muted"> Request id {answer.requestId}.</span> : null}
            </p>
          ) : null}
          {refusal ? (
            <div className="inline-problem" role="alert" data-testid="enable-call-problem">
              <p>
                <code>{refusal.code}</code>
                {refusal.source === 'upstream' ? ` (Adobe answered ${refusal.status})` : ''}: {refusal.message}
                {refusal.retryAfter !== undefined ? ` Try again in ${formatDuration(refusal.retryAfter)}.` : ''}
              </p>
              {refusal.details ? <p className="muted wrap">{refusal.details}</p> : null}
              <button type="button" className="button button--small" onClick={() => mutation.reset()}>
                Dismiss
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
