import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resolver } from './cpu-profile.ts';

/**
 * Long animation frames (Chromium's `long-animation-frame` entries): what a long task was made of
 * — the scripts that ran in the frame (who called them, which function, how long, how much of it
 * forced style and layout) and the frame's own style, layout and paint. The browser suite records
 * them beside its `longtask` entries and says, for each of the longest tasks, what its frame held.
 */

export interface LongFrame {
  start: number;
  duration: number;
  /** When its style and layout began (0: none). */
  styleAndLayoutStart: number;
  scripts: {
    invoker: string;
    url: string;
    fn: string;
    at: number;
    duration: number;
    forced: number;
  }[];
}

/** Page-side: records long animation frames over 50 ms in `window.__bench.loaf` (at most 2,000). */
export const LOAF_INIT = `
  window.__bench.loaf = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.duration <= 50 || window.__bench.loaf.length >= 2000) continue;
        window.__bench.loaf.push({
          start: e.startTime, duration: e.duration, styleAndLayoutStart: e.styleAndLayoutStart,
          scripts: e.scripts.map((s) => ({
            invoker: s.invoker, url: s.sourceURL, fn: s.sourceFunctionName, at: s.sourceCharPosition,
            duration: s.duration, forced: s.forcedStyleAndLayoutDuration,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch (e) { window.__bench.noLoaf = String(e); }
`;

/**
 * Where a script of the built SPA starts, as its source says it (`file:line`), from its URL and
 * character position through `resolve` (dist/'s source maps); the URL's file name otherwise.
 */
export function scriptSource(distDir: string, resolve: Resolver): (url: string, at: number) => string {
  const lineStarts = new Map<string, number[] | null>();
  return (url, at) => {
    const path = /\/assets\/[^/?#]+\.js/.exec(url)?.[0];
    if (!path || at < 0) return url.split('/').pop() || '(inline)';
    let starts = lineStarts.get(path);
    if (starts === undefined) {
      const file = join(distDir, path);
      starts = null;
      if (existsSync(file)) {
        const text = readFileSync(file, 'utf8');
        starts = [0];
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      }
      lineStarts.set(path, starts);
    }
    if (!starts) return path;
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1]! <= at) line++;
    return resolve(url, line, at - starts[line]!)?.where ?? path;
  };
}

/**
 * "frame 118 ms: scripts 84 ms (FrameRequestCallback at src/web/lib/frame-stagger.ts:41 70 ms; …),
 * of which forced style and layout 3 ms, style, layout and paint 30 ms" for the frame holding
 * the task that started at `taskStart`, or undefined when no recorded frame holds it.
 */
export function describeFrame(
  frames: LongFrame[],
  taskStart: number,
  source: (url: string, at: number) => string,
): string | undefined {
  const frame = frames.find((f) => f.start <= taskStart + 1 && taskStart < f.start + f.duration);
  if (!frame) return undefined;
  const end = frame.start + frame.duration;
  const scripts = [...frame.scripts].sort((a, b) => b.duration - a.duration);
  const scriptMs = scripts.reduce((sum, s) => sum + s.duration, 0);
  const forcedMs = scripts.reduce((sum, s) => sum + s.forced, 0);
  const named = scripts
    .slice(0, 2)
    .map((s) => `${s.invoker || '?'}${s.fn ? ` (${s.fn})` : ''} at ${source(s.url, s.at)} ${s.duration.toFixed(0)} ms`)
    .join('; ');
  const parts = [`scripts ${scriptMs.toFixed(0)} ms${named ? ` (${named})` : ''}`];
  if (forcedMs >= 1) parts.push(`of which forced style and layout ${forcedMs.toFixed(0)} ms`);
  if (frame.styleAndLayoutStart > 0)
    parts.push(`style, layout and paint ${(end - frame.styleAndLayoutStart).toFixed(0)} ms`);
  return `frame ${frame.duration.toFixed(0)} ms: ${parts.join(', ')}`;
}
