import type { Agent } from '../contract/agents.js';
import type { Overview } from '../contract/overview.js';
import { agentRecordOf } from '../mesos/records.js';
import type { EventChanges, LiveState } from '../mesos/events.js';
import type { MesosAgent, MesosResources, MesosState, MesosTask, MesosTaskState } from '../mesos/types.js';
import { itemsPerStep, runInSteps, runNow, type Steps } from '../model/steps.js';
import { Compactor } from './live-compact.js';
import { statusOfMesos, taskOfMesos } from './tasks.js';

/**
 * The real cluster's Mesos state as one model, indexed once and then kept current change by
 * change (SUBSCRIBE events, GET_AGENTS polls): tasks by id, active tasks by agent and by name
 * (Aurora names Mesos tasks after the job key), and each agent's used resources kept the way
 * the master keeps them (master.cpp `Slave::addTask`, `recoverResources`, `addExecutor`,
 * `removeExecutor`): the resources of its tasks that are neither terminal nor unreachable, plus
 * those of its executors. Nothing here walks the whole state after it is built.
 *
 * Executors have no event. One is added with the first live task that names it (its resources
 * those of the framework's executors seen so far: Aurora gives every Thermos executor the same
 * overhead) and goes with its last live task (Thermos exits with its task). What the model
 * cannot see (an executor that outlives its tasks, an operation) is the agent's `residual`: the
 * master's own figure minus the model's, taken where both describe the same moment: the
 * snapshot the model is built from, and GET_AGENTS answers during which no event touched the
 * agent, twice in a row with the same figure (`reconcile`).
 *
 * Sums are kept in thousandths (Mesos keeps scalars to 3 decimals), as integers: adding and
 * removing the same task a million times leaves no drift.
 */

/** Thousandths of cpus, MB of mem and disk, gpus. */
interface Usage {
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
}

const zero: Readonly<Usage> = Object.freeze({ cpus: 0, mem: 0, disk: 0, gpus: 0 });
const milli = (r: MesosResources | undefined): Usage =>
  r
    ? {
        cpus: Math.round(r.cpus * 1000),
        mem: Math.round(r.memMb * 1000),
        disk: Math.round(r.diskMb * 1000),
        gpus: Math.round(r.gpus * 1000),
      }
    : zero;
const add = (u: Usage, r: Readonly<Usage>, sign: 1 | -1) => {
  u.cpus += sign * r.cpus;
  u.mem += sign * r.mem;
  u.disk += sign * r.disk;
  u.gpus += sign * r.gpus;
};
const same = (a: Readonly<Usage>, b: Readonly<Usage>) => a.cpus === b.cpus && a.mem === b.mem && a.disk === b.disk && a.gpus === b.gpus;
const minus = (a: Readonly<Usage>, b: Readonly<Usage>): Usage => ({
  cpus: a.cpus - b.cpus,
  mem: a.mem - b.mem,
  disk: a.disk - b.disk,
  gpus: a.gpus - b.gpus,
});

/** The master counts these (not terminal, not unreachable). */
const holding: ReadonlySet<MesosTaskState> = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING']);
const holds = (t: MesosTask | undefined): t is MesosTask => t !== undefined && t.list === 'active' && holding.has(t.state);
const failedStates: ReadonlySet<MesosTaskState> = new Set(['TASK_FAILED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE']);

/** What the screens ask of the state (same shape as before the model: handlers and backends read it). */
export interface StateIndex {
  agentById: Map<string, MesosAgent>;
  /** An active attempt wins over a completed one of the same id. */
  taskById: Map<string, MesosTask>;
  /** Active tasks (staging to killing) per agent. */
  activeByAgent: Map<string, MesosTask[]>;
  /** Active tasks per Mesos task name: Aurora names its tasks after their job key. */
  activeByName: Map<string, MesosTask[]>;
  /** The Agents screen's rows, each rebuilt when its agent changes. */
  agents: Agent[];
}

/** What one batch of changes changed, in the console's terms (ids). */
export interface ModelChanges {
  /** Agents added, or whose used resources, task count or state changed. */
  agents: Set<string>;
  removedAgents: Set<string>;
  /** Tasks added or changed (or dropped: the master no longer lists them). */
  tasks: Set<string>;
}

export const noModelChanges = (): ModelChanges => ({ agents: new Set(), removedAgents: new Set(), tasks: new Set() });

interface Executor {
  frameworkId: string;
  r: Readonly<Usage>;
  /** Live tasks that name it. */
  tasks: number;
}

