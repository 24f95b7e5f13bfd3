import { ShapeError, object, requiredId, type Json } from './shape.js';
import { agentOf, stateOfGetState } from './state-v1.js';
import { containerIdOf, listOf, statusesOf, taskState } from './task-parts.js';
import { itemsPerStep, runInSteps, runNow, type Steps } from '../model/steps.js';
import { quoteNanoseconds } from './time.js';
import type { MesosAgent, MesosFramework, MesosState, MesosTask } from './types.js';

/**
 * The master's event stream (v1 `SUBSCRIBE`, master.proto `Event`) applied to a state. The
 * state is kept with indexes (task, agent, framework → position), so one event costs O(1),
 * never a copy of 100,000 tasks. Objects are copied on write: an event replaces the task it
 * changes with a new object and never mutates one, so a `snapshotOf` handed out earlier (its
 * arrays are copies) stays as it was while later events arrive.
 *
 * Event shapes are master.proto's, not the operator docs' example (which puts `task_id` and
 * `agent_id` at the top of TASK_UPDATED): `task_updated {framework_id, status, state}`, the ids
 * inside `status`.
 */

export interface LiveState {
  state: MesosState;
  /** `<framework id>\0<task id>` (task ids are unique within a framework) → index in `state.tasks`. */
  tasks: Map<string, number>;
  agents: Map<string, number>;
  frameworks: Map<string, number>;
  /** From SUBSCRIBED; the master's default (15 s) until one names it. */
  heartbeatSeconds: number;
  /** When the last event that changed the state was applied (ms since the epoch). */
  changedAt: number;
  /** Events naming a task or agent the state does not hold (nothing to update). */
  missed: number;
  /** Completed tasks per framework, oldest first, for the cap (see `maxCompletedPerFramework`). */
  completed: Map<string, { keys: string[]; head: number; cap: number }>;
  maxCompletedPerFramework: number;
  /** Executors per agent, and removed agents whose executors `state.executors` still lists (see `settle`). */
  executorsOn: Map<string, number>;
  goneAgents: Set<string>;
  /** Where the event being applied notes what it changed (set by `applyEvent` for one call). */
  changes: EventChanges | null;
}

export interface LiveOptions {
  /**
   * Completed tasks kept per framework, as the master's `--max_completed_tasks_per_framework`
   * (default 1000): without it a stream that runs for days grows without bound. A framework
   * that SUBSCRIBED showed with more keeps that many (the master's flag is at least that).
   */
  maxCompletedPerFramework?: number;
}

export const defaultHeartbeatSeconds = 15;

export type EventType =
  | 'SUBSCRIBED'
  | 'TASK_ADDED'
  | 'TASK_UPDATED'
  | 'AGENT_ADDED'
  | 'AGENT_REMOVED'
  | 'FRAMEWORK_ADDED'
  | 'FRAMEWORK_UPDATED'
  | 'FRAMEWORK_REMOVED'
  | 'HEARTBEAT';

/**
 * What events changed, gathered between two deliveries (subscribe.ts `onLive`): task keys
 * (`<framework id>\0<task id>`, also of completed tasks dropped over the cap), agents added or
 * replaced, agents removed, and whether a framework changed. `all`: a SUBSCRIBED replaced the
 * whole state.
 */
export interface EventChanges {
  tasks: Set<string>;
  agents: Set<string>;
  removedAgents: Set<string>;
  frameworks: boolean;
  all: boolean;
}

export const noChanges = (): EventChanges => ({
  tasks: new Set(),
  agents: new Set(),
  removedAgents: new Set(),
  frameworks: false,
  all: false,
});

export interface Applied {
  /** The event's type as sent ("UNKNOWN" when it has none). */
  type: string;
  /** Whether the state changed (HEARTBEAT, unknown types and missed ids do not change it). */
  changed: boolean;
}

export const taskKey = (frameworkId: string, taskId: string) => `${frameworkId}\u0000${taskId}`;

