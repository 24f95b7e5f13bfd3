import type { Agent } from '../contract/agents.js';
import type { JobSummary, Task } from '../contract/jobs.js';
import type { AgentRecord } from '../model/agent.js';
import { jobKeyString, type Constraint } from '../model/job.js';
import type { TaskRecord } from '../model/task.js';
import type { AgentUsage } from '../scheduler/round.js';
import type { JobRecord } from '../store/jobs.js';
import { nextRun } from '../model/cron.js';

/** A constraint as the job file writes it: `slave-type: mesos-fixed`, `host: limit:1`. */
export function constraintText(c: Constraint): string {
  return c.kind === 'limit' ? `${c.name}: limit:${c.limit}` : `${c.name}: ${c.negated ? '!' : ''}${c.values.join(',')}`;
}

export function taskView(t: TaskRecord): Task {
  return { ...t };
}

export function agentView(a: AgentRecord, u: AgentUsage | undefined): Agent {
  return {
    ...a,
    used: { cpus: round(u?.cpus ?? 0), memMb: Math.round(u?.memMb ?? 0), diskMb: Math.round(u?.diskMb ?? 0) },
    activeTasks: u?.tasks ?? 0,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function jobView(j: JobRecord, current: readonly TaskRecord[]): JobSummary {
  const s = j.spec;
  const taskCounts: Record<string, number> = {};
  for (const t of current) taskCounts[t.state] = (taskCounts[t.state] ?? 0) + 1;
  return {
    key: jobKeyString(s.key),
    role: s.key.role,
    environment: s.key.environment,
    name: s.key.name,
    instances: s.instances,
    service: s.service,
    cron:
      s.cronSchedule === null
        ? null
        : {
            schedule: s.cronSchedule,
            collisionPolicy: s.cronCollisionPolicy,
            nextRun: j.state === 'active' ? nextRun(s.cronSchedule, new Date(j.cronLastRun ?? j.createdAt)).getTime() : null,
          },
    tier: s.tier,
    priority: s.priority,
    maxTaskFailures: s.maxTaskFailures,
    constraints: s.constraints.map(constraintText),
    resources: s.task.resources,
    state: j.state,
    taskCounts,
    source: j.source,
    createdAt: j.createdAt,
  };
}

/** The newest attempt of each instance of a job, from all its attempts (newest first per instance). */
export function currentAttempts(all: readonly TaskRecord[]): TaskRecord[] {
  const seen = new Map<number, TaskRecord>();
  for (const t of all) {
    const prev = seen.get(t.instance);
    if (!prev || t.createdAt > prev.createdAt) seen.set(t.instance, t);
  }
  return [...seen.values()].sort((a, b) => a.instance - b.instance);
}
