import { useMemo } from 'react';
import { ADOBE_LAG_BAND_MS, TIMESTAMPED_AFTER_S, type Stats, type Top } from '../../../../contract/index.ts';
import { formatAgo, formatCount, formatDuration, formatMoney } from '../../../lib/format.ts';
import { formatTimeWithZone } from '../../../lib/format-time.ts';
import { useTimeZone } from '../../../lib/time-zone.ts';
import { formatMs, formatPercent, formatWindow } from '../utils/format.ts';
import { FRESH_MS, buildQualityView, type Figure, type QualityView } from './stream-quality-model.ts';
import './stream-quality.css';

/** Props of {@link StreamQualityPanel}: everything comes from the caller; the panel fetches nothing. */
export interface StreamQualityPanelProps {
  /** Every window the relay computed (the `top` SSE event's `windows`, `useTopWindows()`). */
  top: readonly Top[] | undefined;
  /** The window to show (a `TOP_WINDOWS_S` value: the traffic panel's 300, 900 or 3600, or 60). */
  windowS: number;
  /** The relay's latest second (`useLatestStats()`), for the lag right now. */
  latest?: Stats | undefined;
  /** The relay's time now, epoch ms (`useRelayNow()`): figures older than a few seconds say their age. */
  now: number;
  /** The browser's link to the relay is down: the figures are the last ones received. */
  linkDown: boolean;
  /** The dashboard is paused: the top windows stand still. */
  paused?: boolean;
}

const pct = (share: number | null) => (share === null ? '–' : formatPercent(share));

/** A lag for people: `850 ms`, `42 s`, `2 min 10 s`. */
function formatLag(ms: number | undefined): string {
  if (ms === undefined) return '–';
  return ms < 60_000 ? formatMs(ms) : formatDuration(ms / 1000);
}

function Flag({ on, children }: { on: boolean; children: string }) {
  return on ? (
    <span className="quality__flag" role="status">
      {children}
    </span>
  ) : null;
}

function Share({ figure, label, testId }: { figure: Figure | undefined; label: string; testId: string }) {
  return (
    <div className="quality__row" data-testid={testId} data-flagged={figure?.flagged || undefined}>
      <dt>{label}</dt>
      <dd>
        {figure ? (
          <>
            <strong>{pct(figure.share)}</strong> <span className="quality__muted">({formatCount(figure.count)})</span>
          </>
        ) : (
          <span className="quality__muted">not sent by this relay</span>
        )}
      </dd>
    </div>
  );
}

/** How old the figures are: "live", or when they were computed and how long ago. */
function Freshness({
  view,
  now,
  linkDown,
  paused,
}: {
  view: QualityView;
  now: number;
  linkDown: boolean;
  paused: boolean;
}) {
  const [zone] = useTimeZone();
  const age = now - view.at;
  if (!linkDown && !paused && age <= FRESH_MS) {
    return (
      <span className="quality__live" data-testid="quality-age">
        Live · updated every second
      </span>
    );
  }
  const why = linkDown ? 'Relay link down' : paused ? 'Paused' : 'Not updated';
  return (
    <span className="quality__stale" data-testid="quality-age">
      {why}: figures as of {formatTimeWithZone(view.at, zone)} ({formatAgo(age)})
    </span>
  );
}

/**
 * Stream quality: the figures an operator watches to trust what the stream shows — lag against
 * Adobe's documented 20 s–5 min band, timestamped, excluded and truncated hits, revenue per
 * currency, the report suites on the stream, and how visitors spread over the shards. All from
 * the relay's counts over every hit of the window, never the sampled feed.
 */
