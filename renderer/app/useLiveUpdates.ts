import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { ClusterEvent } from '../../core/contract';
import { useApi } from '../api/context';
import { agentKeys } from '../api/keys';
import type { ConnectionState } from '../api/transport';

/**
 * Keeps the query cache in step with the cluster: agent events of the active profile mark its
 * agent lists stale (only lists older than the event, so the replay of past events at startup
 * does not refetch).
 */
export function useLiveUpdates(profileId: string | null): void {
  const api = useApi();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!profileId) return;
    const onEvents = (events: ClusterEvent[], dropped: number) => {
      const agentEvents = events.filter((e) => e.kind.startsWith('agent.'));
      if (agentEvents.length === 0 && dropped === 0) return;
      const latest = dropped > 0 ? Infinity : Math.max(...agentEvents.map((e) => e.at));
      void queryClient.invalidateQueries({
        queryKey: agentKeys.all(profileId),
        predicate: (q) => {
          const asOf = (q.state.data as { asOf?: number } | undefined)?.asOf;
          return asOf === undefined || latest >= asOf;
        },
      });
    };
    return api.subscribe(
      'cluster.events',
      {},
      (batch) => onEvents(batch.items, batch.dropped),
      (error) => console.warn(`cluster events stopped: ${error.code}: ${error.message}`),
    );
  }, [api, queryClient, profileId]);
}

/** After the connection to the host comes back, everything on screen is fetched again. */
export function useRefetchOnReconnect(): void {
  const api = useApi();
  const queryClient = useQueryClient();
  const previous = useRef<ConnectionState['kind']>('connecting');
  useEffect(
    () =>
      api.watchConnection((state) => {
        if (state.kind === 'open' && previous.current === 'reconnecting') void queryClient.invalidateQueries();
        previous.current = state.kind;
      }),
    [api, queryClient],
  );
}
