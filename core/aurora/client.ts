import { detailText } from './failures.js';
import { jobKey, matchesNothing, taskQuery } from './query.js';
import { toJob, toTask } from './records.js';
import { ShapeError } from './schema.js';
import { createRpc } from './rpc.js';
import { methods } from './structs.js';
import type { AuroraClient, AuroraClientOptions, AuroraJob, AuroraTask } from './types.js';
import type { WireResponse } from './wire.js';

/**
 * The client of a real Aurora scheduler (reference/aurora.md §4): read-only calls for the
 * console's views, killTasks and restartShards for its commands. Every failure is a ConsoleError
 * with an AURORA_* code (failures.ts).
 */

/** How many getJobSummary calls run at once when listing every role's jobs: a big cluster has hundreds of roles. */
const ROLE_PARALLELISM = 8;
const DEFAULT_TIMEOUT_MS = 10_000;

export function createAuroraClient(options: AuroraClientOptions & { transientPauseMs?: number }): AuroraClient {
  const rpc = createRpc({
    url: options.url,
    protocol: options.protocol ?? 'auto',
    credentials: options.credentials ?? null,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    transientPauseMs: options.transientPauseMs ?? 500,
  });

  const roleSummaries = (r: WireResponse) =>
    (r.result?.roleSummaryResult?.summaries ?? []).map((s, i) => {
      if (s.role === undefined) throw new ShapeError(`roleSummaryResult.summaries[${i}]`, 'a RoleSummary needs a role');
      return { role: s.role, jobCount: s.jobCount ?? 0, cronJobCount: s.cronJobCount ?? 0 };
    });

  async function jobsOf(role: string): Promise<AuroraJob[]> {
    const { value } = await rpc.call(methods.getJobSummary, { role }, (r) =>
      (r.result?.jobSummaryResult?.summaries ?? []).map((s, i) => toJob(s, `jobSummaryResult.summaries[${i}]`)),
    );
    return value;
  }

  const readTasks = (r: WireResponse): AuroraTask[] =>
    (r.result?.scheduleStatusResult?.tasks ?? []).map((t, i) => toTask(t, `scheduleStatusResult.tasks[${i}]`));

  return {
    async ping() {
      const { value, url } = await rpc.call(methods.getRoleSummary, {}, (r) => ({
        clusterName: r.serverInfo?.clusterName || null,
        roles: roleSummaries(r).length,
      }));
      return { url, ...value };
    },

    async roles() {
      const { value } = await rpc.call(methods.getRoleSummary, {}, roleSummaries);
      return value.sort((a, b) => a.role.localeCompare(b.role));
    },

    async jobs(role) {
      let list: AuroraJob[];
      if (role !== undefined) list = await jobsOf(role);
      else {
        const { value: roles } = await rpc.call(methods.getRoleSummary, {}, roleSummaries);
        list = (await mapLimit(roles, ROLE_PARALLELISM, (r) => jobsOf(r.role))).flat();
      }
      return list.sort((a, b) => a.key.localeCompare(b.key));
    },

    async tasks(query, opts) {
      if (matchesNothing(query)) return [];
      const method = opts?.withConfigs === true ? methods.getTasksStatus : methods.getTasksWithoutConfigs;
      const { value } = await rpc.call(method, { query: taskQuery(query) }, readTasks);
      return value;
    },

    async pendingReasons(query) {
      // Pending tasks sit on no host; and the scheduler refuses statuses or hosts here, forcing PENDING itself (ReadOnlySchedulerImpl).
      if (matchesNothing(query) || (query.slaveHosts !== undefined && query.slaveHosts.length > 0)) return new Map();
      if (query.statuses !== undefined && !query.statuses.includes('PENDING')) return new Map();
      const wire = taskQuery({ ...query, statuses: undefined, slaveHosts: undefined });
      const { value } = await rpc.call(methods.getPendingReason, { query: wire }, (r) => {
        const reasons = new Map<string, string>();
        for (const p of r.result?.getPendingReasonResult?.reasons ?? []) if (p.taskId !== undefined) reasons.set(p.taskId, p.reason ?? '');
        return reasons;
      });
      return value;
    },

    async kill(job, instances, message) {
      // No set (or an empty one) kills every active instance (SchedulerThriftInterface.killTasks).
      const args: Record<string, unknown> = { job: jobKey(job), message };
      if (instances !== undefined && instances.length > 0) args.instances = [...new Set(instances)];
      const { value } = await rpc.call(methods.killTasks, args, (r) => ({ message: detailText(r.details) || null }));
      return value;
    },

    async restart(job, instances) {
      const args = { job: jobKey(job), shardIds: [...new Set(instances)] };
      const { value } = await rpc.call(methods.restartShards, args, (r) => ({ message: detailText(r.details) || null }));
      return value;
    },

    close: () => rpc.close(),
  };
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of the items. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
