import { useQuery } from '@tanstack/react-query';
import type { CallOutput } from '../../core/contract';
import { useApi } from './context';
import type { ApiError } from './errors';
import { appKeys, profileKeys } from './keys';

/** Which host and profile this window runs with; fixed for the life of the host. */
export function useAppStatus() {
  const api = useApi();
  return useQuery<CallOutput<'app.status'>, ApiError>({
    queryKey: appKeys.status(),
    queryFn: () => api.call('app.status', {}),
    staleTime: Infinity,
  });
}

export function useProfiles(enabled = true) {
  const api = useApi();
  return useQuery<CallOutput<'profiles.list'>, ApiError>({
    queryKey: profileKeys.list(),
    queryFn: () => api.call('profiles.list', {}),
    enabled,
  });
}