export interface LiveModel {
  /** The state the model describes: for a stream, the one its events keep changing in place. */
  readonly state: MesosState;
  readonly index: StateIndex;
  /** Applies what events changed in `state` since the last call. */
  apply(changes: EventChanges): ModelChanges;
  /**
   * Agents from a GET_AGENTS answer: their state (active, deactivated, drain), totals and the
   * master's used figure. `untouched(id)`: no event changed the agent while the answer was on
   * its way, so its figure and the model's describe the same moment.
   */
  reconcile(agents: readonly MesosAgent[], untouched: (agentId: string) => boolean): ModelChanges;
  /** The agent's work_dir became known (its `/state`): its rows and tasks' run directories use it. */
  setWorkDir(agentId: string, workDir: string): void;
  workDirOf(agentId: string): string | undefined;
  overview(): Overview;
  /**
   * From now on the model describes `live` (a LiveState, events.ts), whose events `apply` is
   * given: built from a copy of it (a big one is built in steps while events go on changing it),
   * then the changes since applied.
   */
  follow(live: Pick<LiveState, 'state' | 'agents' | 'tasks'>): void;
}

export interface ModelOptions {
  /** Where `state.agents` keeps each agent (a LiveState's `agents`); else the model keeps its own. */
  agentPositions?: Map<string, number>;
  /** Agents' work dirs already known (kept across models of the same cluster). */
  workDirs?: Map<string, string>;
}

export function buildModel(state: MesosState, options: ModelOptions = {}): LiveModel {
  return runNow(building(state, options));
}

/** The same, in steps (model/steps.ts): a big cluster's 100,000 tasks do not hold the main thread at once. */
export function buildModelInSteps(state: MesosState, options: ModelOptions = {}): Promise<LiveModel> {
  return runInSteps(building(state, options));
}

