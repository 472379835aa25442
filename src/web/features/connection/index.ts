export { ConnectionMap, ADOBE_COOLDOWN_S } from './components/connection-map.tsx';
export { ConnectionDetails } from './components/connection-details.tsx';
export { Countdown } from './components/countdown.tsx';
export { ShardCard } from './components/shard-card.tsx';
export { statusQueryOptions, useStatus, getStatus } from './api/get-status.ts';
export { useReconnectShard, reconnectShard } from './api/reconnect-shard.ts';
export { describeWait, canReconnect } from './utils/wait-reason.ts';
export { UpstreamApi, enableStream, useEnableStream } from './components/upstream-api.tsx';
