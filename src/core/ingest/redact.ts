import type { HitRecord, HitSummary } from '../../contract/index.ts';

/**
 * Masks the hit fields named in REDACT_FIELDS before anything leaves the relay. `ip` keeps its
 * first three octets (IPv6: its first three groups); every other field becomes "[redacted]".
 * Dotted names reach into nested objects (`evars.evars.eVar5`). Nothing here recurses over a
 * record: a record nested 100,000 deep is masked like any other.
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

/** The listed paths as a tree: a node is masked whole (`mask`) or leads to listed fields below. */
interface PathNode {
  mask: boolean;
  children: Map<string, PathNode>;
}

export class Redactor {
  private readonly paths: string[][];
  private readonly topLevel: string[];
  private readonly tree: PathNode = { mask: false, children: new Map() };

  constructor(fields: readonly string[]) {
    this.paths = fields.map((field) => field.split('.'));
    const topLevel = fields.filter((field) => !field.includes('.'));
    // A summary field derived from a listed record field is as personal as its source.
    this.topLevel = [...new Set([...topLevel, ...topLevel.flatMap((field) => DERIVED_SUMMARY_FIELDS[field] ?? [])])];
    for (const path of this.paths) {
      let node = this.tree;
      for (const key of path) {
        let child = node.children.get(key);
        if (!child) node.children.set(key, (child = { mask: false, children: new Map() }));
        node = child;
      }
      node.mask = true;
    }
  }

  get active(): boolean {
    return this.paths.length > 0;
  }

  /** True when the record holds any field to mask (the common case is false: nothing copied). */
  touches(record: HitRecord): boolean {
    return this.paths.some((path) => lookup(record, path) !== undefined);
  }

  /**
   * A copy of the record with the fields masked; the original is left alone. Only the objects on
   * a masked field's path are copied (shallow), never the whole record.
   */
  record(record: HitRecord): HitRecord {
    if (!this.touches(record)) return record;
    const copy: Record<string, unknown> = { ...record };
    for (const path of this.paths) {
      let holder: Record<string, unknown> | undefined = copy;
      for (let i = 0; i < path.length - 1 && holder; i++) {
        const next: unknown = holder[path[i]!];
        if (!isPlainObject(next)) holder = undefined;
        else holder = holder[path[i]!] = { ...next };
      }
      const key = path[path.length - 1]!;
      if (holder && key in holder) holder[key] = key === 'ip' ? maskIp(holder[key]) : REDACTED;
    }
    return copy;
  }

  /**
   * One record's JSON text (as received) with the listed fields' values masked, every other
   * byte left as it was: unknown fields, spacing and the exact digits of 64-bit numbers stay as
   * they came, with nothing parsed or re-serialized. The scan is iterative and only walks into
   * objects on a listed path; any other value is stepped over with a depth counter, so depth
   * costs nothing but time. Every occurrence of a listed key is masked (a repeated key too).
   * Returns undefined for text that is not a JSON object.
   */
  line(text: string): string | undefined {
    if (this.paths.length === 0) return text;
    return maskJsonText(text, this.tree);
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

/**
 * Summary fields read from other record fields (core/ingest/summary.ts): `device` and
 * `deviceType` come from the mobile device fields, or from `userAgent` when those are empty.
 */
const DERIVED_SUMMARY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  userAgent: ['device', 'deviceType'],
  mobileManufacturer: ['device'],
  mobileDeviceName: ['device'],
  mobileDeviceType: ['deviceType'],
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** See `Redactor.line`. */
function maskJsonText(text: string, tree: PathNode): string | undefined {
  let out = '';
  let copied = 0;
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x7b) return undefined;
  // The objects being walked: only those on a listed path, so at most the longest path deep.
  const open: PathNode[] = [tree];
  i++;
  while (open.length > 0) {
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === 0x7d) {
      open.pop();
      i++;
      continue;
    }
    if (c === 0x2c) {
      i++;
      continue;
    }
    if (c !== 0x22) return undefined;
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return undefined;
    const key = keyOf(text, i, keyEnd);
    i = skipSpace(text, keyEnd + 1);
    if (text.charCodeAt(i) !== 0x3a) return undefined;
    const valueStart = skipSpace(text, i + 1);
    const node = key === undefined ? undefined : open[open.length - 1]!.children.get(key);
    if (node && !node.mask && text.charCodeAt(valueStart) === 0x7b) {
      open.push(node);
      i = valueStart + 1;
      continue;
    }
    const valueEnd = valueEndAt(text, valueStart);
    if (valueEnd < 0) return undefined;
    if (node?.mask) {
      out += text.slice(copied, valueStart) + maskedValue(key!, text.slice(valueStart, valueEnd));
      copied = valueEnd;
    }
    i = valueEnd;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function maskedValue(key: string, value: string): string {
  if (key !== 'ip' || value.charCodeAt(0) !== 0x22) return JSON.stringify(REDACTED);
  try {
    return JSON.stringify(maskIp(JSON.parse(value)));
  } catch {
    return JSON.stringify(REDACTED);
  }
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    i++;
  }
}

/** Index of the quote closing the string that opens at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  let at = start;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/** The key whose quotes are at `start` and `end`, unescaped; undefined when it cannot be read. */
function keyOf(text: string, start: number, end: number): string | undefined {
  const raw = text.slice(start + 1, end);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    return undefined;
  }
}

/** Index just past the JSON value that starts at `start`, at any depth, or -1. */
function valueEndAt(text: string, start: number): number {
  const c = text.charCodeAt(start);
  if (c === 0x22) {
    const end = stringEnd(text, start);
    return end < 0 ? -1 : end + 1;
  }
  if (c !== 0x7b && c !== 0x5b) {
    let i = start;
    for (;;) {
      const d = text.charCodeAt(i);
      if (
        Number.isNaN(d) ||
        d === 0x2c ||
        d === 0x7d ||
        d === 0x5d ||
        d === 0x20 ||
        d === 0x09 ||
        d === 0x0a ||
        d === 0x0d
      )
        return i > start ? i : -1;
      i++;
    }
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === 0x22) {
      i = stringEnd(text, i);
      if (i < 0) return -1;
    } else if (d === 0x7b || d === 0x5b) depth++;
    else if ((d === 0x7d || d === 0x5d) && --depth === 0) return i + 1;
  }
  return -1;
}

function lookup(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
