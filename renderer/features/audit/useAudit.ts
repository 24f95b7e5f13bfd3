import { useInfiniteQuery } from '@tanstack/react-query';
import type { CallOutput } from '../../../core/contract';
import { useApi } from '../../api/context';
import type { ApiError } from '../../api/errors';
import { auditKeys } from '../../api/keys';

export const auditPageSize = 200;

/**
 * The audit log, newest first, a page at a time: the next page is what came before the oldest
 * entry loaded. `before` is exclusive, so it is asked for one millisecond later than that entry:
 * others of the same millisecond still come, and the screen drops the ones it already has.
 * `kind` '' means every kind.
 */
export function useAudit(profileId: string, kind: string) {
  const api = useApi();
  return useInfiniteQuery<CallOutput<'audit.list'>, ApiError, { pages: CallOutput<'audit.list'>[] }, readonly unknown[], number | null>({
    queryKey: auditKeys.list(profileId, kind),
    queryFn: ({ pageParam }) =>
      api.call('audit.list', {
        limit: auditPageSize,
        ...(pageParam !== null ? { before: pageParam } : {}),
        ...(kind ? { kind } : {}),
      }),
    initialPageParam: null,
    getNextPageParam: (last, pages) => {
      const oldest = last.entries.at(-1)?.at;
      if (last.entries.length < auditPageSize || oldest === undefined) return undefined;
      // A whole page of one millisecond would come back unchanged: stop rather than loop.
      const before = pages.at(-2)?.entries.at(-1)?.at;
      return before !== undefined && oldest >= before ? undefined : oldest + 1;
    },
    refetchInterval: 30_000,
  });
}
