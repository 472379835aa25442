import { useActiveProblemsTitle } from '../hooks/use-active-problems-title.ts';

/** Renders nothing: keeps the page title counting active error objects (`app/` mounts it once). */
export function ActiveProblemsTitle() {
  useActiveProblemsTitle();
  return null;
}
