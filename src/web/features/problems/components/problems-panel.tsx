import { useMemo } from 'react';
import { ApiProblemError } from '../../../lib/api-client.ts';
import { useSearchParam } from '../../../lib/url-state.ts';
import { useAcknowledgeProblems } from '../api/acknowledge-problem.ts';
import { useCatalog } from '../api/get-catalog.ts';
import { useProblems } from '../api/get-problems.ts';
import { useRelayContext } from '../api/relay-context.ts';
import { filterProblems, groupProblems, type ProblemGroup } from '../utils/group-problems.ts';
import { ProblemCard, When } from './problem-card.tsx';
import '../problems.css';

export interface ProblemsPanelProps {
  relayVersion?: string | undefined;
  relayMode?: string | undefined;
}

/** URL query parameters holding the filters, so a filtered view can be shared. */
export const PROBLEM_FILTER_PARAMS = { action: 'action', source: 'source' } as const;

/** The values present in the list (the selected one kept, so a shared URL's filter shows), in order of first appearance. */
function options(present: Iterable<string>, selected: string | null): string[] {
  const values = new Set(present);
  if (selected) values.add(selected);
  return [...values];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Every error object the relay recorded, grouped by code: the active ones first, in full, each
 * with Acknowledge; the resolved ones after, each collapsed to a line saying when it was resolved.
 * Filterable by the actions and sources present in the list.
 */
export function ProblemsPanel({ relayVersion, relayMode }: ProblemsPanelProps) {
  const problems = useProblems();
  const catalog = useCatalog();
  const relay = useRelayContext();
  const acknowledge = useAcknowledgeProblems();
  const [action, setAction] = useSearchParam(PROBLEM_FILTER_PARAMS.action);
  const [source, setSource] = useSearchParam(PROBLEM_FILTER_PARAMS.source);
  const all = problems.data?.problems;
  const groups = useMemo(() => groupProblems(filterProblems(all ?? [], { action, source })), [all, action, source]);
  const actionOptions = options(
    (all ?? []).map((p) => p.action),
    action,
  );
  const sourceOptions = options(
    (all ?? []).map((p) => p.source),
    source,
  );
  const active = groups.filter((g) => g.lifecycle === 'active');
  const resolved = groups.filter((g) => g.lifecycle === 'resolved');
  const count = (list: ProblemGroup[]) => list.reduce((n, g) => n + g.count, 0);
  const pendingIds = acknowledge.isPending ? new Set(acknowledge.variables) : undefined;
  const failedIds = acknowledge.isError ? new Set(acknowledge.variables) : undefined;
  const ackError =
    acknowledge.error instanceof ApiProblemError ? acknowledge.error.problem.message : acknowledge.error?.message;

  const card = (group: ProblemGroup) => (
    <ProblemCard
      key={`${group.lifecycle} ${group.code}`}
      group={group}
      relayVersion={relayVersion}
      relayMode={relayMode}
      relay={relay}
      catalog={catalog.data}
      onAcknowledge={(ids) => acknowledge.mutate(ids)}
      acknowledging={group.unacknowledged.some((o) => pendingIds?.has(o.id))}
      acknowledgeError={group.unacknowledged.some((o) => failedIds?.has(o.id)) ? ackError : undefined}
    />
  );

  return (
    <section className="panel problems-panel" aria-labelledby="problems-heading" data-testid="problems-panel">
      <div className="panel__head">
        <h2 id="problems-heading">Error objects</h2>
        <div className="filters" role="group" aria-label="Filter error objects">
          <label>
            Action{' '}
            <select
              value={action ?? ''}
              onChange={(e) => setAction(e.target.value || null)}
              data-testid="filter-action"
            >
              <option value="">all</option>
              {actionOptions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label>
            Source{' '}
            <select
              value={source ?? ''}
              onChange={(e) => setSource(e.target.value || null)}
              data-testid="filter-source"
            >
              <option value="">all</option>
              {sourceOptions.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {problems.error ? (
        <p className="inline-problem">
          Could not load the error log:{' '}
          {problems.error instanceof ApiProblemError ? problems.error.problem.code : problems.error.message}
        </p>
      ) : problems.isPending ? (
        <p className="muted">Loading the error log…</p>
      ) : groups.length === 0 ? (
        <p className="muted" data-testid="problems-empty">
          {all && all.length > 0
            ? 'No error object matches these filters.'
            : 'No error objects. Every failure the relay meets will be listed here with what to do.'}
        </p>
      ) : (
        <>
          <p className="muted" data-testid="problems-summary">
            {plural(count(active), 'active error object')}
            {resolved.length > 0 ? `, ${count(resolved)} resolved` : ''}; active first, newest first
          </p>
          {active.length === 0 ? (
            <p className="problems-all-clear" data-testid="problems-all-clear">
              No active error objects: everything below was resolved.
            </p>
          ) : (
            <ul className="problem-list problems-list" aria-label="Active error objects">
              {active.map((group) => (
                <li key={group.code}>{card(group)}</li>
              ))}
            </ul>
          )}
          {resolved.length > 0 ? (
            <ul className="problem-list problems-list problems-list--resolved" aria-label="Resolved error objects">
              {resolved.map((group) => (
                <li key={group.code}>
                  <details className="problem-resolved" data-testid="problem-resolved" data-code={group.code}>
                    <summary>
                      <code>{group.code}</code>{' '}
                      <span className="badge badge--lifecycle badge--lifecycle-resolved">resolved</span>{' '}
                      {group.count === 1 ? 'once' : `${group.count} times`}, resolved{' '}
                      {group.resolvedAt !== undefined ? <When at={group.resolvedAt} /> : null}
                    </summary>
                    {card(group)}
                  </details>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    </section>
  );
}
