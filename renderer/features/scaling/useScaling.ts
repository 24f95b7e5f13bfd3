import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { CallOutput, ScaleRequest } from '../../../core/contract';
import { useApi } from '../../api/context';
import type { ApiError } from '../../api/errors';
import { holdKeys, operationKeys, poolKeys } from '../../api/keys';

/** The pools with their counts, holds and which buttons apply; agent events refresh it, it also polls. */
export function usePools(profileId: string) {
  const api = useApi();
  return useQuery<CallOutput<'pools.list'>, ApiError>({
    queryKey: poolKeys.list(profileId),
    queryFn: () => api.call('pools.list', {}),
    refetchInterval: 10_000,
  });
}

/**
 * What a request would do. The previous plan stays on screen while the next one is fetched, so
 * the preview does not blink as the user types; `isPlaceholderData` says it is not for this request.
 */
export function usePlan(profileId: string, request: ScaleRequest | null) {
  const api = useApi();
  return useQuery<CallOutput<'scaling.plan'>, ApiError>({
    queryKey: poolKeys.plan(profileId, request ?? { kind: 'remove', pool: '', instanceIds: [] }),
    queryFn: () => api.call('scaling.plan', { request: request! }),
    enabled: request !== null,
    placeholderData: keepPreviousData,
    staleTime: 0,
    // The tasks a removal would lose change while the dialog is open.
    refetchInterval: 5_000,
  });
}

/** Operations pending or running: every second while there are any, so progress moves. */
export function useActiveOperations(profileId: string) {
  const api = useApi();
  return useQuery<CallOutput<'operations.list'>, ApiError>({
    queryKey: operationKeys.list(profileId, { active: true }),
    queryFn: () => api.call('operations.list', { active: true }),
    refetchInterval: (query) => ((query.state.data?.operations.length ?? 0) > 0 ? 1_000 : 5_000),
  });
}

export const historyLimit = 50;

export function useOperationHistory(profileId: string, anyActive: boolean) {
  const api = useApi();
  return useQuery<CallOutput<'operations.list'>, ApiError>({
    queryKey: operationKeys.list(profileId, { limit: historyLimit }),
    queryFn: () => api.call('operations.list', { limit: historyLimit }),
    refetchInterval: anyActive ? 2_000 : 30_000,
  });
}

/** One operation with its steps; followed closely while it has not ended. */
export function useOperation(profileId: string, id: string) {
  const api = useApi();
  return useQuery<CallOutput<'operations.get'>, ApiError>({
    queryKey: operationKeys.detail(profileId, id),
    queryFn: () => api.call('operations.get', { id }),
    enabled: id !== '',
    refetchInterval: (query) => {
      const state = query.state.data?.operation.state;
      return state === 'pending' || state === 'running' ? 1_000 : false;
    },
  });
}

export function useHolds(profileId: string) {
  const api = useApi();
  return useQuery<CallOutput<'holds.list'>, ApiError>({
    queryKey: holdKeys.list(profileId),
    queryFn: () => api.call('holds.list', {}),
    refetchInterval: 30_000,
  });
}
