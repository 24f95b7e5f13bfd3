/**
 * Placement of pending task groups on hosts (shared/reference/aurora.md §3; performance.md C1).
 *
 * The result is exactly first fit: groups in the given order, each task on the first host in
 * host order that passes Aurora's filter, consuming its resources and counting towards the job's
 * limit constraints for the tasks after it. So it places the same tasks on the same hosts as a
 * naive first fit that scans every host for every task, and never fewer.
 *
 * It gets there without the rescans, because within one call nothing a host fails can heal:
 * free resources only shrink and a job's per-attribute task counts only grow. So
 *  - the static checks (dedicated, maintenance, value constraints, limit attribute present) run
 *    once per distinct constraint set, giving each group a candidate list;
 *  - each group keeps a cursor into its list; a host the cursor has passed failed this group
 *    and would fail it again, so no later task of the group looks at it. Groups asking the same
 *    of the same hosts, without limits, share one cursor.
 * That makes a call about O(hosts × distinct requests + tasks) instead of O(hosts × tasks).
 *
 * Unlike Aurora, which matches at most one task per offer per round, a host takes as many tasks
 * as fit: our hosts are free resources we track, not offers that come back later.
 *
 * Pending reasons are Aurora's NearestFit over the hosts as the call leaves them.
 */
import type { Constraint, Resources } from '../model/job.js';
import {
  buildHostIndex,
  compileConstraints,
  ownValue,
  staticCandidates,
  toMilli,
  type AttributeColumn,
  type HostIndex,
  type PlacementHost,
} from './host-index.js';
import { nearestFit, noAgentsReason, pendingReason, type CompiledRequest, type Veto } from './vetoes.js';

export type { FreeResources, MaintenanceMode, PlacementHost } from './host-index.js';
export type { Veto, VetoType } from './vetoes.js';
export { noAgentsReason, pendingReason, pendingReasonSeparator, resourceRanges, vetoScores } from './vetoes.js';

