import type { HitRecord } from '../../contract/index.ts';
import { hashText } from './random.ts';

function idText(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * A stable 32-bit hash of the record's visitor (`visIdHigh`/`visIdLow`, else the Experience
 * Cloud id `mcVisIdHigh`/`mcVisIdLow`); 0 for a record with neither.
 */
export function visitorHash(record: HitRecord): number {
  const high = idText(record.visIdHigh) ?? idText(record.mcVisIdHigh);
  const low = idText(record.visIdLow) ?? idText(record.mcVisIdLow);
  if (high === undefined && low === undefined) return 0;
  return hashText(`${high ?? ''}:${low ?? ''}`);
}

/**
 * Which of `n` connections (0-based) carries this record under `maxConnections=n`: every hit of
 * one visitor goes to the same connection, as Livestream groups them. `n` below 1 counts as 1.
 */
export function visitorSlot(record: HitRecord, n: number): number {
  const slots = Math.max(1, Math.floor(n));
  return visitorHash(record) % slots;
}
