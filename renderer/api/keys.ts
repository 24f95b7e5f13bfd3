import type { CallInput } from '../../core/contract';

/**
 * One query-key function per kind of server object. Everything that belongs to a cluster
 * profile starts with that kind and the profile's id, so switching profiles never shows
 * another's data, and `all(profileId)` reaches every query of a kind (for invalidation).
 */
export const appKeys = {
  status: () => ['app', 'status'] as const,
};

export const profileKeys = {
  list: () => ['profiles', 'list'] as const,
};

export const agentKeys = {
  all: (profileId: string) => ['agents', profileId] as const,
  list: (profileId: string, filter: CallInput<'agents.list'> = {}) => ['agents', profileId, 'list', filter] as const,
};

export const overviewKeys = {
  all: (profileId: string) => ['overview', profileId] as const,
  get: (profileId: string) => ['overview', profileId, 'get'] as const,
};

export const jobKeys = {
  all: (profileId: string) => ['jobs', profileId] as const,
  list: (profileId: string) => ['jobs', profileId, 'list'] as const,
  detail: (profileId: string, key: string) => ['jobs', profileId, 'detail', key] as const,
};

export const taskKeys = {
  all: (profileId: string) => ['tasks', profileId] as const,
  detail: (profileId: string, taskId: string) => ['tasks', profileId, 'detail', taskId] as const,
  list: (profileId: string, filter: CallInput<'tasks.list'>) => ['tasks', profileId, 'list', filter] as const,
};

/** Sandbox listings and file metadata; the lines themselves are held by the viewer, bounded. */
export const sandboxKeys = {
  all: (profileId: string) => ['sandbox', profileId] as const,
  list: (profileId: string, taskId: string, path: string) => ['sandbox', profileId, 'list', taskId, path] as const,
  stat: (profileId: string, taskId: string, path: string) => ['sandbox', profileId, 'stat', taskId, path] as const,
  lastStderr: (profileId: string, taskId: string) => ['sandbox', profileId, 'lastStderr', taskId] as const,
};

/** The kinds of cluster object the live event stream can make stale. */
export type ClusterKind = 'agents' | 'overview' | 'jobs' | 'tasks';

export const keysOfKind: Record<ClusterKind, (profileId: string) => readonly unknown[]> = {
  agents: agentKeys.all,
  overview: overviewKeys.all,
  jobs: jobKeys.all,
  tasks: taskKeys.all,
};
