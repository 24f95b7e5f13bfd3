import type { AuroraJobKey, AuroraTaskQuery } from './types.js';

/** The console's task query as the TaskQuery struct (api.thrift): only the fields given. */
export function taskQuery(q: AuroraTaskQuery): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (q.role !== undefined) out.role = q.role;
  if (q.environment !== undefined) out.environment = q.environment;
  if (q.jobName !== undefined) out.jobName = q.jobName;
  if (q.taskIds !== undefined) out.taskIds = unique(q.taskIds);
  if (q.statuses !== undefined) out.statuses = unique(q.statuses);
  if (q.instanceIds !== undefined) out.instanceIds = unique(q.instanceIds);
  if (q.slaveHosts !== undefined) out.slaveHosts = unique(q.slaveHosts);
  if (q.offset !== undefined) out.offset = q.offset;
  if (q.limit !== undefined) out.limit = q.limit;
  return out;
}

/**
 * Aurora reads an empty set as "no restriction"; the console's query ANDs every field given,
 * so `taskIds: []` asks for nothing, and is answered without asking the scheduler.
 */
export function matchesNothing(q: AuroraTaskQuery): boolean {
  return [q.taskIds, q.statuses, q.instanceIds, q.slaveHosts].some((list) => list !== undefined && list.length === 0);
}

export const jobKey = (k: AuroraJobKey) => ({ role: k.role, environment: k.environment, name: k.name });

/** Thrift sets carry no duplicates. */
const unique = <T>(list: T[]): T[] => [...new Set(list)];