/** A record's bytes as JSON, nanosecond times kept exact (time.ts). Throws SyntaxError. */
export function decodeEvent(record: Buffer): unknown {
  return JSON.parse(quoteNanoseconds(record).toString('utf8'));
}

/** Indexes `state` for events. The state's arrays are taken over (events change them). */
export function liveStateOf(state: MesosState, options: LiveOptions = {}): LiveState {
  return runNow(indexingForEvents(state, options));
}

/** The same, in steps (model/steps.ts): a big cluster's 100,000 tasks do not hold the main thread at once. */
export function liveStateInSteps(state: MesosState, options: LiveOptions = {}): Promise<LiveState> {
  return runInSteps(indexingForEvents(state, options));
}

function* indexingForEvents(state: MesosState, options: LiveOptions): Steps<LiveState> {
  const live: LiveState = {
    state,
    tasks: new Map(),
    agents: new Map(),
    frameworks: new Map(),
    heartbeatSeconds: defaultHeartbeatSeconds,
    changedAt: state.fetchedAt,
    missed: 0,
    completed: new Map(),
    maxCompletedPerFramework: options.maxCompletedPerFramework ?? 1000,
    executorsOn: new Map(),
    goneAgents: new Set(),
    changes: null,
  };
  for (const e of state.executors) live.executorsOn.set(e.agentId, (live.executorsOn.get(e.agentId) ?? 0) + 1);
  const tasks = state.tasks;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!;
    live.tasks.set(taskKey(t.frameworkId, t.id), i);
    if (t.list === 'completed') completedOf(live, t.frameworkId).keys.push(taskKey(t.frameworkId, t.id));
    if (i % itemsPerStep === itemsPerStep - 1) yield;
  }
  for (const q of live.completed.values()) q.cap = Math.max(q.cap, q.keys.length);
  state.agents.forEach((a, i) => live.agents.set(a.id, i));
  state.frameworks.forEach((f, i) => live.frameworks.set(f.id, i));
  return live;
}

/** The state as of now, safe to keep: later events change neither its arrays nor its objects. */
export function snapshotOf(live: LiveState): MesosState {
  settle(live);
  const s = live.state;
  return {
    ...s,
    fetchedAt: live.changedAt,
    agents: s.agents.slice(),
    frameworks: s.frameworks.slice(),
    tasks: s.tasks.slice(),
    executors: s.executors.slice(),
  };
}

/** The state a SUBSCRIBED event carries, and its heartbeat interval. Throws ShapeError. */
export function stateOfSubscribed(event: unknown, url: string, at: number): { state: MesosState; heartbeatSeconds: number } {
  const ev = object(event, 'the event');
  if (ev.type !== 'SUBSCRIBED') throw new ShapeError('type', `is ${JSON.stringify(ev.type) ?? 'missing'}, not "SUBSCRIBED"`);
  const sub = object(ev.subscribed, 'subscribed');
  const state = within('subscribed', () => stateOfGetState({ type: 'GET_STATE', get_state: sub.get_state ?? {} }, url, at));
  const hb = sub.heartbeat_interval_seconds;
  return { state, heartbeatSeconds: typeof hb === 'number' && hb > 0 && Number.isFinite(hb) ? hb : defaultHeartbeatSeconds };
}

/**
 * Applies one decoded event (`decodeEvent`) to `live`, in place. Throws ShapeError when a known
 * event lacks what master.proto requires of it; the state is then unchanged.
 */
export function applyEvent(live: LiveState, event: unknown, at = Date.now(), url = live.state.url, changes?: EventChanges): Applied {
  const ev = object(event, 'the event');
  const type = typeof ev.type === 'string' ? ev.type : 'UNKNOWN';
  const sink = live.changes;
  live.changes = changes ?? null;
  let changed: boolean;
  try {
    changed = apply(live, type, ev, at, url);
  } finally {
    live.changes = sink;
  }
  if (changed) live.changedAt = at;
  return { type, changed };
}

