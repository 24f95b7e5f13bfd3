import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/context';
import type { ApiError } from '../../api/errors';
import { sandboxKeys } from '../../api/keys';

/**
 * The stderr of the process that ran last: of every `sandbox/.logs/<process>/<run>/stderr`,
 * the one changed most recently. Falls back to the executor's own `stderr` at the root.
 */
export function useLastStderr(profileId: string, taskId: string, enabled: boolean) {
  const api = useApi();
  return useQuery<string, ApiError>({
    queryKey: sandboxKeys.lastStderr(profileId, taskId),
    enabled,
    queryFn: async () => {
      let best: { path: string; mtime: number } | null = null;
      const procs = await api.call('sandbox.list', { taskId, path: 'sandbox/.logs' }).catch(() => null);
      for (const p of procs?.entries.filter((e) => e.kind === 'dir') ?? []) {
        const runs = await api.call('sandbox.list', { taskId, path: p.path });
        for (const r of runs.entries.filter((e) => e.kind === 'dir')) {
          const files = await api.call('sandbox.list', { taskId, path: r.path });
          const err = files.entries.find((f) => f.name === 'stderr' && f.kind === 'file');
          if (err && (!best || err.mtime > best.mtime)) best = { path: err.path, mtime: err.mtime };
        }
      }
      return best?.path ?? 'stderr';
    },
  });
}
