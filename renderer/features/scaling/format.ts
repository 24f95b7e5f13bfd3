import type { HoldTarget, OperationState, PoolKind, ScalePlan } from '../../../core/contract';
import { formatDuration } from '../../components/duration';

/** What each kind of pool is, for the tag's tooltip. */
export const poolKindDescription: Record<PoolKind, string> = {
  fixed: 'Fixed machines: never scaled by the console',
  'on-demand': 'An Auto Scaling group: set the number of nodes',
  spot: 'Spot instances, one group of compatible types per run',
  specific: 'Single instances of a chosen type and name',
};

/** A time ahead, for holds and cancel windows: "in 3h 20m"; "expired" once past. */
export function formatIn(at: number, now: number): string {
  return at <= now ? 'expired' : `in ${formatDuration(at - now)}`;
}

export function holdTargetText(target: HoldTarget): string {
  return target.kind === 'pool' ? `pool ${target.pool}` : `instance ${target.instanceId}`;
}

export function lostTasks(plan: ScalePlan): number {
  return plan.remove.reduce((n, r) => n + r.tasks.length, 0);
}

/** The operation states as the task-state colours read: green done, blue moving, orange waiting. */
export const operationFamily: Record<OperationState, string> = {
  pending: 'pending',
  running: 'transition',
  succeeded: 'running',
  failed: 'failed',
  cancelled: 'finished',
};

export function isActive(state: OperationState): boolean {
  return state === 'pending' || state === 'running';
}
