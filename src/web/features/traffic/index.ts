/** Traffic charts: a props-driven panel, and the queries the app uses to feed it. */
export { TrafficPanel, type TrafficPanelProps } from './components/traffic-panel.tsx';
export { getStats, getStatsOptions } from './api/get-stats.ts';
export { getTop, getTopOptions } from './api/get-top.ts';
export { getTraffic, getTrafficOptions } from './api/get-traffic.ts';
export {
  COMPARE_OFFSETS,
  TRAFFIC_WINDOWS_S,
  isLongWindow,
  isTrafficWindow,
  parseCompare,
  type CompareKey,
  type TrafficWindowS,
} from './utils/windows.ts';
export { getHistoryAtOptions, getHistoryOptions, getLongTopOptions, historyPoints } from './api/get-history.ts';
export { compareSpan } from './utils/history-series.ts';
export { StreamQualityPanel, type StreamQualityPanelProps } from './components/stream-quality.tsx';
