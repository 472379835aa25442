import { formatAgo, formatBytes, formatCount, formatDuration } from '../../../lib/format.ts';
import { formatTime, formatTimeWithZone, zoneName } from '../../../lib/format-time.ts';
import { useLastHitAt, useLink, useLiveStore } from '../../../lib/live-store/index.ts';
import { useClockSkew } from '../../../lib/relay-clock.ts';
import { useRelayNow } from '../../../lib/ticker.ts';
import { useTimeZone } from '../../../lib/time-zone.ts';
import { useStatus } from '../api/get-status.ts';
import { shardReason, stateClass } from './shard-card.tsx';
import { UpstreamApi } from './upstream-api.tsx';

/**
 * The details behind the map: relay settings and counters, every shard's timings and, for a
 * shard that is not streaming, the whole sentence saying why (the map's card has room for three
 * lines), the browser link.
 */
export function ConnectionDetails() {
  const { data } = useStatus();
  const link = useLink();
  const transport = useLiveStore((s) => s.transport);
  const lastHitAt = useLastHitAt();
  const skew = useClockSkew();
  const now = useRelayNow();
  const [zone] = useTimeZone();
  const zoneLabel = zoneName(zone);
  const troubled = data?.shards.filter((shard) => shard.state !== 'streaming') ?? [];
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
          <UpstreamApi />
          <table className="table">
            <caption className="visually-hidden">Shards</caption>
            <thead>
              <tr>
                <th scope="col">Shard</th>
                <th scope="col">State</th>
                <th scope="col">Since ({zoneLabel})</th>
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
                  <td>{formatTime(shard.since - skew, zone)}</td>
                  <td>{shard.attempt}</td>
                  <td>{formatCount(shard.hits)}</td>
                  <td>{shard.retryAt !== undefined ? formatTime(shard.retryAt - skew, zone) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {troubled.length > 0 ? (
            <ul className="shard-reasons" aria-label="Why not streaming">
              {troubled.map((shard) => (
                <li key={shard.shard} data-testid={`shard-detail-reason-${shard.shard}`}>
                  <strong>Shard {shard.shard}</strong> <span className={stateClass(shard.state)}>{shard.state}</span>{' '}
                  {shardReason(shard, {
                    cooldownS: data.relay.cooldownS,
                    stallTimeoutS: data.relay.stallTimeoutS,
                    now,
                    lastHit: lastHitAt[shard.shard] ?? shard.lastHitAt,
                    zone,
                  })}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : (
        <p className="muted">Waiting for the relay&apos;s status…</p>
      )}
      <dl className="facts">
        <dt>Browser link</dt>
        <dd>
          {link.state} since {formatTimeWithZone(link.since, zone)}
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
