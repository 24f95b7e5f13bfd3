import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useApi } from '../api/context';
import { keysOfKind } from '../api/keys';
import type { ConnectionState } from '../api/transport';
import { createStaleCollector } from './liveInvalidation';

/** At most two refetch rounds a second, however many task events arrive. */
const flushIntervalMs = 500;

/**
 * Keeps the query cache in step with the cluster: events of the active profile mark the
 * queries of the kinds they touch stale (agents, overview, jobs, tasks). A query that carries
 * the server's `asOf` is refetched only if an event is newer than it, so the replay of past
 * events at startup does not refetch what was just loaded.
 */
export function useLiveUpdates(profileId: string | null): void {
  const api = useApi();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!profileId) return;
    const collector = createStaleCollector(({ kinds, latestAt }) => {
      for (const kind of kinds) {
        void queryClient.invalidateQueries({
          queryKey: keysOfKind[kind](profileId),
          predicate: (q) => {
            const asOf = (q.state.data as { asOf?: number } | undefined)?.asOf;
            return asOf === undefined || latestAt >= asOf;
          },
        });
      }
    }, flushIntervalMs);
    const unsubscribe = api.subscribe(
      'cluster.events',
      {},
      (batch) => collector.add(batch.items, batch.dropped),
      (error) => console.warn(`cluster events stopped: ${error.code}: ${error.message}`),
    );
    return () => {
      unsubscribe();
      collector.stop();
    };
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