function apply(live: LiveState, type: string, ev: Json, at: number, url: string): boolean {
  switch (type) {
    case 'SUBSCRIBED': {
      const { state, heartbeatSeconds } = stateOfSubscribed(ev, url, at);
      const changes = live.changes;
      Object.assign(live, liveStateOf(state, { maxCompletedPerFramework: live.maxCompletedPerFramework }), { heartbeatSeconds, changes });
      if (changes) changes.all = true;
      return true;
    }
    case 'TASK_ADDED':
      return taskAdded(live, object(object(ev.task_added, 'task_added').task, 'task_added.task'), at);
    case 'TASK_UPDATED':
      return taskUpdated(live, object(ev.task_updated, 'task_updated'));
    case 'AGENT_ADDED': {
      const agent = agentOf(object(ev.agent_added, 'agent_added').agent, 'agent_added.agent');
      put(live.state.agents, live.agents, agent.id, agent);
      live.changes?.agents.add(agent.id);
      live.changes?.removedAgents.delete(agent.id);
      return true;
    }
    case 'AGENT_REMOVED':
      return agentRemoved(live, requiredId(object(ev.agent_removed, 'agent_removed').agent_id, 'agent_removed.agent_id'));
    case 'FRAMEWORK_ADDED':
    case 'FRAMEWORK_UPDATED': {
      const key = type === 'FRAMEWORK_ADDED' ? 'framework_added' : 'framework_updated';
      const f = frameworkOf(object(object(ev[key], key).framework, `${key}.framework`), key, at);
      put(live.state.frameworks, live.frameworks, f.id, f);
      if (live.changes) live.changes.frameworks = true;
      return true;
    }
    case 'FRAMEWORK_REMOVED': {
      const info = object(object(ev.framework_removed, 'framework_removed').framework_info, 'framework_removed.framework_info');
      const id = requiredId(info.id, 'framework_removed.framework_info.id');
      const i = live.frameworks.get(id);
      if (i === undefined) return miss(live);
      // Torn down: the master moves it to completed_frameworks.
      live.state.frameworks[i] = { ...live.state.frameworks[i]!, completed: true, active: false, connected: false };
      if (live.changes) live.changes.frameworks = true;
      return true;
    }
    default:
      // HEARTBEAT, and types a newer master may send: nothing to change.
      return false;
  }
}

function miss(live: LiveState): false {
  live.missed++;
  return false;
}

/** Replaces the item with this id, or appends it. */
function put<T>(items: T[], index: Map<string, number>, id: string, item: T): void {
  const i = index.get(id);
  if (i === undefined) {
    index.set(id, items.length);
    items.push(item);
  } else items[i] = item;
}

/** Removes in O(1) by moving the last item into the hole (the order of a state means nothing). */
function removeAt<T>(items: T[], index: Map<string, number>, i: number, keyOf: (item: T) => string): void {
  const last = items.pop()!;
  if (i < items.length) {
    items[i] = last;
    index.set(keyOf(last), i);
  }
}

/** Mapped by state-v1's own mapper, so a task from an event is exactly one from GET_STATE. */
function taskAdded(live: LiveState, task: Json, at: number): boolean {
  const mapped = within('task_added', () =>
    stateOfGetState({ type: 'GET_STATE', get_state: { get_tasks: { tasks: [task] } } }, live.state.url, at),
  ).tasks[0]!;
  const t: MesosTask = { ...mapped, list: listOf(mapped.state) };
  const key = taskKey(t.frameworkId, t.id);
  const before = live.tasks.get(key);
  const wasCompleted = before !== undefined && live.state.tasks[before]!.list === 'completed';
  put(live.state.tasks, live.tasks, key, t);
  live.changes?.tasks.add(key);
  if (t.list === 'completed' && !wasCompleted) completedNow(live, t.frameworkId, key);
  return true;
}

