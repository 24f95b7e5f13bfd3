import type { CallInput } from '../../core/contract/index.js';

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

/** Pools with their counts and holds, and the plans made against them (a plan is as old as its pool). */
export const poolKeys = {
  all: (profileId: string) => ['pools', profileId] as const,
  list: (profileId: string) => ['pools', profileId, 'list'] as const,
  plan: (profileId: string, request: CallInput<'scaling.plan'>['request']) => ['pools', profileId, 'plan', request] as const,
};

export const instanceKeys = {
  all: (profileId: string) => ['instances', profileId] as const,
  list: (profileId: string, filter: CallInput<'instances.list'> = {}) => ['instances', profileId, 'list', filter] as const,
};

export const operationKeys = {
  all: (profileId: string) => ['operations', profileId] as const,
  list: (profileId: string, filter: CallInput<'operations.list'>) => ['operations', profileId, 'list', filter] as const,
  detail: (profileId: string, id: string) => ['operations', profileId, 'detail', id] as const,
};

export const holdKeys = {
  all: (profileId: string) => ['holds', profileId] as const,
  list: (profileId: string) => ['holds', profileId, 'list'] as const,
};

export const auditKeys = {
  all: (profileId: string) => ['audit', profileId] as const,
  list: (profileId: string, kind: string) => ['audit', profileId, 'list', kind] as const,
};

/** The kinds of cluster object an event or an action can make stale. */
export type ClusterKind = 'agents' | 'overview' | 'jobs' | 'tasks' | 'pools' | 'instances' | 'operations' | 'holds' | 'audit';

export const keysOfKind: Record<ClusterKind, (profileId: string) => readonly unknown[]> = {
  agents: agentKeys.all,
  overview: overviewKeys.all,
  jobs: jobKeys.all,
  tasks: taskKeys.all,
  pools: poolKeys.all,
  instances: instanceKeys.all,
  operations: operationKeys.all,
  holds: holdKeys.all,
  audit: auditKeys.all,
};

/** Which of the cluster's systems answer: pushed by `cluster.changes`, never fetched. */
export const freshnessKeys = {
  get: (profileId: string) => ['freshness', profileId] as const,
};
