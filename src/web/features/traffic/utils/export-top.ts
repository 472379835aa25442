import type { Top } from '../../../../contract/index.ts';
import { toCsv, toNdjson, type ExportFormat } from '../../../lib/export-file.ts';
import { TOP_DIMENSIONS } from '../../../lib/top-pick.ts';

/**
 * One window's top lists as a file, one line per entry of every list: `list,key,count,share`
 * (share of the window's hits, 0..1) in CSV; `{window, at, list, key, count}` in NDJSON. The
 * whole lists the relay sent, not only the entries on screen.
 */
export function exportTop(top: Top, format: ExportFormat): string {
  const rows = TOP_DIMENSIONS.flatMap((list) => (top[list] ?? []).map((c) => ({ list, key: c.key, count: c.count })));
  if (format === 'ndjson') {
    return toNdjson(rows.map((r) => ({ window: top.window, at: new Date(top.at).toISOString(), ...r })));
  }
  return toCsv(
    ['window_s', 'at', 'list', 'key', 'count', 'share'],
    rows.map((r) => [
      top.window,
      new Date(top.at).toISOString(),
      r.list,
      r.key,
      r.count,
      top.hits > 0 ? Number((r.count / top.hits).toFixed(6)) : '',
    ]),
  );
}
