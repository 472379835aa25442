export { ProblemsPanel, PROBLEM_FILTER_PARAMS } from './components/problems-panel.tsx';
export { ProblemCard, guidanceFor } from './components/problem-card.tsx';
export { ActiveProblemsTitle } from './components/active-problems-title.tsx';
export { useActiveProblemsTitle, titleWithActive, APP_TITLE } from './hooks/use-active-problems-title.ts';
export { problemsQueryOptions, useProblems, PROBLEMS_LIMIT } from './api/get-problems.ts';
export { catalogQueryOptions, useCatalog } from './api/get-catalog.ts';
export { acknowledgeProblem, useAcknowledgeProblems } from './api/acknowledge-problem.ts';
export { supportBundle } from './utils/support-bundle.ts';
export { groupProblems, filterProblems, countActive, isActive, type ProblemGroup } from './utils/group-problems.ts';
