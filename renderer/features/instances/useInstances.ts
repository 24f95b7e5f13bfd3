import { useQuery } from '@tanstack/react-query';
import type { CallInput, CallOutput } from '../../../core/contract';
import { useApi } from '../../api/context';
import type { ApiError } from '../../api/errors';
import { instanceKeys } from '../../api/keys';

/** The machines (of one pool, or all), each matched to its agent; agent events refresh it. */
export function useInstances(profileId: string, filter: CallInput<'instances.list'> = {}) {
  const api = useApi();
  return useQuery<CallOutput<'instances.list'>, ApiError>({
    queryKey: instanceKeys.list(profileId, filter),
    queryFn: () => api.call('instances.list', filter),
    refetchInterval: 15_000,
  });
}
