import type { Problem } from '../../../../contract/index.ts';
import { formatIsoUtc } from '../../../lib/format.ts';

export interface SupportContext {
  relayVersion?: string | undefined;
  /** `simulator` or `adobe`. */
  relayMode?: string | undefined;
  /** The relay run (`status.relay.runId`): which run of the relay saw it. */
  runId?: string | undefined;
  /** The stream URL the relay reads (`status.upstream.url`: without any secret). */
  upstreamUrl?: string | undefined;
  /** Oldest and newest occurrence (epoch ms); default to the problem's own time. */
  firstAt?: number | undefined;
  lastAt?: number | undefined;
  count?: number | undefined;
}

/**
 * The text an operator pastes into a case for Adobe Customer Care: what failed, and the ids that
 * let Adobe find it (trace and request id reported together, times in ISO UTC), which stream
 * and which relay run saw it, and whether it is still going on.
 */
export function supportBundle(problem: Problem, context: SupportContext = {}): string {
  const first = context.firstAt ?? problem.at;
  const last = context.lastAt ?? problem.at;
  const lines: [string, string][] = [
    ['code', problem.code],
    ['status', String(problem.status)],
    ['message', problem.message],
    ['action', problem.action],
  ];
  if (problem.details) lines.push(['details', problem.details]);
  if (problem.retryAfter !== undefined) lines.push(['retry after', `${problem.retryAfter} s`]);
  lines.push(
    ['trace', problem.trace],
    ['request id', problem.requestId ?? 'none'],
    ['first seen', formatIsoUtc(first)],
    ['last seen', formatIsoUtc(last)],
  );
  if (context.count !== undefined) lines.push(['occurrences', String(context.count)]);
  lines.push(['state', problem.resolvedAt !== undefined ? `resolved ${formatIsoUtc(problem.resolvedAt)}` : 'active']);
  if (problem.acknowledgedAt !== undefined) lines.push(['acknowledged', formatIsoUtc(problem.acknowledgedAt)]);
  lines.push(
    ['relay version', context.relayVersion ?? 'unknown'],
    ['relay mode', context.relayMode ?? 'unknown'],
    ['relay run', context.runId ?? 'unknown'],
    ['upstream', context.upstreamUrl ?? 'unknown'],
    ['shard', problem.shard !== undefined ? String(problem.shard) : 'none'],
    ['source', problem.source],
  );
  if (problem.helpUrl) lines.push(['help', problem.helpUrl]);
  return ['Livestream Monitor: error report', ...lines.map(([k, v]) => `${k}: ${v}`)].join('\n');
}
