import { useEffect } from 'react';
import { PROBLEMS_LIMIT, useProblems } from '../api/get-problems.ts';
import { useRelayContext } from '../api/relay-context.ts';
import { countActive } from '../utils/group-problems.ts';

/** The page's own title (index.html). */
export const APP_TITLE = 'Livestream Monitor';

/** `(2) Livestream Monitor` while two error objects are active; the bare title when none is. */
export function titleWithActive(active: number, base: string = APP_TITLE): string {
  return active > 0 ? `(${active}) ${base}` : base;
}

/**
 * Puts the number of active error objects in the page title, so a background tab shows trouble
 * in its tab strip, and takes it out again when they are resolved. Returns the count.
 */
export function useActiveProblemsTitle(base: string = APP_TITLE): number {
  const { data } = useProblems();
  const { activeProblems } = useRelayContext();
  // A full list holds only the newest error objects: then the relay's count over its whole log
  // (`counters.activeProblems`) may be higher. A list shorter than its limit is the whole log.
  const listed = data ? countActive(data.problems) : 0;
  const complete = !data || data.problems.length < PROBLEMS_LIMIT;
  const active = complete ? listed : Math.max(listed, activeProblems ?? 0);
  useEffect(() => {
    document.title = titleWithActive(active, base);
  }, [active, base]);
  useEffect(
    () => () => {
      document.title = base;
    },
    [base],
  );
  return active;
}
