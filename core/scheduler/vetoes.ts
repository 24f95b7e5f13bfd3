/**
 * Why a task does not fit a host, in Aurora's words and scores (filter/SchedulingFilterImpl.java,
 * SchedulingFilter.Veto, metadata/NearestFit.java; shared/reference/aurora.md §3.3), so a pending
 * reason reads the same for the embedded cluster and a real Aurora.
 *
 * Checks run from the strongest veto to the weakest and stop at the first group that vetoes:
 * dedicated host, maintenance, constraints (value constraints first, first failure only), then
 * one veto per short resource.
 */
import type { CompiledConstraints, HostIndex } from './host-index.js';
import { valueConstraintHolds } from './host-index.js';

export type VetoType = 'DEDICATED' | 'MAINTENANCE' | 'CONSTRAINT' | 'LIMIT' | 'RESOURCES';

export interface Veto {
  type: VetoType;
  reason: string;
  /** Only for ranking: NearestFit keeps the veto set with the lowest total. */
  score: number;
}

export const vetoScores = { dedicated: 1e6, maintenance: 1e5, constraint: 1e4, limit: 1e4, maxResource: 1000 } as const;

/** The resource scaling ranges of resources/ResourceType.java, in the request's units. */
export const resourceRanges = { cpus: 16, ramMb: 24 * 1024, diskMb: 450 * 1024, ports: 1000 } as const;

/** Aurora joins the nearest fit's reasons with a bare comma (ReadOnlySchedulerImpl.getPendingReason). */
export const pendingReasonSeparator = ',';

/** Our own reason for a cluster without agents, where Aurora would have no veto to report. */
export const noAgentsReason = 'No agents';

export function pendingReason(vetoes: readonly Veto[]): string {
  return vetoes.map((v) => v.reason).join(pendingReasonSeparator);
}

/** What one task of a group needs, resolved against a HostIndex. */
export interface CompiledRequest {
  /** Thousandths of a cpu, MB and MB (executor overhead included); ports as a count. */
  cpu: number;
  ram: number;
  disk: number;
  ports: number;
  constraints: CompiledConstraints;
  /** Per limit constraint, in order: the job's active tasks per value id of its attribute. */
  limitCounts: Int32Array[];
}

/**
 * Aurora's score for a short resource: min(1000, (int)(1000·deficit) / range) with integer
 * division. `deficitMilli` is 1000·deficit in the range's unit, which is how we store scalars.
 */
function resourceScore(deficitMilli: number, range: number): number {
  return Math.min(vetoScores.maxResource, Math.floor(Math.floor(deficitMilli) / range));
}

const dedicatedVeto: Veto = { type: 'DEDICATED', reason: 'Host is dedicated', score: vetoScores.dedicated };
const maintenanceVetoes: readonly Veto[] = [
  { type: 'MAINTENANCE', reason: 'Host draining for maintenance', score: vetoScores.maintenance },
  { type: 'MAINTENANCE', reason: 'Host drained for maintenance', score: vetoScores.maintenance },
];

/** The one constraint veto for host h, if any. */
function constraintVeto(h: number, req: CompiledRequest): Veto | null {
  const cc = req.constraints;
  for (const v of cc.values) {
    if (!valueConstraintHolds(v, h))
      return { type: 'CONSTRAINT', reason: `Constraint not satisfied: ${v.name}`, score: vetoScores.constraint };
  }
  for (let i = 0; i < cc.limits.length; i++) {
    const l = cc.limits[i]!;
    const id = l.column.valueIds[h]!;
    if (id < 0) return { type: 'CONSTRAINT', reason: `Constraint not satisfied: ${l.name}`, score: vetoScores.constraint };
    if (req.limitCounts[i]![id]! >= l.limit) return { type: 'LIMIT', reason: `Limit not satisfied: ${l.name}`, score: vetoScores.limit };
  }
  return null;
}

