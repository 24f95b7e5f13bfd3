import { useQuery } from '@tanstack/react-query';
import type { CallOutput } from '../../../core/contract';
import { useApi } from '../../api/context';
import type { ApiError } from '../../api/errors';
import { overviewKeys } from '../../api/keys';

/** The cluster at a glance. Cluster events refresh it; the interval is only a safety net. */
export function useOverview(profileId: string) {
  const api = useApi();
  return useQuery<CallOutput<'overview.get'>, ApiError>({
    queryKey: overviewKeys.get(profileId),
    queryFn: () => api.call('overview.get', {}),
    refetchInterval: 30_000,
  });
}
