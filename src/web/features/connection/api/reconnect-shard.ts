import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { fetchJson } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

/**
 * `POST /api/upstream/:shard/reconnect`: 202 when accepted. During the cooldown the relay answers
 * 429 with `too_many_requests`, and 409 `shard_already_connected` while connecting or streaming;
 * both arrive as an `ApiProblemError` carrying the Problem.
 */
export async function reconnectShard(shard: number): Promise<void> {
  await fetchJson(`/api/upstream/${shard}/reconnect`, z.unknown(), { method: 'POST' });
}

export function useReconnectShard() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: reconnectShard,
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.status() }),
  });
}
