import { queryOptions, useQuery } from '@tanstack/react-query';
import { CatalogSchema } from '../../../../contract/index.ts';
import { fetchJson } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';

export function getCatalog() {
  return fetchJson('/api/catalog', CatalogSchema);
}

/**
 * `GET /api/catalog`. The dashboard ships the same catalogue; the relay's copy adds what a newer
 * relay knows (a code or an action this build has never seen).
 */
export function catalogQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.catalog(),
    queryFn: getCatalog,
    staleTime: Infinity,
  });
}

export function useCatalog() {
  return useQuery(catalogQueryOptions());
}
