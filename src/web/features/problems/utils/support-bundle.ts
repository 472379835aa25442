import type { Problem } from '../../../../contract/index.ts';
import { formatIsoUtc } from '../../../lib/format.ts';

export interface SupportContext {
  relayVersion?: string | undefined;
  relayMode?: string | undefined;
  /** Oldest and newest occurrence (epoch ms); default to the problem's own time. */
  firstAt?: number | undefined;
  lastAt?: number | undefined;
  count?: number | undefined;
}

/**
 * The text an operator pastes into a case for Adobe Customer Care: what failed, and the ids that
 * let Adobe find it (trace and request id reported together, times in ISO UTC).
 */
export function supportBundle(problem: Problem, context: SupportContext = {}): string {
  const first = context.firstAt ?? problem.at;
  const last = context.lastAt ?? problem.at;
  const version = context.relayVersion
    ? `${context.relayVersion}${context.relayMode ? ` (${context.relayMode})` : ''}`
    : 'unknown';
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
  lines.push(
    ['relay version', version],
    ['shard', problem.shard !== undefined ? String(problem.shard) : 'none'],
    ['source', problem.source],
  );
  if (problem.helpUrl) lines.push(['help', problem.helpUrl]);
  return ['Livestream Monitor: error report', ...lines.map(([k, v]) => `${k}: ${v}`)].join('\n');
}
