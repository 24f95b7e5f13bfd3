import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useApi } from '../api/context';
import { freshnessKeys, keysOfKind } from '../api/keys';
import type { ConnectionState } from '../api/transport';
import { applyChanges } from './liveChanges';
import { createStaleCollector } from './liveInvalidation';

/** At most two refetch rounds a second, however many task events arrive. */
const flushIntervalMs = 500;

/**
 * Keeps the query cache in step with the cluster. `cluster.changes` pushes agents, attempts,
 * the overview and whether the cluster's systems answer, and they are written into the queries
 * held (liveChanges.ts). `cluster.events` still marks stale what changes do not carry (scaling
 * operations, holds, audit, pools) and, when the host serves no changes, every kind an event
 * touches, as before. A query that carries the server's `asOf` is refetched only if an event
 * is newer than it, so the replay of past events at startup does not refetch what was just loaded.
 */
export function useLiveUpdates(profileId: string | null): void {
  const api = useApi();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!profileId) return;
    // True while the changes stream delivers: events then leave agents, tasks and the overview to it.
    let pushed = false;
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
    const stopEvents = api.subscribe(
      'cluster.events',
      {},
      (batch) => collector.add(batch.items, batch.dropped, pushed),
      (error) => console.warn(`cluster events stopped: ${error.code}: ${error.message}`),
    );
    const stopChanges = api.subscribe(
      'cluster.changes',
      {},
      (batch) => {
        pushed = true;
        applyChanges(queryClient, profileId, batch.items, batch.dropped);
      },
      (error) => {
        // No changes (an older host, or one that cannot serve them): events and polling keep the screens as they were.
        console.warn(`cluster changes unavailable, refreshing on events instead: ${error.code}: ${error.message}`);
        const wasPushed = pushed;
        pushed = false;
        queryClient.removeQueries({ queryKey: freshnessKeys.get(profileId), exact: true });
        if (wasPushed)
          for (const kind of ['agents', 'overview', 'jobs', 'tasks'] as const)
            void queryClient.invalidateQueries({ queryKey: keysOfKind[kind](profileId) });
      },
    );
    return () => {
      stopChanges();
      stopEvents();
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
