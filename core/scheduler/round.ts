import type { AgentRecord } from '../model/agent.js';
import type { JobSpec } from '../model/job.js';
import type { TaskRecord } from '../model/task.js';
import { executorOverhead, placeTasks, type AttributeCounts, type PlacementGroup, type PlacementHost } from './placement.js';
import type { SchedulerState } from './scheduler.js';
import { SLAVE_ASSIGNED_STATES } from './state-machine.js';
import { allocatePorts, portCount } from './task-ids.js';

/** Starts a placed task on its agent; returns where its sandbox is. Throws if it cannot. */
export type LaunchPlaced = (task: TaskRecord, job: JobSpec, agent: AgentRecord) => { sandboxDir: string };

export interface AgentUsage {
  cpus: number;
  memMb: number;
  diskMb: number;
  ports: Set<number>;
  tasks: number;
}

/** What the agents' active tasks hold: task resources plus the executor's overhead. */
export function agentUsage(state: SchedulerState): Map<string, AgentUsage> {
  const usage = new Map<string, AgentUsage>();
  for (const t of state.active.values()) {
    if (!t.agentId || !SLAVE_ASSIGNED_STATES.has(t.state)) continue;
    const job = state.jobs.get(t.jobKey);
    if (!job) continue;
    let u = usage.get(t.agentId);
    if (!u) usage.set(t.agentId, (u = { cpus: 0, memMb: 0, diskMb: 0, ports: new Set(), tasks: 0 }));
    const r = job.spec.task.resources;
    u.cpus += r.cpus + executorOverhead.cpus;
    u.memMb += r.ramMb + executorOverhead.ramMb;
    u.diskMb += r.diskMb + executorOverhead.diskMb;
    for (const p of Object.values(t.ports)) u.ports.add(p);
    u.tasks++;
  }
  return usage;
}

/** Per job, its active tasks counted by each attribute value of their agents (for limit constraints). */
function activeCounts(state: SchedulerState, agents: ReadonlyMap<string, AgentRecord>): Map<string, AttributeCounts> {
  const counts = new Map<string, Record<string, Record<string, number>>>();
  for (const t of state.active.values()) {
    if (!t.agentId || !SLAVE_ASSIGNED_STATES.has(t.state)) continue;
    const agent = agents.get(t.agentId);
    if (!agent) continue;
    let job = counts.get(t.jobKey);
    if (!job) counts.set(t.jobKey, (job = {}));
    for (const [name, value] of Object.entries(agent.attributes)) {
      const byValue = (job[name] ??= {});
      byValue[value] = (byValue[value] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * One scheduling round: places every PENDING task that fits (Aurora's filter and first fit,
 * in placement.ts), assigns named ports from the agent's range, launches, and records the
 * pending reason of what is left.
 */
export function scheduleRound(
  state: SchedulerState,
  agents: readonly AgentRecord[],
  launch: LaunchPlaced,
  random: () => number,
): { placed: number; pending: number } {
  const pendingTasks = [...state.active.values()].filter((t) => t.state === 'PENDING');
  if (pendingTasks.length === 0) return { placed: 0, pending: 0 };

  const live = agents.filter((a) => a.state === 'registered');
  const byId = new Map(live.map((a) => [a.id, a]));
  const usage = agentUsage(state);
  const hosts: PlacementHost[] = live.map((a) => {
    const u = usage.get(a.id);
    return {
      id: a.id,
      attributes: a.attributes,
      free: {
        cpus: a.resources.cpus - (u?.cpus ?? 0),
        ramMb: a.resources.memMb - (u?.memMb ?? 0),
        diskMb: a.resources.diskMb - (u?.diskMb ?? 0),
        ports: portCount(a.resources.ports) - (u?.ports.size ?? 0),
      },
      maintenance: 'NONE',
    };
  });

  const counts = activeCounts(state, byId);
  const groups = new Map<string, { taskIds: string[]; job: JobSpec }>();
  for (const t of pendingTasks.sort((a, b) => a.createdAt - b.createdAt || a.instance - b.instance)) {
    const job = state.jobs.get(t.jobKey);
    if (!job) continue;
    let g = groups.get(t.jobKey);
    if (!g) groups.set(t.jobKey, (g = { taskIds: [], job: job.spec }));
    g.taskIds.push(t.taskId);
  }
  const placementGroups: PlacementGroup[] = [...groups].map(([jobKey, g]) => ({
    key: jobKey,
    jobKey,
    taskIds: g.taskIds,
    resources: g.job.task.resources,
    ports: g.job.ports.length,
    constraints: g.job.constraints,
    activeCounts: counts.get(jobKey) ?? {},
  }));

  const result = placeTasks(hosts, placementGroups, { random });

  let placed = 0;
  for (const [taskId, agentId] of result.assignments) {
    const task = state.active.get(taskId);
    const agent = byId.get(agentId);
    if (!task || !agent) continue;
    const job = state.jobs.get(task.jobKey)!.spec;
    const u = usage.get(agentId) ?? { cpus: 0, memMb: 0, diskMb: 0, ports: new Set<number>(), tasks: 0 };
    usage.set(agentId, u);
    const ports = allocatePorts(agent.resources.ports, u.ports, job.ports);
    if (!ports) continue; // placement counted ports; a race with a just-freed range retries next round
    for (const p of Object.values(ports)) u.ports.add(p);
    state.move(task, 'ASSIGNED', `Assigned to ${agent.hostname}`, {
      agentId,
      agentHost: agent.hostname,
      ports,
      pendingReason: null,
    });
    const assigned = state.active.get(taskId)!;
    try {
      const { sandboxDir } = launch(assigned, job, agent);
      state.patch(taskId, { sandboxDir });
      placed++;
    } catch (e) {
      // Aurora makes a failed launch LOST, which reschedules without end; a launch that fails
      // here (a bad template, an unusable sandbox) fails again, so it counts as a task failure.
      state.move(assigned, 'FAILED', `Could not launch: ${e instanceof Error ? e.message : String(e)}`, {
        reason: 'REASON_EXECUTOR_TERMINATED',
      });
    }
  }

  let pending = 0;
  for (const g of result.pending) {
    for (const taskId of g.taskIds) {
      pending++;
      const t = state.active.get(taskId);
      if (t && t.pendingReason !== g.reason) state.patch(taskId, { pendingReason: g.reason });
    }
  }
  return { placed, pending };
}
