import type { Agent } from '../contract/agents.js';
import type { MesosTask } from '../mesos/types.js';
import type { MesosWatch } from './mesos-watch.js';

/** What changed in the master's state since the last delivery, by id. */
export interface MesosChanges {
  tasks: string[];
  agents: string[];
  removedAgents: string[];
}

const sameAgent = (a: Agent, b: Agent) =>
  a.used.cpus === b.used.cpus &&
  a.used.memMb === b.used.memMb &&
  a.used.diskMb === b.used.diskMb &&
  a.activeTasks === b.activeTasks &&
  a.state === b.state &&
  a.hostname === b.hostname &&
  a.resources.cpus === b.resources.cpus &&
  a.resources.memMb === b.resources.memMb;

/**
 * The watch's states, turned into what changed between two of them. Events replace the task
 * objects they change (copy on write, mesos/events.ts), so a changed task is one whose object
 * is not the one seen before; agents are compared by what the screens show of them.
 */
export function watchMesosChanges(watch: MesosWatch, listener: (c: MesosChanges) => void, everyMs = 250): () => void {
  let state: unknown = null;
  let tasks = new Map<string, MesosTask>();
  let agents = new Map<string, Agent>();
  const tick = () => {
    const live = watch.live();
    if (!live || live.state === state) return;
    const first = state === null;
    state = live.state;
    const nextTasks = new Map<string, MesosTask>();
    const changedTasks: string[] = [];
    for (const t of live.state.tasks) {
      nextTasks.set(t.id, t);
      if (!first && tasks.get(t.id) !== t) changedTasks.push(t.id);
    }
    const nextAgents = new Map<string, Agent>();
    const changedAgents: string[] = [];
    for (const a of live.index.agents) {
      nextAgents.set(a.id, a);
      const before = agents.get(a.id);
      if (!first && (!before || !sameAgent(before, a))) changedAgents.push(a.id);
    }
    const removed = first ? [] : [...agents.keys()].filter((id) => !nextAgents.has(id));
    tasks = nextTasks;
    agents = nextAgents;
    if (changedTasks.length + changedAgents.length + removed.length > 0) {
      listener({ tasks: changedTasks, agents: changedAgents, removedAgents: removed });
    }
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return () => clearInterval(timer);
}
