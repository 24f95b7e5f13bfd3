import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Operation } from '../../../core/contract';
import { keysOfKind } from '../../api/keys';
import { scalingInvalidates } from './actions';

/**
 * When an operation leaves the active list it has ended, and what it changed (machines, agents,
 * the journal) is refetched at once rather than at the next poll.
 */
export function useOperationsEnding(profileId: string, active: readonly Operation[] | undefined): void {
  const queryClient = useQueryClient();
  const previous = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!active) return;
    const now = new Set(active.map((o) => o.id));
    const ended = [...previous.current].some((id) => !now.has(id));
    previous.current = now;
    if (!ended) return;
    for (const kind of scalingInvalidates) void queryClient.invalidateQueries({ queryKey: keysOfKind[kind](profileId) });
  }, [active, profileId, queryClient]);
}
