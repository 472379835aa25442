import type { HitRecord, HitSummary } from '../../contract/index.ts';

/**
 * Masks the hit fields named in REDACT_FIELDS before anything leaves the relay. `ip` keeps its
 * first three octets (IPv6: its first three groups); every other field becomes "[redacted]".
 * Dotted names reach into nested objects (`evars.evars.eVar5`).
 */

export const REDACTED = '[redacted]';

export function maskIp(value: unknown): string {
  if (typeof value !== 'string') return REDACTED;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(value.trim());
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.xxx`;
  if (value.includes(':')) {
    const groups = value.split(':').filter(Boolean).slice(0, 3);
    return `${groups.join(':')}::xxxx`;
  }
  return REDACTED;
}

export class Redactor {
  private readonly paths: string[][];
  private readonly topLevel: string[];

  constructor(fields: readonly string[]) {
    this.paths = fields.map((field) => field.split('.'));
    this.topLevel = fields.filter((field) => !field.includes('.'));
  }

  get active(): boolean {
    return this.paths.length > 0;
  }

  /** True when the record holds any field to mask (the common case is false: nothing copied). */
  touches(record: HitRecord): boolean {
    return this.paths.some((path) => lookup(record, path) !== undefined);
  }

  /** A copy of the record with the fields masked; the original is left alone. */
  record(record: HitRecord): HitRecord {
    if (!this.touches(record)) return record;
    const copy = structuredClone(record);
    for (const path of this.paths) {
      const parent = path.length === 1 ? copy : lookup(copy, path.slice(0, -1));
      const key = path[path.length - 1]!;
      if (parent && typeof parent === 'object' && key in parent) {
        const holder = parent as Record<string, unknown>;
        holder[key] = key === 'ip' ? maskIp(holder[key]) : REDACTED;
      }
    }
    return copy;
  }

  /** Masks the summary's fields that are listed (summaries hold top-level fields only). */
  summary(summary: HitSummary): HitSummary {
    if (this.topLevel.length === 0) return summary;
    let copy: HitSummary | undefined;
    for (const name of this.topLevel) {
      if (PROTECTED_SUMMARY_FIELDS.has(name)) continue;
      const value = (summary as Record<string, unknown>)[name];
      if (value === undefined) continue;
      copy ??= { ...summary };
      (copy as Record<string, unknown>)[name] = name === 'ip' ? maskIp(value) : REDACTED;
    }
    return copy ?? summary;
  }

  /**
   * Masks listed fields inside free text (problem details, malformed samples): IPv4 addresses
   * when `ip` is listed, and `"field": "value"` pairs of the other listed fields.
   */
  text(text: string): string {
    let out = text;
    for (const name of this.topLevel) {
      if (name === 'ip') out = out.replace(/\b(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}\b/g, '$1.xxx');
      else
        out = out.replace(
          new RegExp(`("${escapeRegExp(name)}"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|[^,}\\]]+)`, 'g'),
          `$1"${REDACTED}"`,
        );
    }
    return out;
  }
}

/** Summary fields that identify the hit for the relay itself; never masked. */
const PROTECTED_SUMMARY_FIELDS = new Set(['seq', 'hitId', 'shard', 'arrivedAt']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lookup(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
