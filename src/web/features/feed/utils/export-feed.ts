import type { HitSummary } from '../../../../contract/index.ts';
import { toCsv, toNdjson, type ExportFormat } from '../../../lib/export-file.ts';

/** The feed's columns in a CSV export: every field of a summary an operator filters or sorts on. */
export const FEED_CSV_COLUMNS = [
  'seq',
  'hitId',
  'shard',
  'arrivedAt',
  'timeGMT',
  'receivedTimeGMT',
  'reportSuite',
  'pageName',
  'pageURL',
  'geoCountry',
  'geoCity',
  'browser',
  'operatingSystem',
  'device',
  'events',
  'revenue',
  'currency',
  'bot',
  'isErrorPage',
  'excluded',
  'truncated',
] as const;

/**
 * The rows the feed shows (filtered, newest first) as a file: CSV with one column per summary
 * field (`arrivedAt` as ISO 8601 UTC, `events` joined with `;`), or NDJSON with each summary as
 * the relay sent it (already redacted; `hitId` keeps its exact digits as a string).
 */
export function exportFeed(rows: readonly HitSummary[], format: ExportFormat): string {
  if (format === 'ndjson') return toNdjson(rows);
  return toCsv(
    FEED_CSV_COLUMNS,
    rows.map((hit) =>
      FEED_CSV_COLUMNS.map((column) =>
        column === 'arrivedAt' ? new Date(hit.arrivedAt).toISOString() : (hit as Record<string, unknown>)[column],
      ),
    ),
  );
}
