import { useQuery } from '@tanstack/react-query';
import type { CallOutput } from '../../../core/contract';
import { useApi } from '../../api/context';
import type { ApiError } from '../../api/errors';
import { jobKeys } from '../../api/keys';

/** Every job of the profile with its task counts; events keep it fresh, the interval is a safety net. */
export function useJobList(profileId: string) {
  const api = useApi();
  return useQuery<CallOutput<'jobs.list'>, ApiError>({
    queryKey: jobKeys.list(profileId),
    queryFn: () => api.call('jobs.list', {}),
    refetchInterval: 30_000,
  });
}

/** One job: config, instances, and each instance's attempts. */
export function useJob(profileId: string, key: string) {
  const api = useApi();
  return useQuery<CallOutput<'jobs.get'>, ApiError>({
    queryKey: jobKeys.detail(profileId, key),
    queryFn: () => api.call('jobs.get', { key }),
    enabled: key !== '',
    refetchInterval: 30_000,
  });
}
