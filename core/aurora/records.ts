import { ShapeError, isRecord } from './schema.js';
import type { AuroraJob, AuroraStatus, AuroraTask, AuroraTaskEvent } from './types.js';
import type { WireConstraint, WireJobKey, WireJobSummary, WireScheduledTask, WireTaskConfig } from './wire.js';

/** Aurora's structs, as decoded from either protocol, in the console's terms (types.ts). */

export function jobKeyText(key: WireJobKey | undefined, at: string): string {
  if (key?.role === undefined || key.environment === undefined || key.name === undefined) {
    throw new ShapeError(at, 'a JobKey needs role, environment and name');
  }
  return `${key.role}/${key.environment}/${key.name}`;
}

export function toTask(t: WireScheduledTask, at: string): AuroraTask {
  const a = t.assignedTask;
  if (a?.taskId === undefined || a.task === undefined)
    throw new ShapeError(at, 'a ScheduledTask needs assignedTask.taskId and assignedTask.task');
  if (t.status === undefined) throw new ShapeError(at, 'a ScheduledTask needs a status');
  const config = a.task;
  return {
    taskId: a.taskId,
    jobKey: jobKeyText(config.job, `${at}.assignedTask.task.job`),
    instance: a.instanceId ?? 0,
    status: t.status as AuroraStatus,
    // Unset while PENDING; some schedulers send "" instead.
    agentId: nonEmpty(a.slaveId),
    agentHost: nonEmpty(a.slaveHost),
    ancestorId: nonEmpty(t.ancestorId),
    failureCount: t.failureCount ?? 0,
    ports: { ...(a.assignedPorts ?? {}) },
    events: events(t),
    resources: resourcesOf(config),
    tier: nonEmpty(config.tier),
    priority: config.priority ?? 0,
    production: config.production ?? false,
    constraints: constraintsText(config.constraints),
    processes: processesOf(config.executorConfig?.data),
  };
}

function events(t: WireScheduledTask): AuroraTaskEvent[] {
  const list = (t.taskEvents ?? []).map((e) => ({
    at: e.timestamp ?? 0,
    status: (e.status ?? 'INIT') as AuroraStatus,
    message: nonEmpty(e.message),
    scheduler: nonEmpty(e.scheduler),
  }));
  // The scheduler appends in order, but a set-based store or a proxy may not keep it; a stable sort keeps ties as sent.
  return list.sort((x, y) => x.at - y.at);
}

export function toJob(s: WireJobSummary, at: string): AuroraJob {
  const job = s.job;
  if (job === undefined) throw new ShapeError(at, 'a JobSummary needs a job');
  const config: WireTaskConfig = job.taskConfig ?? {};
  const keySource = job.key ?? config.job;
  const key = jobKeyText(keySource, `${at}.job.key`);
  const schedule = nonEmpty(job.cronSchedule);
  return {
    key,
    role: keySource?.role ?? '',
    environment: keySource?.environment ?? '',
    name: keySource?.name ?? '',
    instances: job.instanceCount ?? 0,
    service: config.isService ?? false,
    cron:
      schedule === null
        ? null
        : { schedule, collisionPolicy: job.cronCollisionPolicy ?? 'KILL_EXISTING', nextRun: s.nextCronRunMs ?? null },
    tier: nonEmpty(config.tier),
    priority: config.priority ?? 0,
    maxTaskFailures: config.maxTaskFailures ?? 1,
    constraints: constraintsText(config.constraints),
    resources: resourcesOf(config),
    stats: {
      active: s.stats?.activeTaskCount ?? 0,
      finished: s.stats?.finishedTaskCount ?? 0,
      failed: s.stats?.failedTaskCount ?? 0,
      pending: s.stats?.pendingTaskCount ?? 0,
    },
  };
}

/**
 * The `resources` set of Resource unions (Aurora ≥ 0.14) first, field by field; the task-level
 * numCpus/ramMb/diskMb that schedulers before 0.19 sent (and during the move, both) otherwise.
 */
export function resourcesOf(c: WireTaskConfig): { cpus: number; ramMb: number; diskMb: number } {
  const set = c.resources ?? [];
  const sum = (pick: (r: (typeof set)[number]) => number | undefined, legacy: number | undefined): number => {
    const values = set.map(pick).filter((v): v is number => v !== undefined);
    return values.length > 0 ? values.reduce((a, b) => a + b, 0) : (legacy ?? 0);
  };
  return {
    cpus: sum((r) => r.numCpus, c.numCpus),
    ramMb: sum((r) => r.ramMb, c.ramMb),
    diskMb: sum((r) => r.diskMb, c.diskMb),
  };
}

/** As a job file writes them (config/thrift.py constraints_to_thrift, reversed): `host: limit:1`, `rack: !r13,r14`. */
export function constraintsText(list: WireConstraint[] | undefined): string[] {
  return (list ?? [])
    .map((c) => {
      const name = c.name ?? '';
      const limit = c.constraint?.limit;
      if (limit !== undefined) return `${name}: limit:${limit.limit ?? 0}`;
      const value = c.constraint?.value;
      return `${name}: ${value?.negated === true ? '!' : ''}${(value?.values ?? []).join(',')}`;
    })
    .sort();
}

/**
 * Thermos processes from `executorConfig.data`, the JSON of the Pystachio job (`task.processes[]`).
 * Any other executor, or data stripped by getTasksWithoutConfigs, gives none: a task list must not
 * fail because one task runs something else.
 */
export function processesOf(data: string | undefined): { name: string; cmdline: string }[] {
  if (data === undefined || data === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return [];
  }
  const task = isRecord(json) ? json.task : undefined;
  const processes = isRecord(task) ? task.processes : undefined;
  if (!Array.isArray(processes)) return [];
  return processes.flatMap((p) =>
    isRecord(p) && typeof p.name === 'string' ? [{ name: p.name, cmdline: typeof p.cmdline === 'string' ? p.cmdline : '' }] : [],
  );
}

function nonEmpty(v: string | undefined): string | null {
  return v === undefined || v === '' ? null : v;
}
