/**
 * Exports of what the page shows (the feed, the top lists) as CSV or NDJSON files, made in the
 * browser from the data already there: no request, nothing the relay has not already sent.
 */

export type ExportFormat = 'csv' | 'ndjson';

/** Characters that make a spreadsheet read a cell as a formula (CSV injection): such a cell gets a leading `'`. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; never a live formula. */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text: string;
  if (Array.isArray(value)) text = value.join(';');
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = `${value}`;
  else text = JSON.stringify(value) ?? '';
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document: a header line, then one line per row, CRLF-separated as RFC 4180 says. */
export function toCsv(columns: readonly string[], rows: Iterable<readonly unknown[]>): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** One JSON object per line. */
export function toNdjson(rows: Iterable<unknown>): string {
  let text = '';
  for (const row of rows) text += `${JSON.stringify(row)}\n`;
  return text;
}

export const EXPORT_MIME: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  ndjson: 'application/x-ndjson;charset=utf-8',
};

/** `livestream-feed-20261130T154000Z.csv`: what it is and when (UTC), sortable. */
export function exportFileName(what: string, format: ExportFormat, at: number): string {
  const stamp = new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `livestream-${what}-${stamp}.${format}`;
}

/** Hands `text` to the browser as a file download. */
export function downloadText(fileName: string, format: ExportFormat, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: EXPORT_MIME[format] }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the click; the URL is no longer needed once it has.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
