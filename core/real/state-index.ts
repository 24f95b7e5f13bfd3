import type { Agent } from '../contract/agents.js';
import type { Overview } from '../contract/overview.js';
import { agentRecordOf } from '../mesos/records.js';
import { itemsPerStep, runInSteps, runNow, type Steps } from '../model/steps.js';
import type { MesosAgent, MesosState, MesosTask } from '../mesos/types.js';
import { activeMesosStates, statusOfMesos, taskOfMesos } from './tasks.js';

/**
 * What the screens ask of a master's state, computed once per state read: a 5,000-agent,
 * 100,000-task state is walked once (tasks by agent, by id, by job), never once per agent.
 */
export interface StateIndex {
  agentById: Map<string, MesosAgent>;
  taskById: Map<string, MesosTask>;
  /** Active tasks (staging to killing) per agent. */
  activeByAgent: Map<string, MesosTask[]>;
  /** Active tasks per Mesos task name: Aurora names its tasks after their job key. */
  activeByName: Map<string, MesosTask[]>;
  agents: Agent[];
}

export function indexState(s: MesosState): StateIndex {
  return runNow(indexing(s));
}

/** The same, in steps (model/steps.ts), for a big cluster's state: no one long main-thread task. */
export function indexStateInSteps(s: MesosState): Promise<StateIndex> {
  return runInSteps(indexing(s));
}

function* indexing(s: MesosState): Steps<StateIndex> {
  const agentById = new Map<string, MesosAgent>();
  for (const a of s.agents) agentById.set(a.id, a);
  const taskById = new Map<string, MesosTask>();
  const activeByAgent = new Map<string, MesosTask[]>();
  const activeByName = new Map<string, MesosTask[]>();
  const push = (m: Map<string, MesosTask[]>, k: string, t: MesosTask) => {
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  };
  const tasks = s.tasks;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!;
    // An active task wins over a completed one of the same id (a master lists both after a failover).
    const seen = taskById.get(t.id);
    if (!seen || (seen.list !== 'active' && t.list === 'active')) taskById.set(t.id, t);
    if (t.list === 'active' && activeMesosStates.has(t.state)) {
      push(activeByAgent, t.agentId, t);
      push(activeByName, t.name, t);
    }
    if (i % itemsPerStep === itemsPerStep - 1) yield;
  }
  const agents = s.agents.map((a): Agent => ({
    ...agentRecordOf(a),
    used: { cpus: a.used.cpus, memMb: Math.round(a.used.memMb), diskMb: Math.round(a.used.diskMb) },
    activeTasks: activeByAgent.get(a.id)?.length ?? 0,
  }));
  return { agentById, taskById, activeByAgent, activeByName, agents };
}

const failed = new Set(['TASK_FAILED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE']);

export function overviewOfIndex(s: MesosState, ix: StateIndex): Overview {
  const byType = new Map<string, Overview['agentsByType'][number]>();
  for (const a of ix.agents) {
    const row = byType.get(a.slaveType) ?? {
      slaveType: a.slaveType,
      agents: 0,
      cpus: { used: 0, total: 0 },
      memMb: { used: 0, total: 0 },
      diskMb: { used: 0, total: 0 },
    };
    row.agents++;
    row.cpus.total += a.resources.cpus;
    row.cpus.used += a.used.cpus;
    row.memMb.total += a.resources.memMb;
    row.memMb.used += a.used.memMb;
    row.diskMb.total += a.resources.diskMb;
    row.diskMb.used += a.used.diskMb;
    byType.set(a.slaveType, row);
  }
  const tasksByState: Record<string, number> = {};
  const failures: MesosTask[] = [];
  for (const t of s.tasks) {
    if (t.list === 'active') {
      const word = statusOfMesos(t.state);
      tasksByState[word] = (tasksByState[word] ?? 0) + 1;
    } else if (failed.has(t.state)) {
      failures.push(t);
    }
  }
  // The master keeps the reason and message of each failure: the newest ten, newest first.
  const endedAt = (t: MesosTask) => t.statuses.at(-1)?.at?.ms ?? 0;
  const latestFailures = failures
    .sort((a, b) => endedAt(b) - endedAt(a))
    .slice(0, 10)
    .map((t) => taskOfMesos(t, ix.agentById.get(t.agentId)));
  return { agentsByType: [...byType.values()], tasksByState, latestFailures, asOf: s.fetchedAt };
}
