import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeTarget, format, passes, summarize, type Figure, type SuiteResult } from './figures.ts';
import type { GitState, Machine } from './machine.ts';
import { BENCH_DIR, OUT_DIR } from './paths.ts';

/**
 * bench/RESULTS.md, rewritten by every run. Suites that did not run this time keep their last
 * section (from bench/out/results.json), marked with the date and commit they ran at.
 */

export interface RunInfo {
  startedAt: string;
  finishedAt: string;
  command: string;
  flags: string[];
  machine: Machine;
  git: GitState;
  /** Share of all CPUs busy just before the run (other people's work). */
  busyBefore: number;
  durationS: number;
}

interface Stored {
  suites: Record<string, SuiteResult & { run: Pick<RunInfo, 'startedAt' | 'flags'> & { commit: string } }>;
}

const STORE = join(OUT_DIR, 'results.json');

function load(): Stored {
  try {
    return JSON.parse(readFileSync(STORE, 'utf8')) as Stored;
  } catch {
    return { suites: {} };
  }
}

function cell(value: number, f: Figure): string {
  return format(value, f.decimals ?? 1);
}

function figureRow(f: Figure): string {
  const s = summarize(f.values);
  const pass = passes(f);
  const verdict = pass === undefined ? '' : pass ? '**pass**' : '**FAIL**';
  const runs =
    f.overall !== undefined ? `${f.values.length} slices; whole run ${cell(f.overall, f)}` : String(f.values.length);
  return `| ${f.name} | ${f.unit} | ${cell(s.min, f)} | ${cell(s.median, f)} | ${cell(s.max, f)} | ${runs} | ${describeTarget(f)} | ${verdict} |`;
}

const TABLE_HEAD = [
  '| figure | unit | min | median | max | runs | target | result |',
  '| --- | --- | ---: | ---: | ---: | --- | --- | --- |',
];

const ORDER = ['ingest', 'ingest-http', 'fan-out', 'browser', 'catch-up', 'start-up', 'memory', 'history', 'soak'];