function constraintsHold(h: number, req: CompiledRequest): boolean {
  const cc = req.constraints;
  for (const v of cc.values) if (!valueConstraintHolds(v, h)) return false;
  for (let i = 0; i < cc.limits.length; i++) {
    const id = cc.limits[i]!.column.valueIds[h]!;
    if (id < 0 || req.limitCounts[i]![id]! >= cc.limits[i]!.limit) return false;
  }
  return true;
}

/** Every veto host h raises against one task of the request; empty when it fits. */
export function vetoesAt(index: HostIndex, h: number, req: CompiledRequest): Veto[] {
  if (index.dedicated[h] === 1 && !req.constraints.dedicated) return [dedicatedVeto];
  const mode = index.maintenance[h]!;
  if (mode !== 0) return [maintenanceVetoes[mode - 1]!];
  const constraint = constraintVeto(h, req);
  if (constraint) return [constraint];
  const out: Veto[] = [];
  const short = (name: string, deficit: number, range: number) => {
    if (deficit > 0) out.push({ type: 'RESOURCES', reason: `Insufficient: ${name}`, score: resourceScore(deficit, range) });
  };
  short('CPU', req.cpu - index.cpu[h]!, resourceRanges.cpus);
  short('RAM', req.ram - index.ram[h]!, resourceRanges.ramMb);
  short('disk', req.disk - index.disk[h]!, resourceRanges.diskMb);
  // Ports are a count, so 1000·deficit in thousandths is the deficit times 1000.
  short('ports', (req.ports - index.ports[h]!) * 1000, resourceRanges.ports);
  return out;
}

/** The total score of vetoesAt(index, h, req) without building it; -1 when the task fits. */
export function vetoScoreAt(index: HostIndex, h: number, req: CompiledRequest): number {
  if (index.dedicated[h] === 1 && !req.constraints.dedicated) return vetoScores.dedicated;
  if (index.maintenance[h] !== 0) return vetoScores.maintenance;
  // Both constraint vetoes score the same, so which one it is can wait for vetoesAt.
  if (!constraintsHold(h, req)) return vetoScores.constraint;
  // Each deficit is > 0 only for a short resource; -1 marks "nothing short yet".
  let score = -1;
  const dc = req.cpu - index.cpu[h]!;
  const dr = req.ram - index.ram[h]!;
  const dd = req.disk - index.disk[h]!;
  const dp = req.ports - index.ports[h]!;
  if (dc > 0) score = resourceScore(dc, resourceRanges.cpus);
  if (dr > 0) score = Math.max(score, 0) + resourceScore(dr, resourceRanges.ramMb);
  if (dd > 0) score = Math.max(score, 0) + resourceScore(dd, resourceRanges.diskMb);
  if (dp > 0) score = Math.max(score, 0) + resourceScore(dp * 1000, resourceRanges.ports);
  return score;
}

/**
 * NearestFit over the current state of the hosts: the veto set with the lowest total score,
 * the earliest host in index order winning ties (Aurora keeps the first of equal scores).
 * `candidates` are the hosts passing the static checks; every other host scores at least a
 * constraint veto, and a candidate at most a limit veto (which scores the same), so the other
 * hosts only need a look when there is no candidate. A candidate wins such a tie: its limit is
 * what keeps the task pending, and the index order is shuffled every round, so letting a host
 * the job excludes win would make the reason flip between rounds.
 */
export function nearestFit(index: HostIndex, candidates: Int32Array, req: CompiledRequest): Veto[] {
  let best = Infinity;
  let bestHost = -1;
  for (let c = 0; c < candidates.length && best > 0; c++) {
    const h = candidates[c]!;
    const s = vetoScoreAt(index, h, req);
    if (s >= 0 && s < best) {
      best = s;
      bestHost = h;
    }
  }
  if (bestHost < 0) {
    for (let h = 0; h < index.n && best > 0; h++) {
      const s = vetoScoreAt(index, h, req);
      if (s >= 0 && s < best) {
        best = s;
        bestHost = h;
      }
    }
  }
  return bestHost < 0 ? [] : vetoesAt(index, bestHost, req);
}