/** A job's active tasks per attribute name, then per value (Aurora's AttributeAggregate). */
export type AttributeCounts = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** Pending tasks of one job with one config (Aurora's TaskGroup). */
export interface PlacementGroup {
  /** Identifies the group in the result (e.g. job key + config hash). */
  key: string;
  /** `role/environment/name`. Limit constraints count across all groups of one job. */
  jobKey: string;
  taskIds: readonly string[];
  /** Per task, as configured; the executor overhead is added here. */
  resources: Resources;
  /** Named ports per task. */
  ports: number;
  constraints: readonly Constraint[];
  /**
   * The job's active tasks before this call. Groups of one job carry the same counts; the
   * first group of a job is the one read.
   */
  activeCounts: AttributeCounts;
}

export interface PlacementOptions {
  /**
   * Shuffles the host order first, like Aurora's default RANDOM offer order, which spreads
   * tasks instead of filling the first hosts. Without it hosts are tried in the given order.
   */
  random?: () => number;
  /** Added to every task's request. Defaults to Aurora's Thermos executor overhead. */
  executorOverhead?: Resources;
}

/** -thermos_executor_cpu and -thermos_executor_ram (configuration/executor/ExecutorModule.java). */
export const executorOverhead: Readonly<Resources> = { cpus: 0.25, ramMb: 128, diskMb: 0 };

export interface PendingGroup {
  key: string;
  jobKey: string;
  /** The group's tasks that were not placed, in the given order. */
  taskIds: string[];
  /** The nearest fit: the veto set of the least-bad host; empty when there are no hosts. */
  vetoes: Veto[];
  /** The vetoes' reasons joined as Aurora's getPendingReason does, or noAgentsReason. */
  reason: string;
}

export interface PlacementResult {
  /** taskId → host id, in placement order. */
  assignments: Map<string, string>;
  /** One entry per group with tasks left unplaced, in group order. */
  pending: PendingGroup[];
}

export function placeTasks(
  hosts: readonly PlacementHost[],
  groups: readonly PlacementGroup[],
  options: PlacementOptions = {},
): PlacementResult {
  const assignments = new Map<string, string>();
  const pending: PendingGroup[] = [];
  if (hosts.length === 0) {
    for (const g of groups) {
      if (g.taskIds.length > 0) pending.push({ key: g.key, jobKey: g.jobKey, taskIds: [...g.taskIds], vetoes: [], reason: noAgentsReason });
    }
    return { assignments, pending };
  }

  const index = buildHostIndex(options.random ? shuffled(hosts, options.random) : hosts);
  const overhead = options.executorOverhead ?? executorOverhead;
  const jobs = new JobCounts(index, groups);
  const candidatesByKey = new Map<string, Int32Array>();
  // Groups without limit constraints that ask for the same thing of the same hosts fail the
  // same hosts, so they share a cursor and a nearest fit. Limits depend on the job: not shared.
  const cursorsByShape = new Map<string, Cursor>();
  const unplaced: { g: PlacementGroup; candidates: Int32Array; req: CompiledRequest; placed: number; shape: string | null }[] = [];

  for (const g of groups) {
    if (g.taskIds.length === 0) continue;
    const constraints = compileConstraints(index, g.constraints);
    let candidates = candidatesByKey.get(constraints.staticKey);
    if (!candidates) candidatesByKey.set(constraints.staticKey, (candidates = staticCandidates(index, constraints)));
    const req: CompiledRequest = {
      cpu: need(g.resources.cpus, overhead.cpus),
      ram: need(g.resources.ramMb, overhead.ramMb),
      disk: need(g.resources.diskMb, overhead.diskMb),
      ports: Number.isNaN(g.ports) ? Infinity : g.ports,
      constraints,
      limitCounts: constraints.limits.map((l) => jobs.counts(g.jobKey, l.name)),
    };
    const shape = constraints.limits.length === 0 ? `${req.cpu},${req.ram},${req.disk},${req.ports}|${constraints.staticKey}` : null;
    let cursor = shape === null ? undefined : cursorsByShape.get(shape);
    if (!cursor) {
      cursor = { at: 0 };
      if (shape !== null) cursorsByShape.set(shape, cursor);
    }
    const placed = placeGroup(index, candidates, req, cursor, g.taskIds, jobs.tracked(g.jobKey), assignments);
    if (placed < g.taskIds.length) unplaced.push({ g, candidates, req, placed, shape });
  }
  // After every group has run, so a reason describes the hosts the pending tasks will next see.
  const fitsByShape = new Map<string, Veto[]>();
  for (const { g, candidates, req, placed, shape } of unplaced) {
    let vetoes = shape === null ? undefined : fitsByShape.get(shape);
    if (!vetoes) {
      vetoes = nearestFit(index, candidates, req);
      if (shape !== null) fitsByShape.set(shape, vetoes);
    }
    pending.push({ key: g.key, jobKey: g.jobKey, taskIds: g.taskIds.slice(placed), vetoes: [...vetoes], reason: pendingReason(vetoes) });
  }
  return { assignments, pending };
}

/**
 * A task's request in thousandths. A NaN (a spec that slipped past validation) asks for
 * everything: it would otherwise pass every `<` check and poison the host it lands on.
 */
function need(amount: number, overhead: number): number {
  return Number.isNaN(amount) ? Infinity : toMilli(amount) + toMilli(overhead);
}

/** A position in a candidate list; every host before it fails the requests that use it. */
interface Cursor {
  at: number;
}

/**
 * First fit for one group's tasks, in order, from the cursor on; returns how many were placed
 * (always a prefix: once no host fits a task, none fits its identical successors).
 */
function placeGroup(
  index: HostIndex,
  candidates: Int32Array,
  req: CompiledRequest,
  cursor: Cursor,
  taskIds: readonly string[],
  tracked: readonly TrackedCounts[],
  assignments: Map<string, string>,
): number {
  const { cpu, ram, disk, ports, hosts } = index;
  const { cpu: rc, ram: rr, disk: rd, ports: rp, limitCounts } = req;
  const limits = req.constraints.limits;
  const hasLimits = limits.length > 0;
  const end = candidates.length;
  let c = cursor.at;
  let t = 0;
  for (; t < taskIds.length; t++) {
    let h = -1;
    for (; c < end; c++) {
      const x = candidates[c]!;
      if (cpu[x]! < rc || ram[x]! < rr || disk[x]! < rd || ports[x]! < rp) continue;
      if (hasLimits && !limitsHold(limits, limitCounts, x)) continue;
      h = x;
      break;
    }
    if (h < 0) break;
    cpu[h] = cpu[h]! - rc;
    ram[h] = ram[h]! - rr;
    disk[h] = disk[h]! - rd;
    ports[h] = ports[h]! - rp;
    for (let i = 0; i < tracked.length; i++) {
      const { valueIds, counts } = tracked[i]!;
      const v = valueIds[h]!;
      if (v >= 0) counts[v] = counts[v]! + 1;
    }
    assignments.set(taskIds[t]!, hosts[h]!.id);
  }
  cursor.at = c;
  return t;
}

function limitsHold(limits: CompiledRequest['constraints']['limits'], counts: Int32Array[], h: number): boolean {
  for (let i = 0; i < limits.length; i++) {
    const l = limits[i]!;
    // Candidates carry every limit attribute, so the id is >= 0.
    if (counts[i]![l.column.valueIds[h]!]! >= l.limit) return false;
  }
  return true;
}

interface TrackedCounts {
  valueIds: Int32Array;
  counts: Int32Array;
}

/**
 * Per job, a count per value of every attribute some group of the job limits, seeded from the
 * job's active tasks. Every task placed for the job bumps all of them, whichever group it is
 * from, because a limit counts the job's tasks, not one config's.
 */
class JobCounts {
  private readonly byJob = new Map<string, Map<string, TrackedCounts>>();

  constructor(index: HostIndex, groups: readonly PlacementGroup[]) {
    const seed = new Map<string, AttributeCounts>();
    for (const g of groups) if (!seed.has(g.jobKey)) seed.set(g.jobKey, g.activeCounts);
    for (const g of groups) {
      for (const c of g.constraints) {
        if (c.kind !== 'limit') continue;
        let attrs = this.byJob.get(g.jobKey);
        if (!attrs) this.byJob.set(g.jobKey, (attrs = new Map()));
        if (attrs.has(c.name)) continue;
        const column = index.column(c.name);
        attrs.set(c.name, { valueIds: column.valueIds, counts: seedCounts(column, ownValue(seed.get(g.jobKey)!, c.name)) });
      }
    }
  }

  counts(jobKey: string, attr: string): Int32Array {
    return this.byJob.get(jobKey)!.get(attr)!.counts;
  }

  tracked(jobKey: string): TrackedCounts[] {
    const attrs = this.byJob.get(jobKey);
    return attrs ? [...attrs.values()] : [];
  }
}

function seedCounts(column: AttributeColumn, active: Readonly<Record<string, number>> | undefined): Int32Array {
  const counts = new Int32Array(column.ids.size);
  if (active) {
    for (const [value, n] of Object.entries(active)) {
      // A value no host carries cannot block any host, so it is dropped.
      const id = column.ids.get(value);
      if (id !== undefined) counts[id] = n;
    }
  }
  return counts;
}

/** Fisher–Yates with the caller's random source, so a seed gives the same order every time. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}
