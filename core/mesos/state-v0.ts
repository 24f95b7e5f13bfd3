import { parsePid } from './pid.js';
import { attributesOfObject, noResources, resourcesOfSummary } from './resources.js';
import { bool, int, isObject, labels, list, object, requiredString, text } from './shape.js';
import { roleOf } from './state-v1.js';
import { containerIdOf, listOf, sandboxHint, statusesOf, taskState } from './task-parts.js';
import { timeOfSeconds } from './time.js';
import type { MesosAgent, MesosExecutor, MesosFramework, MesosState, MesosTask } from './types.js';

/**
 * `GET /master/state` (the fallback for masters without `/api/v1`): agents in `slaves`, tasks
 * and executors inside each framework, times as doubles of seconds, resources as summary
 * objects, and statuses without message or reason (reference/mesos.md §1).
 */
export function stateOfMasterState(root: unknown, url: string, fetchedAt: number): MesosState {
  const top = object(root, 'the answer');
  const agents: MesosAgent[] = [];
  list(top.slaves, 'slaves').forEach((a, i) => agents.push(agentOf(a, `slaves[${i}]`)));
  list(top.recovered_slaves, 'recovered_slaves', true).forEach((a, i) => agents.push(recoveredAgentOf(a, `recovered_slaves[${i}]`)));

  const frameworks: MesosFramework[] = [];
  const tasks: MesosTask[] = [];
  const executors: MesosExecutor[] = [];
  const addFramework = (v: unknown, path: string, completed: boolean) => {
    const f = object(v, path);
    const id = requiredString(f.id, `${path}.id`);
    frameworks.push({
      id,
      name: text(f.name) ?? '',
      role: roleOf(f),
      user: text(f.user) ?? '',
      principal: text(f.principal),
      hostname: text(f.hostname),
      webuiUrl: text(f.webui_url),
      active: bool(f.active),
      connected: bool(f.connected),
      recovered: bool(f.recovered),
      completed,
      registeredAt: timeOfSeconds(f.registered_time),
    });
    const addTasks = (key: string, which: MesosTask['list']) => {
      const items = list(f[key], `${path}.${key}`, true);
      for (let i = 0; i < items.length; i++) tasks.push(taskOf(items[i], `${path}.${key}[${i}]`, which));
    };
    addTasks('tasks', 'active');
    addTasks('unreachable_tasks', 'unreachable');
    addTasks('completed_tasks', 'completed');
    list(f.executors, `${path}.executors`, true).forEach((e, i) => {
      const ex = object(e, `${path}.executors[${i}]`);
      executors.push({
        id: requiredString(ex.executor_id, `${path}.executors[${i}].executor_id`),
        frameworkId: text(ex.framework_id) || id,
        agentId: requiredString(ex.slave_id, `${path}.executors[${i}].slave_id`),
        name: text(ex.name),
        type: text(ex.type),
        resources: resourcesOfSummary(ex.resources),
      });
    });
  };
  list(top.frameworks, 'frameworks').forEach((f, i) => addFramework(f, `frameworks[${i}]`, false));
  list(top.completed_frameworks, 'completed_frameworks', true).forEach((f, i) => addFramework(f, `completed_frameworks[${i}]`, true));

  return { source: 'v0', url, fetchedAt, agents, frameworks, tasks, executors };
}

function agentOf(v: unknown, path: string): MesosAgent {
  const a = object(v, path);
  const pid = text(a.pid);
  const parsed = pid === null ? null : parsePid(pid);
  const attributes = attributesOfObject(a.attributes);
  const drain = isObject(a.drain_info) ? a.drain_info.state : undefined;
  return {
    id: requiredString(a.id, `${path}.id`),
    hostname: text(a.hostname) ?? '',
    ip: parsed?.ip ?? null,
    port: parsed?.port ?? int(a.port, 5051),
    pid,
    attributes,
    slaveType: attributes['slave-type'] ?? null,
    resources: resourcesOfSummary(a.resources),
    used: resourcesOfSummary(a.used_resources),
    registeredAt: timeOfSeconds(a.registered_time),
    reregisteredAt: timeOfSeconds(a.reregistered_time),
    active: bool(a.active),
    deactivated: bool(a.deactivated),
    drain: drain === 'DRAINING' || drain === 'DRAINED' ? drain : null,
    version: text(a.version),
    recovered: false,
  };
}

/** `recovered_slaves` hold only id, hostname, port, attributes (and domain). */
function recoveredAgentOf(v: unknown, path: string): MesosAgent {
  const a = object(v, path);
  const attributes = attributesOfObject(a.attributes);
  return {
    id: requiredString(a.id, `${path}.id`),
    hostname: text(a.hostname) ?? '',
    ip: null,
    port: int(a.port, 5051),
    pid: null,
    attributes,
    slaveType: attributes['slave-type'] ?? null,
    resources: noResources(),
    used: noResources(),
    registeredAt: null,
    reregisteredAt: null,
    active: false,
    deactivated: false,
    drain: null,
    version: null,
    recovered: true,
  };
}

/**
 * `GET /master/slaves` (`{slaves, recovered_slaves}`, the agent objects of `/master/state`):
 * a state of agents only, what `GET_AGENTS` is on v1.
 */
export function stateOfMasterSlaves(root: unknown, url: string, fetchedAt: number): MesosState {
  const top = object(root, 'the answer');
  const agents: MesosAgent[] = [];
  list(top.slaves, 'slaves').forEach((a, i) => agents.push(agentOf(a, `slaves[${i}]`)));
  list(top.recovered_slaves, 'recovered_slaves', true).forEach((a, i) => agents.push(recoveredAgentOf(a, `recovered_slaves[${i}]`)));
  return { source: 'v0', url, fetchedAt, agents, frameworks: [], tasks: [], executors: [] };
}

/**
 * `GET /master/tasks` (`{"tasks":[...]}`, the `/master/state` task shape over active,
 * unreachable and completed tasks): which list a task is in is not said, so it follows from the state,
 * as the master files them.
 */
export function tasksOfMasterTasks(root: unknown): MesosTask[] {
  const top = object(root, 'the answer');
  return list(top.tasks, 'tasks').map((v, i) => {
    const t = taskOf(v, `tasks[${i}]`, 'active');
    return { ...t, list: listOf(t.state) };
  });
}

function taskOf(v: unknown, path: string, which: MesosTask['list']): MesosTask {
  const t = object(v, path);
  const id = requiredString(t.id, `${path}.id`);
  const frameworkId = requiredString(t.framework_id, `${path}.framework_id`);
  const agentId = requiredString(t.slave_id, `${path}.slave_id`);
  // "" for a command-executor task.
  const executorId = text(t.executor_id) || null;
  return {
    id,
    name: text(t.name) ?? '',
    frameworkId,
    agentId,
    executorId,
    state: taskState(t.state),
    statuses: statusesOf(t.statuses),
    resources: resourcesOfSummary(t.resources),
    role: text(t.role),
    user: text(t.user),
    labels: labels(t.labels),
    list: which,
    sandbox: sandboxHint(id, agentId, frameworkId, executorId, containerIdOf(t.statuses)),
  };
}
