import { formatDateTime, formatIsoUtc, formatTimeWithZone } from '../../../lib/format-time.ts';

/** Alerts are written in UTC everywhere (their texts, webhooks and Alertmanager are). */
const ZONE = 'utc';

/** Older than this, a time in the banner carries its date. */
const SAME_DAY_MS = 20 * 3600_000;

/** A moment of an alert in UTC: `18:00:06 UTC` near `now`, with the date otherwise (or with `date`). */
export function AlertTime({ at, now, date = false }: { at: number; now?: number; date?: boolean }) {
  const withDate = date || (now !== undefined && now - at > SAME_DAY_MS);
  return (
    <time dateTime={formatIsoUtc(at)} title={formatIsoUtc(at)}>
      {withDate ? formatDateTime(at, ZONE) : formatTimeWithZone(at, ZONE)}
    </time>
  );
}
