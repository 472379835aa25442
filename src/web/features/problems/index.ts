export { ProblemsPanel, PROBLEM_FILTER_PARAMS } from './components/problems-panel.tsx';
export { ProblemCard, guidanceFor } from './components/problem-card.tsx';
export { problemsQueryOptions, useProblems, PROBLEMS_LIMIT } from './api/get-problems.ts';
export { catalogQueryOptions, useCatalog } from './api/get-catalog.ts';
export { supportBundle } from './utils/support-bundle.ts';
export { groupProblems, filterProblems, type ProblemGroup } from './utils/group-problems.ts';