export function StreamQualityPanel({ top, windowS, latest, now, linkDown, paused = false }: StreamQualityPanelProps) {
  const view = useMemo(() => buildQualityView(top, windowS, latest), [top, windowS, latest]);
  const band = `${formatDuration(ADOBE_LAG_BAND_MS.min / 1000)}–${formatDuration(ADOBE_LAG_BAND_MS.max / 1000)}`;
  return (
    <section className="quality" aria-labelledby="quality-title" data-testid="stream-quality">
      <header className="quality__header">
        <h2 id="quality-title" className="quality__title">
          Stream quality
        </h2>
        <span className="quality__muted">last {formatWindow(windowS)}</span>
        {view ? <Freshness view={view} now={now} linkDown={linkDown} paused={paused} /> : null}
      </header>
      {!view ? (
        <p className="quality__muted" data-testid="quality-waiting">
          Waiting for the relay’s figures…
        </p>
      ) : (
        <div className="quality__grid" data-stale={linkDown || undefined}>
          <figure className="quality__card" data-testid="quality-lag">
            <figcaption className="quality__card-title">Lag against Adobe’s {band} band</figcaption>
            {view.lag ? (
              <>
                <dl className="quality__list">
                  <div className="quality__row" data-flagged={view.lag.p95Beyond || undefined}>
                    <dt>Median · p95</dt>
                    <dd>
                      <strong>{formatLag(view.lag.p50Ms)}</strong> · <strong>{formatLag(view.lag.p95Ms)}</strong>
                    </dd>
                  </div>
                  <div className="quality__row" data-testid="quality-lag-now">
                    <dt>Last second</dt>
                    <dd>
                      {view.lagNow ? (
                        <>
                          {formatLag(view.lagNow.p50Ms)} · {formatLag(view.lagNow.p95Ms)}
                          {now - view.lagNow.at > FRESH_MS + 1000 ? (
                            <span className="quality__muted"> ({formatAgo(now - view.lagNow.at)})</span>
                          ) : null}
                        </>
                      ) : (
                        <span className="quality__muted">no hit</span>
                      )}
                    </dd>
                  </div>
                  <Share figure={view.lag.beyond} label="Beyond 5 min" testId="quality-lag-beyond" />
                  <Share figure={view.lag.below} label="Under 20 s" testId="quality-lag-below" />
                </dl>
                <Flag on={view.lag.beyond.flagged || view.lag.p95Beyond}>
                  Hits arrive later than Adobe’s 5 minutes: reports built on this stream lag behind.
                </Flag>
              </>
            ) : (
              <p className="quality__muted">Not sent by this relay.</p>
            )}
          </figure>

          <figure className="quality__card" data-testid="quality-hits">
            <figcaption className="quality__card-title">Hits ({formatCount(view.all)} in the window)</figcaption>
            <dl className="quality__list">
              <Share
                figure={view.timestampedMinute}
                label="Timestamped, last minute"
                testId="quality-timestamped-minute"
              />
              <Share figure={view.timestamped} label="Timestamped, window" testId="quality-timestamped" />
              <Share figure={view.excluded} label="Excluded by Adobe" testId="quality-excluded" />
              <Share figure={view.truncated} label="Truncated" testId="quality-truncated" />
            </dl>
            <p className="quality__note">
              Timestamped: received over {TIMESTAMPED_AFTER_S} s after collection (offline or batched). Excluded hits
              are left out of the top lists.
            </p>
            <Flag on={view.truncated?.flagged ?? false}>Adobe sends some hits incomplete.</Flag>
            <Flag on={view.timestampedMinute?.flagged ?? false}>Many old hits are arriving right now.</Flag>
          </figure>

          <figure className="quality__card" data-testid="quality-revenue">
            <figcaption className="quality__card-title">
              Revenue by currency
              {view.purchases !== undefined ? (
                <span className="quality__muted"> ({formatCount(view.purchases)} purchases)</span>
              ) : null}
            </figcaption>
            {view.revenue.length === 0 ? (
              <p className="quality__muted">No revenue in this window.</p>
            ) : (
              <ul className="quality__plain">
                {view.revenue.map((row) => (
                  <li key={row.currency ?? '-'} data-testid="quality-revenue-row">
                    <strong>{formatMoney(row.amount, row.currency)}</strong>
                    {row.currency ? null : <span className="quality__muted"> (no currency on the hits)</span>}
                  </li>
                ))}
              </ul>
            )}
          </figure>

          <figure className="quality__card" data-testid="quality-suites">
            <figcaption className="quality__card-title">Report suites</figcaption>
            {!view.reportSuites ? (
              <p className="quality__muted">Not sent by this relay.</p>
            ) : view.reportSuites.length === 0 ? (
              <p className="quality__muted">None in this window.</p>
            ) : (
              <ul className="quality__plain">
                {view.reportSuites.map((suite) => (
                  <li key={suite.key} className="quality__suite">
                    <code title={suite.key}>{suite.key}</code>{' '}
                    <span className="quality__muted">
                      {formatCount(suite.count)} ({pct(suite.share)})
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </figure>

          <figure className="quality__card quality__card--wide" data-testid="quality-shards">
            <figcaption className="quality__card-title">
              Shard spread
              {windowS === 60 ? <span className="quality__muted"> (last 51–60 s)</span> : null}
            </figcaption>
            {!view.shards ? (
              <p className="quality__muted">Not sent by this relay.</p>
            ) : (
              <>
                <table className="quality__table">
                  <thead>
                    <tr>
                      <th scope="col">Shard</th>
                      <th scope="col">Hits</th>
                      <th scope="col">Visitors</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.shards.map((row) => (
                      <tr key={row.shard} data-uneven={row.uneven || undefined} data-testid="quality-shard-row">
                        <th scope="row">{row.shard}</th>
                        <td>
                          <span
                            className="quality__bar"
                            style={{ inlineSize: `${((row.hitShare ?? 0) * 100).toFixed(1)}%` }}
                          />
                          {formatCount(row.hits)} ({pct(row.hitShare)})
                        </td>
                        <td>
                          <span
                            className="quality__bar"
                            style={{ inlineSize: `${((row.visitorShare ?? 0) * 100).toFixed(1)}%` }}
                          />
                          ≈{formatCount(row.visitors)} ({pct(row.visitorShare)})
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="quality__note">
                  Livestream groups hits by visitor over the connections; even is{' '}
                  {formatPercent(1 / view.shards.length)} each.
                </p>
                <Flag on={view.shardsUneven}>
                  Uneven: a shard is far from an even share (a heavy visitor, or a shard that lost its stream).
                </Flag>
              </>
            )}
          </figure>
        </div>
      )}
    </section>
  );
}
