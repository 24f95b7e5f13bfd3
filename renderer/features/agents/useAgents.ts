import { useQuery } from '@tanstack/react-query';
import type { CallOutput } from '../../../core/contract';
import { useApi } from '../../api/context';
import type { ApiError } from '../../api/errors';
import { agentKeys } from '../../api/keys';

/**
 * All agents of the profile; type and text filters are applied on screen so the counts per
 * slave type stay whole. Cluster events refresh this list as agents come and go; the interval
 * is only a safety net for a host whose event stream is down.
 */
export function useAgents(profileId: string) {
  const api = useApi();
  return useQuery<CallOutput<'agents.list'>, ApiError>({
    queryKey: agentKeys.list(profileId),
    queryFn: () => api.call('agents.list', {}),
    // A deep compare of 5,000 agents on every refetch is a long task of its own; the screen's memos redo the work anyway.
    structuralSharing: false,
    // The host says (a cluster event) when a big cluster's tasks have arrived; this is the net under it.
    refetchInterval: (query) => (query.state.data?.partial ? 10_000 : 30_000),
  });
}
