import { lookupAction, lookupCode, lookupGuidance, type Catalog, type Problem } from '../../../../contract/index.ts';
import { formatCount } from '../../../lib/format.ts';
import { formatDateTime, formatIsoUtc } from '../../../lib/format-time.ts';
import { useTimeZone } from '../../../lib/time-zone.ts';
import type { RelayContext } from '../api/relay-context.ts';
import { enableUrlFor } from '../utils/enable-url.ts';
import type { ProblemGroup } from '../utils/group-problems.ts';
import { supportBundle } from '../utils/support-bundle.ts';
import { ActionBadge } from './action-badge.tsx';
import { CopyButton } from './copy-button.tsx';

export interface ProblemCardProps {
  group: ProblemGroup;
  relayVersion?: string | undefined;
  relayMode?: string | undefined;
  /** The relay this page talks to (run, upstream), for the support bundle and the guidance. */
  relay?: RelayContext | undefined;
  /** The relay's catalogue, for actions and codes newer than this dashboard. */
  catalog?: Catalog | undefined;
  /** Acknowledges these error objects; without it the card offers no Acknowledge button. */
  onAcknowledge?: ((ids: string[]) => void) | undefined;
  /** An acknowledgement of this card is on its way. */
  acknowledging?: boolean | undefined;
  /** Why the last acknowledgement failed. */
  acknowledgeError?: string | undefined;
}

/**
 * What to do about a Problem: the code's own guidance when the catalogue has one (ours, else the
 * relay's, from a newer relay), else the action's (ours, else the relay's), else generic words.
 */
export function guidanceFor(
  problem: Pick<Problem, 'code' | 'action'>,
  catalog?: Catalog,
): { guidance: string; known: boolean } {
  const local = lookupGuidance(problem.code, problem.action);
  if (local.known) return local;
  const remoteCode = catalog?.codes.find((c) => c.code === problem.code)?.guidance;
  if (typeof remoteCode === 'string' && remoteCode) return { guidance: remoteCode, known: true };
  const remote = catalog?.actions.find((a) => a.action === problem.action);
  return remote
    ? { guidance: remote.guidance, known: true }
    : { guidance: lookupAction(problem.action).guidance, known: false };
}

/** The enable call in the guidance names this relay's own endpoint when its URL is known. */
function withEndpoint(guidance: string, upstreamUrl: string | undefined): string {
  const enableUrl = enableUrlFor(upstreamUrl);
  return enableUrl
    ? guidance.replace(/https:\/\/livestream\.adobe\.net\/api\/2\/enable\/<endpoint name>/g, enableUrl)
    : guidance;
}

const MAX_OCCURRENCES_LISTED = 20;

/** When, in the zone the operator chose (Local or UTC, the header's switch), naming it. */
export function When({ at }: { at: number }) {
  const [zone] = useTimeZone();
  return (
    <time dateTime={formatIsoUtc(at)} title={formatIsoUtc(at)}>
      {formatDateTime(at, zone)}
    </time>
  );
}

/**
 * One error code, active or resolved: its newest occurrence in full, the count, first and last
 * seen, what to do (nothing, once resolved), and an Acknowledge button while active.
 */
export function ProblemCard({
  group,
  relayVersion,
  relayMode,
  relay,
  catalog,
  onAcknowledge,
  acknowledging,
  acknowledgeError,
}: ProblemCardProps) {
  const p = group.latest;
  const resolved = group.lifecycle === 'resolved';
  const { guidance, known } = guidanceFor(p, catalog);
  const codeKnown = !!lookupCode(p.code) || !!catalog?.codes.some((c) => c.code === p.code);
  const headingId = `problem-${p.id}`;
  return (
    <article
      className={`problem-card problem-card--${group.lifecycle}`}
      data-testid="problem-card"
      data-code={p.code}
      data-lifecycle={group.lifecycle}
      aria-labelledby={headingId}
    >
      <header className="problem-card__head">
        <h3 id={headingId} className="problem-card__code">
          <code>{p.code}</code>
        </h3>
        <span className={`badge badge--lifecycle badge--lifecycle-${group.lifecycle}`} data-testid="problem-lifecycle">
          {group.lifecycle}
        </span>
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
      {p.code === 'malformed_record' && relay?.malformed !== undefined ? (
        <p className="problem-card__live" data-testid="problem-live-total">
          Now {formatCount(relay.malformed)} malformed record{relay.malformed === 1 ? '' : 's'} in total (live); the
          message above counts them as of <When at={p.at} />.
        </p>
      ) : null}
      {resolved && group.resolvedAt !== undefined ? (
        <div className="guidance guidance--resolved" data-testid="problem-guidance">
          <strong>
            Resolved <When at={group.resolvedAt} />:
          </strong>{' '}
          {group.count === 1 ? 'it is' : 'they are'} over (the relay recovered by itself); nothing to do. Kept for the
          record and for a support case.
        </div>
      ) : (
        <div className={`guidance${known ? '' : ' guidance--unknown'}`} data-testid="problem-guidance">
          <strong>What to do{known ? '' : ` (action "${p.action}" is new to this dashboard)`}:</strong>{' '}
          {withEndpoint(guidance, relay?.upstreamUrl)}
        </div>
      )}
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
        {!resolved && onAcknowledge && group.unacknowledged.length > 0 ? (
          <button
            type="button"
            className="button button--small"
            data-testid="problem-ack"
            disabled={acknowledging}
            onClick={() => onAcknowledge(group.unacknowledged.map((o) => o.id))}
          >
            {acknowledging ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        ) : null}
        {group.acknowledgedAt !== undefined ? (
          <span className="problem-card__acked" data-testid="problem-acknowledged">
            acknowledged <When at={group.acknowledgedAt} />
          </span>
        ) : null}
        {acknowledgeError ? (
          <span className="inline-problem" role="alert">
            Could not acknowledge: {acknowledgeError}
          </span>
        ) : null}
        {p.helpUrl ? (
          <a href={p.helpUrl} target="_blank" rel="noreferrer noopener">
            Adobe help for this error
          </a>
        ) : null}
        <CopyButton
          testId="copy-support"
          text={supportBundle(p, {
            relayVersion: relay?.version ?? relayVersion,
            relayMode: relay?.mode ?? relayMode,
            runId: relay?.runId,
            upstreamUrl: relay?.upstreamUrl,
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