function* building(first: MesosState, options: ModelOptions): Steps<LiveModel> {
  let state = first;
  const agentById = new Map<string, MesosAgent>();
  for (const a of state.agents) agentById.set(a.id, a);
  const taskById = new Map<string, MesosTask>();
  const activeByAgent = new Map<string, MesosTask[]>();
  const activeByName = new Map<string, MesosTask[]>();
  const usage = new Map<string, Usage>();
  const residual = new Map<string, Usage>();
  /** Per agent: executor id → executor. */
  const executors = new Map<string, Map<string, Executor>>();
  /** The resources of each framework's executors, for the ones events add. */
  const template = new Map<string, Readonly<Usage>>();
  const stateCounts = new Map<string, number>();
  const failed = new Set<string>();
  const workDirs = options.workDirs ?? new Map<string, string>();
  /** Polls' figures per agent, for `reconcile`'s twice-in-a-row rule. */
  const polled = new Map<string, Usage>();

  const usageOf = (agentId: string) => {
    let u = usage.get(agentId);
    if (!u) usage.set(agentId, (u = { ...zero }));
    return u;
  };
  const push = (m: Map<string, MesosTask[]>, k: string, t: MesosTask) => {
    const l = m.get(k);
    if (l) l.push(t);
    else m.set(k, [t]);
  };
  const drop = (m: Map<string, MesosTask[]>, k: string, t: MesosTask) => {
    const l = m.get(k);
    if (!l) return;
    const i = l.indexOf(t);
    if (i < 0) return;
    l[i] = l[l.length - 1]!;
    l.pop();
    if (l.length === 0) m.delete(k);
  };
  const replace = (m: Map<string, MesosTask[]>, k: string, old: MesosTask, t: MesosTask) => {
    const l = m.get(k);
    const i = l ? l.indexOf(old) : -1;
    if (i >= 0) l![i] = t;
    else push(m, k, t);
  };
  const executorOf = (t: MesosTask, create: boolean): Executor | undefined => {
    if (t.executorId === null) return undefined; // a command task: the master knows no executor for it
    let on = executors.get(t.agentId);
    let e = on?.get(t.executorId);
    if (!e && create) {
      if (!on) executors.set(t.agentId, (on = new Map()));
      e = { frameworkId: t.frameworkId, r: template.get(t.frameworkId) ?? zero, tasks: 0 };
      on.set(t.executorId, e);
      add(usageOf(t.agentId), e.r, 1);
    }
    return e;
  };
  /** A task starts or stops holding resources on its agent (with its executor). */
  const hold = (t: MesosTask, sign: 1 | -1) => {
    add(usageOf(t.agentId), milli(t.resources), sign);
    const e = executorOf(t, sign === 1);
    if (!e) return;
    e.tasks += sign;
    if (e.tasks <= 0 && sign === -1) {
      executors.get(t.agentId)?.delete(t.executorId!);
      add(usageOf(t.agentId), e.r, -1);
    }
  };
  const count = (t: MesosTask, sign: 1 | -1) => {
    if (t.list === 'active') {
      const w = statusOfMesos(t.state);
      const n = (stateCounts.get(w) ?? 0) + sign;
      if (n === 0) stateCounts.delete(w);
      else stateCounts.set(w, n);
    } else if (failedStates.has(t.state)) {
      if (sign === 1) failed.add(t.id);
      else failed.delete(t.id);
    }
  };

  for (const e of state.executors) {
    let on = executors.get(e.agentId);
    if (!on) executors.set(e.agentId, (on = new Map()));
    const r = milli(e.resources);
    // One shared object per framework's overhead, not one per executor.
    const known = template.get(e.frameworkId);
    const shared = known && same(known, r) ? known : r;
    template.set(e.frameworkId, shared);
    on.set(e.id, { frameworkId: e.frameworkId, r: shared, tasks: 0 });
    add(usageOf(e.agentId), shared, 1);
  }
  const compactor = new Compactor();
  for (const a of state.agents) a.id = compactor.text(a.id);
  const tasks = state.tasks;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!;
    compactor.task(t);
    const seen = taskById.get(t.id);
    if (!seen || (seen.list !== 'active' && t.list === 'active')) {
      if (seen) count(seen, -1);
      taskById.set(t.id, t);
      count(t, 1);
    }
    if (holds(t)) {
      push(activeByAgent, t.agentId, t);
      push(activeByName, t.name, t);
      hold(t, 1);
    }
    if (i % itemsPerStep === itemsPerStep - 1) yield;
  }
  // What the master counts and the model does not (see above), as of the snapshot.
  for (const a of state.agents) {
    const r = minus(milli(a.used), usage.get(a.id) ?? zero);
    if (!same(r, zero)) residual.set(a.id, r);
  }

  const rowOf = (a: MesosAgent): Agent => {
    const u = usage.get(a.id) ?? zero;
    const r = residual.get(a.id) ?? zero;
    return {
      ...agentRecordOf(a, workDirs.get(a.id) ?? ''),
      used: { cpus: (u.cpus + r.cpus) / 1000, memMb: Math.round((u.mem + r.mem) / 1000), diskMb: Math.round((u.disk + r.disk) / 1000) },
      activeTasks: activeByAgent.get(a.id)?.length ?? 0,
    };
  };
  const rows: Agent[] = state.agents.map(rowOf);
  const rowAt = new Map<string, number>();
  rows.forEach((r, i) => rowAt.set(r.id, i));
  const index: StateIndex = { agentById, taskById, activeByAgent, activeByName, agents: rows };

  const putRow = (id: string) => {
    const a = agentById.get(id);
    if (!a) return;
    const row = rowOf(a);
    const i = rowAt.get(id);
    if (i === undefined) {
      rowAt.set(id, rows.length);
      rows.push(row);
    } else rows[i] = row;
  };
  const dropRow = (id: string) => {
    const i = rowAt.get(id);
    if (i === undefined) return;
    rowAt.delete(id);
    const last = rows.pop()!;
    if (i < rows.length) {
      rows[i] = last;
      rowAt.set(last.id, i);
    }
  };
  let overview: Overview | null = null;

  /** One task's new version (undefined: the master dropped it) in place of what the model had. */
  const taskChanged = (key: string, out: ModelChanges) => {
    const sep = key.indexOf('\u0000');
    const frameworkId = key.slice(0, sep);
    const id = key.slice(sep + 1);
    const at = liveTaskAt(key);
    const next = at === undefined ? undefined : state.tasks[at];
    const before = taskById.get(id);
    const old = before && before.frameworkId === frameworkId ? before : undefined;
    if (old === next) return;
    if (next) compactor.task(next);
    out.tasks.add(id);
    if (next && (!before || old || before.list !== 'active' || next.list === 'active')) {
      if (before) count(before, -1);
      taskById.set(id, next);
      count(next, 1);
    } else if (!next && old) {
      count(old, -1);
      taskById.delete(id);
    }
    const was = holds(old);
    const now = holds(next);
    if (was && now && (old.agentId !== next.agentId || old.name !== next.name || old.executorId !== next.executorId)) {
      // Re-added elsewhere (the same id launched again): out of where it was, into where it is.
      drop(activeByAgent, old.agentId, old);
      drop(activeByName, old.name, old);
      hold(old, -1);
      push(activeByAgent, next.agentId, next);
      push(activeByName, next.name, next);
      hold(next, 1);
      out.agents.add(old.agentId);
      out.agents.add(next.agentId);
    } else if (was && now) {
      replace(activeByAgent, next.agentId, old, next);
      replace(activeByName, next.name, old, next);
      if (!same(milli(old.resources), milli(next.resources))) {
        add(usageOf(old.agentId), milli(old.resources), -1);
        add(usageOf(next.agentId), milli(next.resources), 1);
        out.agents.add(next.agentId);
      }
    } else if (was) {
      drop(activeByAgent, old.agentId, old);
      drop(activeByName, old.name, old);
      hold(old, -1);
      out.agents.add(old.agentId);
    } else if (now) {
      push(activeByAgent, next.agentId, next);
      push(activeByName, next.name, next);
      hold(next, 1);
      out.agents.add(next.agentId);
    }
  };
  // Where events keep each task (a LiveState's key → position); set by `follow`.
  let liveTaskAt: (key: string) => number | undefined = () => undefined;
  let positions = options.agentPositions ?? new Map(state.agents.map((a, i) => [a.id, i] as const));

  const model: LiveModel = {
    get state() {
      return state;
    },
    index,
    follow(live) {
      state = live.state;
      positions = live.agents;
      liveTaskAt = (key) => live.tasks.get(key);
    },
    apply(changes) {
      const out = noModelChanges();
      for (const id of changes.removedAgents) {
        if (!agentById.delete(id)) continue;
        // Its tasks get their own updates (LOST, GONE); its executors go with it.
        executors.delete(id);
        usage.delete(id);
        residual.delete(id);
        polled.delete(id);
        dropRow(id);
        out.removedAgents.add(id);
      }
      for (const id of changes.agents) {
        const i = positions.get(id);
        const a = i === undefined ? undefined : state.agents[i];
        if (!a || a.id !== id) continue;
        agentById.set(id, a);
        // A re-registered agent starts from what its tasks hold.
        residual.delete(id);
        out.agents.add(id);
      }
      for (const key of changes.tasks) taskChanged(key, out);
      finish(out);
      return out;
    },
    reconcile(agents, untouched) {
      const out = noModelChanges();
      for (const fresh of agents) {
        const had = agentById.get(fresh.id);
        if (!had) continue;
        // Drains and deactivations have no event: they come from here.
        if (
          had.active !== fresh.active ||
          had.deactivated !== fresh.deactivated ||
          had.drain !== fresh.drain ||
          !same(milli(had.resources), milli(fresh.resources)) ||
          had.resources.ports !== fresh.resources.ports
        ) {
          const a = { ...had, active: fresh.active, deactivated: fresh.deactivated, drain: fresh.drain, resources: fresh.resources };
          agentById.set(a.id, a);
          const i = positions.get(a.id);
          if (i !== undefined && state.agents[i]?.id === a.id) state.agents[i] = a;
          out.agents.add(a.id);
        }
        const figure = milli(fresh.used);
        const before = polled.get(fresh.id);
        if (!untouched(fresh.id)) {
          polled.delete(fresh.id);
          continue;
        }
        polled.set(fresh.id, figure);
        if (!before || !same(before, figure)) continue;
        const r = minus(figure, usage.get(fresh.id) ?? zero);
        if (!same(r, residual.get(fresh.id) ?? zero)) {
          if (same(r, zero)) residual.delete(fresh.id);
          else residual.set(fresh.id, r);
          out.agents.add(fresh.id);
        }
      }
      finish(out);
      return out;
    },
    setWorkDir(agentId, workDir) {
      if (workDirs.get(agentId) === workDir) return;
      workDirs.set(agentId, workDir);
      putRow(agentId);
    },
    workDirOf: (agentId) => workDirs.get(agentId),
    overview() {
      overview ??= overviewOf(state.fetchedAt);
      return overview;
    },
  };
  const finish = (out: ModelChanges) => {
    for (const id of out.agents) putRow(id);
    if (out.agents.size + out.removedAgents.size + out.tasks.size > 0) overview = null;
  };

  const overviewOf = (asOf: number): Overview => {
    const byType = new Map<string, Overview['agentsByType'][number]>();
    for (const a of rows) {
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
    // Sums of thousandths: rounded back to 3 decimals.
    for (const row of byType.values()) row.cpus.used = Math.round(row.cpus.used * 1000) / 1000;
    const tasksByState: Record<string, number> = Object.fromEntries(stateCounts);
    // The master keeps the reason and message of each failure: the newest ten, newest first.
    const endedAt = (t: MesosTask) => t.statuses.at(-1)?.at?.ms ?? 0;
    const latestFailures = [...failed]
      .map((id) => taskById.get(id)!)
      .filter((t) => t !== undefined)
      .sort((a, b) => endedAt(b) - endedAt(a))
      .slice(0, 10)
      .map((t) => taskOfMesos(t, agentById.get(t.agentId), workDirs.get(t.agentId)));
    return { agentsByType: [...byType.values()], tasksByState, latestFailures, asOf };
  };
  return model;
}
