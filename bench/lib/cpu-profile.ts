import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, normalize, relative } from 'node:path';
import { ROOT } from './paths.ts';

/**
 * Summaries of V8 CPU profiles (`node --cpu-prof` files and Chromium's `Profiler.stop` answer
 * have the same shape): self time per function and per file, as shares of the sampled time.
 */

export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not idle (program, GC and JavaScript). */
  busyMs: number;
  functions: SelfTime[];
  files: SelfTime[];
}

function shortUrl(url: string): string {
  if (!url) return '(native)';
  let path = url.replace(/^file:\/\//, '');
  if (path.startsWith('/')) path = relative(ROOT, path);
  path = path.replace(/^node_modules\//, 'nm/').replace(/\?.*$/, '');
  return path;
}

/** Maps a bundle position to the original source: a better name and place for a frame. */
export type Resolver = (url: string, line: number, column: number) => { name: string; where: string } | undefined;

export function summarizeProfile(profile: CpuProfile, top = 15, resolve?: Resolver): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // The delta before sample i+1 is the time spent in sample i.
    const dt = deltas[i + 1] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + Math.max(0, dt));
  }
  const functions = new Map<string, SelfTime>();
  const files = new Map<string, SelfTime>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    total += us;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const mapped = url && resolve ? resolve(url, lineNumber, columnNumber) : undefined;
    const name = mapped?.name ?? (functionName || '(anonymous)');
    const where = mapped?.where ?? (url ? `${shortUrl(url)}:${lineNumber + 1}` : '');
    const key = `${name}@${where}`;
    const f = functions.get(key) ?? { name, where, ms: 0, share: 0 };
    f.ms += us / 1000;
    functions.set(key, f);
    const file = mapped
      ? mapped.where.replace(/:\d+$/, '')
      : url
        ? shortUrl(url)
        : name.startsWith('(')
          ? name
          : '(native)';
    const g = files.get(file) ?? { name: file, where: '', ms: 0, share: 0 };
    g.ms += us / 1000;
    files.set(file, g);
  }
  const busyMs = (total - idle) / 1000;
  const rank = (map: Map<string, SelfTime>) =>
    [...map.values()]
      .map((s) => ({ ...s, share: busyMs ? s.ms / busyMs : 0 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top);
  return { totalMs: total / 1000, busyMs, functions: rank(functions), files: rank(files) };
}

export function readProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}

/** A Markdown table of the top functions by self time. */
export function profileTable(summary: ProfileSummary, rows = 12): string {
  const lines = [
    `Sampled ${(summary.totalMs / 1000).toFixed(1)} s, busy (not idle) ${(summary.busyMs / 1000).toFixed(1)} s; self time as a share of busy time.`,
    '',
    '| self % | self ms | function | where |',
    '| ---: | ---: | --- | --- |',
    ...summary.functions
      .slice(0, rows)
      .map((f) => `| ${(f.share * 100).toFixed(1)} | ${f.ms.toFixed(0)} | \`${f.name}\` | ${f.where} |`),
    '',
    'By file: ' +
      summary.files
        .slice(0, 8)
        .map((f) => `${f.name} ${(f.share * 100).toFixed(1)} %`)
        .join(', '),
  ];
  return lines.join('\n');
}

/**
 * Resolves frames of the built SPA (`/assets/<name>.js`) through the source maps in `distDir`:
 * the original file and line, and that line's text as the name (minified names say nothing).
 */
export function spaResolver(distDir: string): Resolver {
  const maps = new Map<string, { map: SourceMap; sources: Map<string, string[]> } | null>();
  const load = (file: string) => {
    if (maps.has(file)) return maps.get(file)!;
    const path = join(distDir, 'assets', `${file}.map`);
    let entry: { map: SourceMap; sources: Map<string, string[]> } | null = null;
    if (existsSync(path)) {
      const payload = JSON.parse(readFileSync(path, 'utf8')) as { sources: string[]; sourcesContent?: string[] };
      const sources = new Map<string, string[]>();
      payload.sources.forEach((source, i) => sources.set(source, (payload.sourcesContent?.[i] ?? '').split('\n')));
      entry = { map: new SourceMap(payload as unknown as ConstructorParameters<typeof SourceMap>[0]), sources };
    }
    maps.set(file, entry);
    return entry;
  };
  return (url, line, column) => {
    const match = /\/assets\/([^/?#]+\.js)/.exec(url);
    if (!match) return undefined;
    const entry = load(match[1]!);
    if (!entry) return undefined;
    const found = entry.map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
    if (!found.originalSource || found.originalLine === undefined) return undefined;
    const text = (entry.sources.get(found.originalSource)?.[found.originalLine] ?? '').trim().slice(0, 70);
    const file = normalize(found.originalSource)
      .replace(/^(\.\.\/)+/, '')
      .replace(/^node_modules\//, 'nm/');
    return { name: text || '(unknown)', where: `${file}:${found.originalLine + 1}` };
  };
}

/**
 * Inclusive time per source file among frames whose place starts with `prefix` (e.g. `src/`):
 * a file's frames and everything they called, counted once even when the file recurses.
 * For a React app this is, per component file, its renders, hooks and effects.
 */
export function inclusiveByFile(profile: CpuProfile, prefix: string, resolve?: Resolver, top = 8): SelfTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++)
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + Math.max(0, deltas[i + 1] ?? 0));
  const fileOf = (id: number): string | undefined => {
    const { url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
    if (!url) return undefined;
    const where = resolve?.(url, lineNumber, columnNumber)?.where ?? `${shortUrl(url)}:${lineNumber + 1}`;
    const file = where.replace(/:\d+$/, '');
    return file.startsWith(prefix) ? file : undefined;
  };
  const totals = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) if (byId.get(id)?.callFrame.functionName !== '(idle)') busy += us;
  const root = profile.nodes[0];
  if (!root) return [];
  // Iterative walk carrying the set of app files on the path.
  const stack: { id: number; open: Set<string> }[] = [{ id: root.id, open: new Set() }];
  const fileCache = new Map<number, string | undefined>();
  while (stack.length) {
    const { id, open } = stack.pop()!;
    let file = fileCache.get(id);
    if (!fileCache.has(id)) {
      file = fileOf(id);
      fileCache.set(id, file);
    }
    let path = open;
    if (file && !open.has(file)) {
      path = new Set(open).add(file);
    }
    const us = selfUs.get(id) ?? 0;
    if (us) for (const f of path) totals.set(f, (totals.get(f) ?? 0) + us);
    for (const child of byId.get(id)?.children ?? []) stack.push({ id: child, open: path });
  }
  return [...totals.entries()]
    .map(([name, us]) => ({ name, where: '', ms: us / 1000, share: busy ? us / busy : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}