export function writeResults(run: RunInfo, results: SuiteResult[]): string {
  const stored = load();
  for (const r of results)
    stored.suites[r.suite] = {
      ...r,
      run: { startedAt: run.startedAt, flags: run.flags, commit: r.commit ?? run.git.commit },
    };
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(STORE, JSON.stringify(stored, null, 1));

  const ran = new Set(results.map((r) => r.suite));
  const all = Object.values(stored.suites).sort((a, b) => ORDER.indexOf(a.suite) - ORDER.indexOf(b.suite));
  const m = run.machine;
  const lines: string[] = [];
  lines.push('# Benchmark results', '');
  lines.push(
    `_Rewritten by every \`npm run bench\`. This run: ${run.startedAt} → ${run.finishedAt} (${Math.round(run.durationS)} s), \`${run.command}\`, commit \`${run.git.commit}\` at the start${run.git.dirty ? ` (dirty${run.git.dirtyOutsideBench.length ? `: ${run.git.dirtyOutsideBench.slice(0, 8).join(', ')}${run.git.dirtyOutsideBench.length > 8 ? ', …' : ''}` : ': bench/ only'})` : ' (clean)'}._`,
    '',
  );
  lines.push('## Summary (targets)', '');
  lines.push(
    '| suite | figure | median (or whole run) | worst | target | result |',
    '| --- | --- | ---: | ---: | --- | --- |',
  );
  for (const r of all) {
    for (const f of r.figures) {
      if (!f.target) continue;
      const s = summarize(f.values);
      const t = f.target;
      const worst =
        t.op === '<' || t.op === '<='
          ? Math.max(s.max, f.overall ?? -Infinity)
          : t.op === '=='
            ? (f.values.find((v) => v !== t.value) ?? t.value)
            : Math.min(s.min, f.overall ?? Infinity);
      const pass = passes(f);
      lines.push(
        `| ${r.suite}${ran.has(r.suite) ? '' : ' (earlier run)'} | ${f.name} | ${format(f.overall ?? s.median, f.decimals ?? 1)} | ${format(worst, f.decimals ?? 1)} | ${describeTarget(f)} | ${pass ? 'pass' : '**FAIL**'} |`,
      );
    }
    if (r.error) lines.push(`| ${r.suite} | (suite stopped early) | | | | **ERROR** |`);
  }
  lines.push('');
  lines.push('## Machine', '');
  lines.push(
    `- CPU: ${m.cpu}, ${m.cores} cores; RAM ${m.ramGiB} GiB; ${m.os}`,
    `- Node ${m.node}; ${m.chromium}; ${m.curl.split(' ').slice(0, 2).join(' ')}`,
    `- Shared machine: load average ${m.loadAverage.join(' / ')} at the start, ${Math.round(run.busyBefore * 100)} % of all CPUs busy with other people's work just before the run. Every target that can be is a ratio to a baseline measured in the same run, or a CPU-time figure, for that reason.`,
    '',
  );
  lines.push('## How to reproduce', '');
  lines.push(
    "Prerequisites: `npm install`, the dashboard built (`npx vite build`; the browser and start-up suites build it when `dist/` is older than its sources), Debian's Chromium at `/usr/bin/chromium` (or `CHROMIUM_PATH`), `/usr/bin/curl`, `taskset` (util-linux).",
    '',
    '- `npm run bench`: ingest, ingest-http, fan-out, browser, catch-up, start-up, memory, history (about 27 minutes here).',
    '- `npm run bench -- --quick`: the same, shorter, without the prototypes and profiles (about 2½ minutes here).',
    '- `npm run bench -- --only ingest` (or `ingest-http`, `fan-out`, `browser`, `catch-up`, `start-up`, `memory`, `history`, `soak`; comma-separated for several).',
    '- `npm run bench -- --long`: the browser suite runs 5 minutes (the JS heap growth target).',
    '- `npm run bench -- --soak` (adds the 30-minute soak), `--soak-minutes N` to try it shorter, `--fault-every-s S` to change the fault interval (default 120).',
    '',
    'Raw material of the last run is in `bench/out/` (git-ignored): `results.json`, `logs/`, `profiles/` (`.cpuprofile` files open in Chrome DevTools; `.json` traces in chrome://tracing or Perfetto).',
    '',
  );
  for (const r of all) {
    lines.push(`## ${r.title}`, '');
    lines.push(
      `_${ran.has(r.suite) ? 'This run' : `**Earlier run** (not re-run this time)`}: ${r.startedAt}, commit \`${r.run.commit}\`${r.run.flags.length ? `, flags ${r.run.flags.join(' ')}` : ''}, ${Math.round(r.durationS)} s. Reproduce: \`${r.command}\`._`,
      '',
    );
    if (r.error) lines.push(`**The suite stopped early:** ${r.error}`, '');
    if (r.figures.length) {
      lines.push(...TABLE_HEAD, ...r.figures.map(figureRow), '');
      const notes = r.figures.filter((f) => f.note).map((f) => `- _${f.name}_: ${f.note}`);
      if (notes.length) lines.push(...notes, '');
    }
    if (r.notes.length) lines.push(...r.notes.map((n) => `- ${n}`), '');
  }
  lines.push('## Profiles and changes', '');
  let any = false;
  for (const r of all) {
    if (!r.profiles.length) continue;
    any = true;
    lines.push(`### ${r.suite}`, '');
    for (const block of r.profiles) lines.push(block, '');
  }
  if (!any) lines.push('No profile was needed: every target held.', '');
  const text = lines.join('\n');
  if (!existsSync(BENCH_DIR)) mkdirSync(BENCH_DIR, { recursive: true });
  writeFileSync(join(BENCH_DIR, 'RESULTS.md'), text);
  return text;
}
