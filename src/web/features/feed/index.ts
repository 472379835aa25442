/** Live feed: a props-driven panel (virtualised table, filter, pause, hit drawer) and the hit query. */
export { FeedPanel, type FeedPanelProps } from './components/feed-panel.tsx';
export { getHit, getHitOptions, HitGoneError } from './api/get-hit.ts';
export { useRevenueCurrency } from './api/revenue-currency.ts';
export { parseExactJson, stringifyExact, type ExactJson, type ExactRecord } from './utils/exact-json.ts';
