import { useQuery } from '@tanstack/react-query';
import type { CallInput, CallOutput } from '../../../core/contract';
import { useApi } from '../../api/context';
import type { ApiError } from '../../api/errors';
import { taskKeys } from '../../api/keys';

/** One attempt and its state timeline. */
export function useTask(profileId: string, taskId: string) {
  const api = useApi();
  return useQuery<CallOutput<'tasks.get'>, ApiError>({
    queryKey: taskKeys.detail(profileId, taskId),
    queryFn: () => api.call('tasks.get', { taskId }),
    enabled: taskId !== '',
  });
}

/** Active attempts matching a filter (e.g. those on one agent), newest first. */
export function useTaskList(profileId: string, filter: CallInput<'tasks.list'>, enabled = true) {
  const api = useApi();
  return useQuery<CallOutput<'tasks.list'>, ApiError>({
    queryKey: taskKeys.list(profileId, filter),
    queryFn: () => api.call('tasks.list', filter),
    enabled,
    refetchInterval: 30_000,
  });
}
