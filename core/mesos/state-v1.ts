import { parsePid } from './pid.js';
import { attributesOfList, resourcesOfList } from './resources.js';
import { bool, int, isObject, labels, list, object, optionalId, requiredId, ShapeError, text, type Json } from './shape.js';
import { containerIdOf, sandboxHint, statusesOf, taskState } from './task-parts.js';
import { timeOfTimeInfo } from './time.js';
import type { MesosAgent, MesosExecutor, MesosFramework, MesosState, MesosTask } from './types.js';

/**
 * The v1 operator API's `GET_STATE` answer (master.proto `Response.GetState`):
 * `{"type": "GET_STATE", "get_state": {get_tasks, get_executors, get_frameworks, get_agents}}`.
 * Takes the value JSON.parse made of the text after quoteNanoseconds (time.ts).
 * Throws ShapeError naming the first field that is not what the proto says.
 */
export function stateOfGetState(root: unknown, url: string, fetchedAt: number): MesosState {
  const top = object(root, 'the answer');
  if (top.type !== 'GET_STATE') throw new ShapeError('type', `is ${JSON.stringify(top.type) ?? 'missing'}, not "GET_STATE"`);
  const gs = object(top.get_state, 'get_state');
  // Each part is optional in the proto; a master sends all four, maybe with empty lists.
  const ga = isObject(gs.get_agents) ? gs.get_agents : {};
  const gf = isObject(gs.get_frameworks) ? gs.get_frameworks : {};
  const ge = isObject(gs.get_executors) ? gs.get_executors : {};
  const gt = isObject(gs.get_tasks) ? gs.get_tasks : {};

  const agents: MesosAgent[] = [];
  list(ga.agents, 'get_state.get_agents.agents', true).forEach((a, i) => agents.push(agentOf(a, `get_state.get_agents.agents[${i}]`)));
  list(ga.recovered_agents, 'get_state.get_agents.recovered_agents', true).forEach((a, i) =>
    agents.push(recoveredAgentOf(a, `get_state.get_agents.recovered_agents[${i}]`)),
  );

  const frameworks: MesosFramework[] = [];
  list(gf.frameworks, 'get_state.get_frameworks.frameworks', true).forEach((f, i) =>
    frameworks.push(frameworkOf(f, `get_state.get_frameworks.frameworks[${i}]`, false)),
  );
  list(gf.completed_frameworks, 'get_state.get_frameworks.completed_frameworks', true).forEach((f, i) =>
    frameworks.push(frameworkOf(f, `get_state.get_frameworks.completed_frameworks[${i}]`, true)),
  );

  const executors: MesosExecutor[] = [];
  list(ge.executors, 'get_state.get_executors.executors', true).forEach((e, i) =>
    executors.push(executorOf(e, `get_state.get_executors.executors[${i}]`)),
  );

  const tasks: MesosTask[] = [];
  const addTasks = (key: string, which: MesosTask['list']) => {
    const items = list(gt[key], `get_state.get_tasks.${key}`, true);
    for (let i = 0; i < items.length; i++) tasks.push(taskOf(items[i], `get_state.get_tasks.${key}[${i}]`, which));
  };
  addTasks('pending_tasks', 'active');
  addTasks('tasks', 'active');
  addTasks('unreachable_tasks', 'unreachable');
  addTasks('completed_tasks', 'completed');

  return { source: 'v1', url, fetchedAt, agents, frameworks, tasks, executors };
}

/**
 * The v1 `GET_AGENTS` answer (`{"type": "GET_AGENTS", "get_agents": {agents, recovered_agents}}`):
 * a state of agents only, small next to GET_STATE (no tasks), so the Agents screen of a big
 * cluster shows while the full state is still on its way.
 */
export function stateOfGetAgents(root: unknown, url: string, fetchedAt: number): MesosState {
  const top = object(root, 'the answer');
  if (top.type !== 'GET_AGENTS') throw new ShapeError('type', `is ${JSON.stringify(top.type) ?? 'missing'}, not "GET_AGENTS"`);
  const ga = object(top.get_agents, 'get_agents');
  const agents: MesosAgent[] = [];
  list(ga.agents, 'get_agents.agents', true).forEach((a, i) => agents.push(agentOf(a, `get_agents.agents[${i}]`)));
  list(ga.recovered_agents, 'get_agents.recovered_agents', true).forEach((a, i) =>
    agents.push(recoveredAgentOf(a, `get_agents.recovered_agents[${i}]`)),
  );
  return { source: 'v1', url, fetchedAt, agents, frameworks: [], tasks: [], executors: [] };
}

