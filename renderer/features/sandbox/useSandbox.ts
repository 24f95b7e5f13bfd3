import { useQuery } from '@tanstack/react-query';
import type { CallOutput, SandboxEntry } from '../../../core/contract';
import { useApi } from '../../api/context';
import type { ApiError } from '../../api/errors';
import { sandboxKeys } from '../../api/keys';

/** One directory of a task's sandbox. */
export function useSandboxList(profileId: string, taskId: string, path: string) {
  const api = useApi();
  return useQuery<CallOutput<'sandbox.list'>, ApiError>({
    queryKey: sandboxKeys.list(profileId, taskId, path),
    queryFn: () => api.call('sandbox.list', { taskId, path }),
    refetchInterval: 10_000,
  });
}

export type SortKey = 'name' | 'size' | 'mtime';

/** Directories first, then files, each in the chosen order. */
export function sortEntries(entries: readonly SandboxEntry[], key: SortKey, desc: boolean): SandboxEntry[] {
  const sign = desc ? -1 : 1;
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return [...entries].sort((a, b) => {
    const dirA = a.kind === 'dir' ? 0 : 1;
    const dirB = b.kind === 'dir' ? 0 : 1;
    if (dirA !== dirB) return dirA - dirB;
    const by = key === 'name' ? collator.compare(a.name, b.name) : key === 'size' ? a.size - b.size : a.mtime - b.mtime;
    return sign * by || collator.compare(a.name, b.name);
  });
}

export interface ProcessRun {
  process: string;
  run: string;
  /** Newest change of its two files. */
  mtime: number;
  files: SandboxEntry[];
}

/** The Thermos `.logs/<process>/<run>/` tree, newest run first. */
export function useProcessLogs(profileId: string, taskId: string) {
  const api = useApi();
  return useQuery<ProcessRun[], ApiError>({
    queryKey: [...sandboxKeys.list(profileId, taskId, 'sandbox/.logs'), 'runs'],
    queryFn: async () => {
      const procs = await api.call('sandbox.list', { taskId, path: 'sandbox/.logs' });
      const runs: ProcessRun[] = [];
      for (const p of procs.entries.filter((e) => e.kind === 'dir')) {
        const rs = await api.call('sandbox.list', { taskId, path: p.path });
        for (const r of rs.entries.filter((e) => e.kind === 'dir')) {
          const files = (await api.call('sandbox.list', { taskId, path: r.path })).entries.filter((e) => e.kind === 'file');
          runs.push({ process: p.name, run: r.name, mtime: Math.max(r.mtime, ...files.map((f) => f.mtime)), files });
        }
      }
      return runs.sort((a, b) => b.mtime - a.mtime);
    },
    refetchInterval: 10_000,
  });
}
