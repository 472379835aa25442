import { readFileSync } from 'node:fs';

/**
 * A Chromium performance trace (Playwright's `browser.startTracing`), summarised: self time per
 * event name on the page's main thread (CrRendererMain), e.g. FunctionCall, Layout, Paint,
 * UpdateLayoutTree, MinorGC — where the main thread's time went.
 */

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

export interface TraceSummary {
  spanMs: number;
  busyMs: number;
  rows: { name: string; selfMs: number; count: number }[];
  /** The longest top-level tasks, each with where its time went (self time by event name). */
  longest: { ms: number; parts: { name: string; ms: number }[] }[];
}

export function summarizeTrace(path: string, top = 12): TraceSummary {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(raw) ? raw : (raw.traceEvents ?? []);
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const complete = events
    .filter((e) => e.ph === 'X' && e.dur !== undefined && mains.has(`${e.pid}:${e.tid}`))
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, { selfMs: number; count: number }>();
  const stack: { end: number; name: string }[] = [];
  const tasks: { ms: number; parts: Map<string, number> }[] = [];
  let current: { ms: number; parts: Map<string, number> } | undefined;
  let busy = 0;
  let first = Infinity;
  let last = 0;
  const close = (until: number) => {
    while (stack.length && stack[stack.length - 1]!.end <= until) stack.pop();
  };
  for (const e of complete) {
    first = Math.min(first, e.ts);
    last = Math.max(last, e.ts + e.dur!);
    close(e.ts);
    const parent = stack[stack.length - 1];
    const entry = self.get(e.name) ?? { selfMs: 0, count: 0 };
    entry.selfMs += e.dur! / 1000;
    entry.count++;
    self.set(e.name, entry);
    if (parent) {
      const p = self.get(parent.name)!;
      p.selfMs -= e.dur! / 1000;
      current?.parts.set(parent.name, (current.parts.get(parent.name) ?? 0) - e.dur! / 1000);
    } else {
      busy += e.dur! / 1000;
      current = { ms: e.dur! / 1000, parts: new Map() };
      tasks.push(current);
    }
    current?.parts.set(e.name, (current.parts.get(e.name) ?? 0) + e.dur! / 1000);
    stack.push({ end: e.ts + e.dur!, name: e.name });
  }
  const rows = [...self.entries()]
    .map(([name, v]) => ({ name, ...v }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
  const longest = tasks
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((t) => ({
      ms: t.ms,
      parts: [...t.parts.entries()]
        .map(([name, ms]) => ({ name, ms }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 4),
    }));
  return { spanMs: Number.isFinite(first) ? (last - first) / 1000 : 0, busyMs: busy, rows, longest };
}

export function traceTable(summary: TraceSummary): string {
  return [
    `Main thread busy ${summary.busyMs.toFixed(0)} ms of ${summary.spanMs.toFixed(0)} ms traced.`,
    '',
    '| self ms | events | trace event |',
    '| ---: | ---: | --- |',
    ...summary.rows.map((r) => `| ${r.selfMs.toFixed(0)} | ${r.count} | ${r.name} |`),
    '',
    'Longest tasks in the trace (self time of what ran inside): ' +
      summary.longest
        .map((t) => `${t.ms.toFixed(0)} ms (${t.parts.map((p) => `${p.name} ${p.ms.toFixed(0)}`).join(', ')})`)
        .join('; '),
  ].join('\n');
}
