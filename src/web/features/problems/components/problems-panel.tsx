import { useMemo } from 'react';
import { KNOWN_ACTIONS, KNOWN_SOURCES } from '../../../../contract/index.ts';
import { ApiProblemError } from '../../../lib/api-client.ts';
import { useSearchParam } from '../../../lib/url-state.ts';
import { useCatalog } from '../api/get-catalog.ts';
import { useProblems } from '../api/get-problems.ts';
import { filterProblems, groupProblems } from '../utils/group-problems.ts';
import { ProblemCard } from './problem-card.tsx';

export interface ProblemsPanelProps {
  relayVersion?: string | undefined;
  relayMode?: string | undefined;
}

/** URL query parameters holding the filters, so a filtered view can be shared. */
export const PROBLEM_FILTER_PARAMS = { action: 'action', source: 'source' } as const;

function options(known: readonly string[], seen: Iterable<string>): string[] {
  return [...new Set([...known, ...seen])];
}

/** Every error object the relay recorded, newest first, grouped by code, filterable by action and source. */
export function ProblemsPanel({ relayVersion, relayMode }: ProblemsPanelProps) {
  const problems = useProblems();
  const catalog = useCatalog();
  const [action, setAction] = useSearchParam(PROBLEM_FILTER_PARAMS.action);
  const [source, setSource] = useSearchParam(PROBLEM_FILTER_PARAMS.source);
  const all = problems.data?.problems;
  const groups = useMemo(() => groupProblems(filterProblems(all ?? [], { action, source })), [all, action, source]);
  const actionOptions = options(
    KNOWN_ACTIONS,
    (all ?? []).map((p) => p.action),
  );
  const sourceOptions = options(
    KNOWN_SOURCES,
    (all ?? []).map((p) => p.source),
  );
  const shown = groups.reduce((n, g) => n + g.count, 0);

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
          <p className="muted">
            {shown} error object{shown === 1 ? '' : 's'} in {groups.length} code{groups.length === 1 ? '' : 's'}, newest
            first
          </p>
          <div className="problem-list">
            {groups.map((group) => (
              <ProblemCard
                key={group.code}
                group={group}
                relayVersion={relayVersion}
                relayMode={relayMode}
                catalog={catalog.data}
              />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
