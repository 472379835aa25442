import { lookupAction, lookupCode, type Catalog } from '../../../../contract/index.ts';
import { formatClock, formatIsoUtc } from '../../../lib/format.ts';
import { supportBundle } from '../utils/support-bundle.ts';
import type { ProblemGroup } from '../utils/group-problems.ts';
import { ActionBadge } from './action-badge.tsx';
import { CopyButton } from './copy-button.tsx';

export interface ProblemCardProps {
  group: ProblemGroup;
  relayVersion?: string | undefined;
  relayMode?: string | undefined;
  /** The relay's catalogue, for actions and codes newer than this dashboard. */
  catalog?: Catalog | undefined;
}

/** Guidance for an action: ours, else the relay's (a newer relay), else the generic words. */
export function guidanceFor(action: string, catalog?: Catalog): { guidance: string; known: boolean } {
  const local = lookupAction(action);
  if (local.known) return { guidance: local.guidance, known: true };
  const remote = catalog?.actions.find((a) => a.action === action);
  return remote ? { guidance: remote.guidance, known: true } : { guidance: local.guidance, known: false };
}

const MAX_OCCURRENCES_LISTED = 20;

function When({ at }: { at: number }) {
  return (
    <time dateTime={formatIsoUtc(at)} title={formatIsoUtc(at)}>
      {new Date(at).toLocaleDateString('en-CA')} {formatClock(at)}
    </time>
  );
}

/** One error code: its newest occurrence in full, the count, first and last seen, what to do. */
export function ProblemCard({ group, relayVersion, relayMode, catalog }: ProblemCardProps) {
  const p = group.latest;
  const { guidance, known } = guidanceFor(p.action, catalog);
  const codeKnown = !!lookupCode(p.code) || !!catalog?.codes.some((c) => c.code === p.code);
  const headingId = `problem-${p.id}`;
  return (
    <article className="problem-card" data-testid="problem-card" data-code={p.code} aria-labelledby={headingId}>
      <header className="problem-card__head">
        <h3 id={headingId} className="problem-card__code">
          <code>{p.code}</code>
        </h3>
        <span className="badge badge--status" title="HTTP status">
          {p.status}
        </span>
        <ActionBadge action={p.action} />
        <span className="problem-card__count" data-testid="problem-count">
          {group.count === 1 ? 'once' : `${group.count} times`}
        </span>
      </header>
      <p className="problem-card__message">{p.message}</p>
      {p.details ? <pre className="problem-card__details">{p.details}</pre> : null}
      <div className={`guidance${known ? '' : ' guidance--unknown'}`} data-testid="problem-guidance">
        <strong>What to do{known ? '' : ` (action "${p.action}" is new to this dashboard)`}:</strong> {guidance}
      </div>
      {!codeKnown ? (
        <p className="muted">
          This code is not in the dashboard&apos;s catalogue yet; the message above is the relay&apos;s own.
        </p>
      ) : null}
      <dl className="facts facts--compact">
        <dt>First seen</dt>
        <dd>
          <When at={group.firstAt} />
        </dd>
        <dt>Last seen</dt>
        <dd>
          <When at={group.lastAt} />
        </dd>
        <dt>Trace</dt>
        <dd>
          <code className="wrap">{p.trace}</code>
        </dd>
        <dt>Request id</dt>
        <dd>{p.requestId ? <code className="wrap">{p.requestId}</code> : <span className="muted">none</span>}</dd>
        <dt>Shard</dt>
        <dd>{p.shard ?? <span className="muted">none</span>}</dd>
        <dt>Source</dt>
        <dd>{p.source}</dd>
        {p.retryAfter !== undefined ? (
          <>
            <dt>Retry-After</dt>
            <dd>{p.retryAfter} s</dd>
          </>
        ) : null}
      </dl>
      <div className="problem-card__actions">
        {p.helpUrl ? (
          <a href={p.helpUrl} target="_blank" rel="noreferrer noopener">
            Adobe help for this error
          </a>
        ) : null}
        <CopyButton
          testId="copy-support"
          text={supportBundle(p, {
            relayVersion,
            relayMode,
            firstAt: group.firstAt,
            lastAt: group.lastAt,
            count: group.count,
          })}
        />
      </div>
      {group.count > 1 ? (
        <details className="problem-card__occurrences">
          <summary>All {group.count} occurrences</summary>
          <ol>
            {group.occurrences.slice(0, MAX_OCCURRENCES_LISTED).map((o) => (
              <li key={o.id}>
                <When at={o.at} /> · {o.status} · trace <code>{o.trace}</code>
                {o.requestId ? (
                  <>
                    {' '}
                    · request <code>{o.requestId}</code>
                  </>
                ) : null}
                {o.shard !== undefined ? ` · shard ${o.shard}` : ''}
              </li>
            ))}
          </ol>
          {group.count > MAX_OCCURRENCES_LISTED ? (
            <p className="muted">and {group.count - MAX_OCCURRENCES_LISTED} older</p>
          ) : null}
        </details>
      ) : null}
    </article>
  );
}
