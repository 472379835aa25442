import type { Shard } from '../../../../contract/index.ts';
import { ApiProblemError } from '../../../lib/api-client.ts';
import { useLastHitAt, useLatestStats, useLink, useTopWindows } from '../../../lib/live-store/index.ts';
import { formatTimeWithZone } from '../../../lib/format-time.ts';
import { useTimeZone } from '../../../lib/time-zone.ts';
import { useStatus } from '../api/get-status.ts';
import { LinkNode } from './link-node.tsx';
import { ShardCard } from './shard-card.tsx';

/** The top-list window whose report suites the Livestream node names. */
const SUITES_WINDOW_S = 300;

/** Adobe's advice: wait about 60 s after a lost connection before connecting again. */
export const ADOBE_COOLDOWN_S = 60;

/** Overall upstream health for the Relay ⇄ Livestream arrow. */
function upstreamTone(shards: readonly Shard[]): string {
  if (shards.length === 0) return 'unknown';
  if (shards.every((s) => s.state === 'streaming')) return 'streaming';
  if (shards.some((s) => s.state === 'failed')) return 'failed';
  if (shards.some((s) => s.state === 'waiting' || s.state === 'stalled')) return 'waiting';
  return 'connecting';
}

/**
 * Browser ⇅ Relay ⇄ Livestream, with every shard. Always visible in the header: at a glance,
 * is data flowing, and if not, why and when it comes back. Every node keeps its size whatever
 * the state (the header never pushes the page down). Browser and Relay stack in a narrow column
 * so the shards get the width; on a phone Livestream comes first.
 */
export function ConnectionMap() {
  const status = useStatus();
  const link = useLink();
  const stats = useLatestStats();
  const lastHitAt = useLastHitAt();
  const data = status.data;
  const relay = data?.relay;
  const shards = data?.shards ?? [];
  const statusProblem = status.error instanceof ApiProblemError ? status.error.problem : undefined;
  // The link to the relay dropped after it had worked: the shards are what the relay last said.
  const staleSince = data && link.state !== 'open' ? link.lastEventAt : undefined;
  const [zone] = useTimeZone();
  // The report suites the stream carried over the last 5 minutes (the relay counts them per hit).
  const suites = useTopWindows()
    ?.find((t) => t.window === SUITES_WINDOW_S)
    ?.reportSuites?.map((c) => c.key)
    .filter((key) => key !== '(other)');

  return (
    <section className="connection-map" aria-label="Connection map" data-testid="connection-map">
      <div className="connection-map__local">
        <LinkNode />
        <span
          className={`map-arrow map-arrow--local map-arrow--${link.state === 'open' ? 'streaming' : 'waiting'}`}
          aria-hidden="true"
        >
          ⇅
        </span>
        <div className="map-node map-node--relay" data-testid="relay-node">
          <span className="map-node__title">Relay</span>
          {relay ? (
            <>
              <span className="map-node__line">
                v{relay.version} · {data.clients} {data.clients === 1 ? 'browser' : 'browsers'}
              </span>
              {relay.cluster ? (
                <span className="map-node__line" data-testid="relay-cluster" title={relay.cluster.relayId}>
                  {relay.cluster.holds.length
                    ? `shared stream · holds shard ${relay.cluster.holds.join(', ')}`
                    : 'shared stream · standing by'}
                </span>
              ) : null}
              <span className="map-node__badges">
                {relay.mode === 'simulator' ? (
                  <span className="badge badge--info" data-testid="badge-simulator">
                    simulator
                  </span>
                ) : null}
                {relay.cooldownS < ADOBE_COOLDOWN_S ? (
                  <span className="badge badge--warn" data-testid="badge-cooldown">
                    cooldown {relay.cooldownS} s (below Adobe&apos;s {ADOBE_COOLDOWN_S} s advice)
                  </span>
                ) : null}
              </span>
            </>
          ) : (
            <span className="map-node__line muted">
              {statusProblem ? `${statusProblem.code}` : status.isPending ? 'loading status…' : 'no status'}
            </span>
          )}
        </div>
      </div>
      <span className={`map-arrow map-arrow--${upstreamTone(shards)}`} aria-hidden="true">
        ⇄
      </span>
      <div className="map-node map-node--livestream">
        <span className="map-node__title">
          Livestream
          {staleSince !== undefined ? (
            <span className="muted" data-testid="livestream-stale">
              {' '}
              · last known, as of {formatTimeWithZone(staleSince, zone)}
            </span>
          ) : data ? (
            <span className="muted">
              {' '}
              · {shards.filter((s) => s.state === 'streaming').length} of {data.upstream.maxConnections} streaming
            </span>
          ) : null}
          {suites?.length ? (
            <>
              {' · '}
              <span
                className="map-node__suites"
                data-testid="report-suites"
                title={`Report suite: ${suites.join(', ')}`}
              >
                {suites.join(', ')}
              </span>
            </>
          ) : null}
        </span>
        <ul className="shard-list" aria-label="Shards" aria-busy={data ? undefined : true}>
          {shards.map((shard) => (
            <ShardCard
              key={shard.shard}
              shard={shard}
              cooldownS={relay?.cooldownS ?? ADOBE_COOLDOWN_S}
              stallTimeoutS={relay?.stallTimeoutS}
              hitsPerS={stats?.byShard?.[shard.shard] ?? (shards.length === 1 ? stats?.hits : undefined)}
              lastHitAt={lastHitAt[shard.shard]}
              stale={staleSince !== undefined}
            />
          ))}
          {data ? null : (
            // Holds a card's place until the status arrives, so the header does not grow then.
            <li className="shard-card shard-card--placeholder" aria-hidden="true" />
          )}
        </ul>
      </div>
    </section>
  );
}
