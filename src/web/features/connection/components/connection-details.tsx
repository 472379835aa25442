import { formatAgo, formatBytes, formatClock, formatCount, formatDuration } from '../../../lib/format.ts';
import { useLink, useLiveStore } from '../../../lib/live-store/index.ts';
import { useClockSkew } from '../../../lib/relay-clock.ts';
import { useRelayNow } from '../../../lib/ticker.ts';
import { useStatus } from '../api/get-status.ts';
import { stateClass } from './shard-card.tsx';

/** The details behind the map: relay settings and counters, every shard's timings, the browser link. */
export function ConnectionDetails() {
  const { data } = useStatus();
  const link = useLink();
  const transport = useLiveStore((s) => s.transport);
  const skew = useClockSkew();
  const now = useRelayNow();
  return (
    <section className="panel" aria-labelledby="connection-details-heading" data-testid="connection-details">
      <h2 id="connection-details-heading">Connection details</h2>
      {data ? (
        <>
          <dl className="facts">
            <dt>Upstream</dt>
            <dd className="wrap">{data.upstream.url}</dd>
            <dt>Connections</dt>
            <dd>maxConnections {data.upstream.maxConnections}</dd>
            <dt>Cooldown</dt>
            <dd>{formatDuration(data.relay.cooldownS)}</dd>
            <dt>Relay up</dt>
            <dd>{formatAgo(now - data.relay.startedAt).replace(' ago', '')}</dd>
            <dt>Hits</dt>
            <dd>
              {formatCount(data.counters.hits)} distinct · {formatCount(data.counters.duplicates)} duplicates ·{' '}
              {formatCount(data.counters.malformed)} malformed
            </dd>
            <dt>Reconnects</dt>
            <dd>{formatCount(data.counters.reconnects)}</dd>
            <dt>Read</dt>
            <dd>{formatBytes(data.counters.bytes)}</dd>
          </dl>
          <table className="table">
            <caption className="visually-hidden">Shards</caption>
            <thead>
              <tr>
                <th scope="col">Shard</th>
                <th scope="col">State</th>
                <th scope="col">Since</th>
                <th scope="col">Attempt</th>
                <th scope="col">Hits</th>
                <th scope="col">Next try</th>
              </tr>
            </thead>
            <tbody>
              {data.shards.map((shard) => (
                <tr key={shard.shard}>
                  <td>{shard.shard}</td>
                  <td>
                    <span className={stateClass(shard.state)}>{shard.state}</span>
                  </td>
                  <td>{formatClock(shard.since - skew)}</td>
                  <td>{shard.attempt}</td>
                  <td>{formatCount(shard.hits)}</td>
                  <td>{shard.retryAt !== undefined ? formatClock(shard.retryAt - skew) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="muted">Waiting for the relay&apos;s status…</p>
      )}
      <dl className="facts">
        <dt>Browser link</dt>
        <dd>
          {link.state} since {formatClock(link.since)}
          {link.attempt > 0 ? `, ${link.attempt} failed attempt${link.attempt === 1 ? '' : 's'}` : ''}
        </dd>
        <dt>Transport</dt>
        <dd>
          {transport === 'shared-worker'
            ? 'shared by all tabs (SharedWorker)'
            : transport === 'leader'
              ? 'shared by all tabs (leader tab)'
              : 'this tab only'}
        </dd>
        <dt>Clock skew</dt>
        <dd>
          {Math.abs(skew) < 1000
            ? 'under 1 s'
            : `relay is ${formatDuration(Math.abs(skew) / 1000)} ${skew > 0 ? 'ahead' : 'behind'}`}
        </dd>
      </dl>
    </section>
  );
}