function taskUpdated(live: LiveState, u: Json): boolean {
  const frameworkId = requiredId(u.framework_id, 'task_updated.framework_id');
  const status = object(u.status, 'task_updated.status');
  const taskId = requiredId(status.task_id, 'task_updated.status.task_id');
  const key = taskKey(frameworkId, taskId);
  const i = live.tasks.get(key);
  if (i === undefined) return miss(live);
  const old = live.state.tasks[i]!;
  const s = statusesOf([status])[0]!;
  // `state` is the agent's latest; `status` the update the scheduler acknowledged last.
  const state = typeof u.state === 'string' ? taskState(u.state) : s.state;
  // As the master keeps them: one status per consecutive distinct state, a repeat replaces the last.
  const statuses =
    old.statuses.length > 0 && old.statuses[old.statuses.length - 1]!.state === s.state ? old.statuses.slice(0, -1) : old.statuses.slice();
  statuses.push(s);
  const containerId = containerIdOf([status]);
  const sandbox = containerId !== null && containerId !== old.sandbox.containerId ? { ...old.sandbox, containerId } : old.sandbox;
  const list = listOf(state);
  live.state.tasks[i] = { ...old, state, statuses, sandbox, list };
  live.changes?.tasks.add(key);
  if (list === 'completed' && old.list !== 'completed') completedNow(live, frameworkId, key);
  return true;
}

function agentRemoved(live: LiveState, id: string): boolean {
  const i = live.agents.get(id);
  if (i === undefined) return miss(live);
  live.agents.delete(id);
  removeAt(live.state.agents, live.agents, i, (a: MesosAgent) => a.id);
  live.changes?.removedAgents.add(id);
  live.changes?.agents.delete(id);
  // The master forgets the agent's executors with it (its tasks get their own TASK_UPDATEs).
  // Dropping them is a pass over every executor, so it waits for `settle`: once per delivery,
  // not once per removed agent.
  if (live.executorsOn.delete(id)) live.goneAgents.add(id);
  return true;
}

/** Drops the executors of agents removed since the last call. */
export function settle(live: LiveState): void {
  if (live.goneAgents.size === 0) return;
  const ex = live.state.executors;
  let n = 0;
  for (let k = 0; k < ex.length; k++) if (!live.goneAgents.has(ex[k]!.agentId)) ex[n++] = ex[k]!;
  ex.length = n;
  live.goneAgents.clear();
}

function completedOf(live: LiveState, frameworkId: string) {
  let q = live.completed.get(frameworkId);
  if (q === undefined) {
    q = { keys: [], head: 0, cap: live.maxCompletedPerFramework };
    live.completed.set(frameworkId, q);
  }
  return q;
}

/** A task of the framework just completed: drop the oldest completed ones over the cap. */
function completedNow(live: LiveState, frameworkId: string, key: string): void {
  const q = completedOf(live, frameworkId);
  q.keys.push(key);
  while (q.keys.length - q.head > q.cap) {
    const oldest = q.keys[q.head++]!;
    const i = live.tasks.get(oldest);
    // It may have come back since (TASK_LOST → TASK_RUNNING) or been re-added.
    if (i === undefined || live.state.tasks[i]!.list !== 'completed' || oldest === key) continue;
    live.tasks.delete(oldest);
    removeAt(live.state.tasks, live.tasks, i, (t: MesosTask) => taskKey(t.frameworkId, t.id));
    live.changes?.tasks.add(oldest);
  }
  if (q.head > 1024 && q.head * 2 > q.keys.length) {
    q.keys = q.keys.slice(q.head);
    q.head = 0;
  }
}

function frameworkOf(framework: Json, key: string, at: number): MesosFramework {
  return within(key, () => stateOfGetState({ type: 'GET_STATE', get_state: { get_frameworks: { frameworks: [framework] } } }, '', at))
    .frameworks[0]!;
}

/** Runs a GET_STATE mapper on part of an event, naming the event's field in a ShapeError. */
function within<T>(field: string, map: () => T): T {
  try {
    return map();
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`${field}: ${e.path}`, e.message.slice(e.path.length + 1));
    throw e;
  }
}