export function agentOf(v: unknown, path: string): MesosAgent {
  const a = object(v, path);
  const info = object(a.agent_info, `${path}.agent_info`);
  const pid = text(a.pid);
  const parsed = pid === null ? null : parsePid(pid);
  const attributes = attributesOfList(info.attributes);
  const drain = isObject(a.drain_info) ? a.drain_info.state : undefined;
  return {
    id: requiredId(info.id, `${path}.agent_info.id`),
    hostname: text(info.hostname) ?? '',
    ip: parsed?.ip ?? null,
    port: parsed?.port ?? int(info.port, 5051),
    pid,
    attributes,
    slaveType: attributes['slave-type'] ?? null,
    resources: resourcesOfList(a.total_resources ?? info.resources),
    used: resourcesOfList(a.allocated_resources),
    registeredAt: timeOfTimeInfo(a.registered_time),
    reregisteredAt: timeOfTimeInfo(a.reregistered_time),
    active: bool(a.active),
    deactivated: bool(a.deactivated),
    drain: drain === 'DRAINING' || drain === 'DRAINED' ? drain : null,
    version: text(a.version),
    recovered: false,
  };
}

/** `recovered_agents` are bare AgentInfo messages. */
function recoveredAgentOf(v: unknown, path: string): MesosAgent {
  const info = object(v, path);
  const attributes = attributesOfList(info.attributes);
  const resources = resourcesOfList(info.resources);
  return {
    id: requiredId(info.id, `${path}.id`),
    hostname: text(info.hostname) ?? '',
    ip: null,
    port: int(info.port, 5051),
    pid: null,
    attributes,
    slaveType: attributes['slave-type'] ?? null,
    resources,
    used: resourcesOfList(undefined),
    registeredAt: null,
    reregisteredAt: null,
    active: false,
    deactivated: false,
    drain: null,
    version: null,
    recovered: true,
  };
}

function frameworkOf(v: unknown, path: string, completed: boolean): MesosFramework {
  const f = object(v, path);
  const info = object(f.framework_info, `${path}.framework_info`);
  return {
    id: requiredId(info.id, `${path}.framework_info.id`),
    name: text(info.name) ?? '',
    role: roleOf(info),
    user: text(info.user) ?? '',
    principal: text(info.principal),
    hostname: text(info.hostname),
    webuiUrl: text(info.webui_url),
    active: bool(f.active),
    connected: bool(f.connected),
    recovered: bool(f.recovered),
    completed,
    registeredAt: timeOfTimeInfo(f.registered_time),
  };
}

export function roleOf(info: Json): string {
  if (Array.isArray(info.roles) && info.roles.length > 0) return info.roles.filter((r) => typeof r === 'string').join(', ');
  return text(info.role) ?? '*';
}

function executorOf(v: unknown, path: string): MesosExecutor {
  const e = object(v, path);
  const info = object(e.executor_info, `${path}.executor_info`);
  return {
    id: requiredId(info.executor_id, `${path}.executor_info.executor_id`),
    frameworkId: requiredId(info.framework_id, `${path}.executor_info.framework_id`),
    agentId: requiredId(e.agent_id, `${path}.agent_id`),
    name: text(info.name),
    type: text(info.type),
    resources: resourcesOfList(info.resources),
  };
}

function taskOf(v: unknown, path: string, which: MesosTask['list']): MesosTask {
  const t = object(v, path);
  const id = requiredId(t.task_id, `${path}.task_id`);
  const frameworkId = requiredId(t.framework_id, `${path}.framework_id`);
  const agentId = requiredId(t.agent_id, `${path}.agent_id`);
  const executorId = optionalId(t.executor_id);
  return {
    id,
    name: text(t.name) ?? '',
    frameworkId,
    agentId,
    executorId,
    state: taskState(t.state),
    statuses: statusesOf(t.statuses),
    resources: resourcesOfList(t.resources),
    role: allocationRole(t.resources),
    user: text(t.user),
    labels: labels(t.labels),
    list: which,
    sandbox: sandboxHint(id, agentId, frameworkId, executorId, containerIdOf(t.statuses)),
  };
}

/** v1 tasks have no `role`; the role they were allocated under is on their resources. */
function allocationRole(resources: unknown): string | null {
  if (!Array.isArray(resources)) return null;
  for (const r of resources) {
    if (isObject(r) && isObject(r.allocation_info) && typeof r.allocation_info.role === 'string') return r.allocation_info.role;
  }
  return null;
}
