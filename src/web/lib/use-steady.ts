import { useEffect, useRef, useState } from 'react';
import type { Sampled } from '../../contract/index.ts';
import { formatCount } from './format.ts';
import { sampledLabel } from './sampling.ts';

/** How often a steady value may change on screen. */
export const STEADY_MS = 1_000;

/**
 * `value`, changed on screen at most once every `ms` (the latest value then, never a stale one,
 * and always within `ms` of the last change). For text a person reads rather than watches, such
 * as running totals that would otherwise change with every feed frame: each such change outside
 * the feed's own box makes the browser lay out the whole page again (bench/suites/browser.ts).
 */
export function useSteady(value: string, ms = STEADY_MS): string {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const shownAt = useRef(-Infinity);
  useEffect(() => {
    latest.current = value;
    if (value === shown || timer.current !== undefined) return;
    const wait = Math.max(0, shownAt.current + ms - performance.now());
    timer.current = setTimeout(() => {
      timer.current = undefined;
      shownAt.current = performance.now();
      setShown(latest.current);
    }, wait);
  }, [value, shown, ms]);
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      timer.current = undefined;
    },
    [],
  );
  return shown;
}

/**
 * The "1 in N shown" marker's texts, each steady (`useSteady`): its `label` (empty while the feed
 * is not sampled) and its received/shown `counts`. The feed and the traffic panel say it alike.
 */
export function useSteadySampling(
  sampled: Sampled | undefined,
  received: number,
  shown: number,
): { label: string; counts: string } {
  const label = useSteady(sampledLabel(sampled) ?? '');
  const counts = useSteady(`received ${formatCount(received)}, shown ${formatCount(shown)}`);
  return { label, counts };
}
